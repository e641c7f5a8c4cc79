"""API token authentication (django-rest-knox), in one query.

Kept apart from ``accounts.api_tokens``: DRF imports authentication classes while it is itself
being imported, so this module must not import DRF views.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.contrib.auth.models import Group
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record

ROLE_SEPARATOR = "\n"


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's hashed, expiring tokens, checked in one query.

    The user's staff roles come in the same query and prime the role cache of
    ``incidents.roles``; knox's own class also reads every token of the user on each
    request to purge the expired ones (expired tokens are refused here all the same, and
    deleted when presented).
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            # One INSERT per request made with a token: who, from where, which endpoint. The
            # path only: a query string may hold search words.
            audit_record(
                action=AuditEvent.Action.API_TOKEN_USED,
                actor=result[0],
                request=request._request,
                detail={"method": request.method, "path": request.path},
            )
        return result

    def authenticate_credentials(self, token: bytes):
        message = _("Invalid token.")
        try:
            token_text = token.decode("utf-8")
            digest = hash_token(token_text)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(message) from None
        roles = Subquery(
            Group.objects.filter(user=OuterRef("user_id"))
            .order_by()
            .values("user")
            .annotate(names=StringAgg("name", Value(ROLE_SEPARATOR)))
            .values("names")
        )
        candidates = (
            get_token_model()
            .objects.filter(token_key=token_text[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(user_roles=roles)
        )
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                raise exceptions.AuthenticationFailed(_("Token expired."))
            user = auth_token.user
            if not user.is_active:
                raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
            user._casefile_roles = frozenset((auth_token.user_roles or "").split(ROLE_SEPARATOR))
            return user, auth_token
        raise exceptions.AuthenticationFailed(message)
