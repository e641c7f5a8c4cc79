"""API tokens: created with a second-factor code, and a username and password or a session.

Only staff get tokens, and only staff with a second factor (they enrol on the site). The
password step goes through ``authenticate(request=...)``, so the login lockout counts and
refuses here exactly as on the login page, per username and the client address our proxies
saw; a wrong code counts as a failed login too, and towards the account's limit on wrong
codes. A session alone mints no token: a token outlives the session, so a stolen session
cookie must not be enough to get one.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.throttling import ScopedRateThrottle

from accounts.api_auth import TokenAuthentication
from accounts.forms import AuthenticateForm
from accounts.lockout import lockout_message
from accounts.staff import has_second_factor
from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record
from casefile.roles import is_staff_member


class LockedOut(exceptions.APIException):
    status_code = 429
    default_code = "locked_out"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(required=False, max_length=150)
    password = serializers.CharField(
        required=False, max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )
    code = serializers.CharField(
        required=False,
        max_length=64,
        help_text=(
            "Required for staff, with a username and password or with a session: the "
            "current code of the user's authenticator app (TOTP), or one of their unused "
            "recovery codes (each works once)."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as: Authorization: Token <token>")
    expiry = serializers.DateTimeField()


class TokenCreateView(knox_views.LoginView):
    """A new API token for a staff member: `code`, with username and password or a session.

    `code` is the current code of the user's authenticator app, or an unused recovery code;
    it is required with a session too (a session alone gets no token).
    Staff without a second factor get no token: they set one up on the site first. Five
    failures (password or code) for a username from one address lock that pair out for 30
    minutes (429), as on the login page. The token is shown once; only its hash is stored.
    It expires after ``REST_KNOX["TOKEN_TTL"]``; revoke it earlier at /api/v1/auth/logout/.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]
    throttle_scope = "token"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 401: None, 403: None, 429: None},
        auth=[{"sessionAuth": []}, {}],
    )
    def post(self, request, format=None):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username = body.validated_data.get("username")
        password = body.validated_data.get("password")
        self.via = "session"
        if username or password:
            user = authenticate(request._request, username=username, password=password)
            if getattr(request._request, "axes_locked_out", False):
                raise LockedOut(lockout_message())
            if user is None:
                raise exceptions.AuthenticationFailed(_("Wrong username or password."))
            if is_staff_member(user):
                self._check_code(user, body.validated_data.get("code", ""))
            request.user = user
            self.via = "password"
        elif not request.user.is_authenticated:
            raise exceptions.NotAuthenticated(_("Give a username and password, or log in."))
        elif is_staff_member(request.user):
            self._check_code(request.user, body.validated_data.get("code", ""))
        if not is_staff_member(request.user):
            raise exceptions.PermissionDenied(_("API tokens are for staff members."))
        return super().post(request, format=format)

    def _check_code(self, user, code: str) -> None:
        if not has_second_factor(user):
            raise exceptions.PermissionDenied(
                _("Set up a second factor on the site (log in there) before asking for a token.")
            )
        if not code:
            raise exceptions.AuthenticationFailed(
                _("Give the code from your authenticator app, or a recovery code.")
            )
        form = AuthenticateForm(user=user, data={"code": code})
        if not form.is_valid():
            django_request = self.request._request
            if getattr(django_request, "axes_locked_out", False):
                minutes = getattr(django_request, "casefile_lockout_minutes", None)
                raise LockedOut(lockout_message(minutes))
            raise exceptions.AuthenticationFailed(_("Wrong code."))
        form.authenticator.record_usage()

    def create_token(self):
        instance, token = super().create_token()
        audit_record(
            action=AuditEvent.Action.API_TOKEN_CREATED,
            actor=self.request.user,
            request=self.request._request,
            detail={"via": self.via, "expires": instance.expiry.isoformat()},
        )
        return instance, token


class KnoxTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.api_auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


@extend_schema(tags=["auth"], request=None, responses={204: None})
class TokenLogoutView(knox_views.LogoutView):
    """Revoke the token this request is made with."""


@extend_schema(tags=["auth"], request=None, responses={204: None})
class TokenLogoutAllView(knox_views.LogoutAllView):
    """Revoke every token of the user this request's token belongs to."""
