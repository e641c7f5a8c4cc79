"""Session limits, and staff without a second factor sent to enrol before anything else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record

from .services import SESSION_MFA, session_expired, session_touch
from .staff import has_second_factor, is_staff_account

# What a staff member without a second factor may still open: enrolment (TOTP, a passkey,
# the recovery codes shown after it), the password check enrolment may ask for, logging
# out and the language switch.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
        "logout",
        "set_language",
    }
)


class AccountProtectionMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        # Decided before the view: an API request made with a token is authenticated by
        # the view itself, and must not start or touch a session.
        by_session = request.user.is_authenticated
        if by_session:
            self._check_session(request)
            by_session = request.user.is_authenticated
        response = self.get_response(request)
        if by_session and request.user.is_authenticated:
            session_touch(request=request)
        return response

    def _check_session(self, request: HttpRequest) -> None:
        reason = session_expired(request=request)
        if not reason:
            return
        user = request.user
        # Logged out as anonymous from here on: LoginRequiredMiddleware sends staff pages to
        # the login form, which says why.
        request._casefile_session_expired = reason
        audit_record(
            action=AuditEvent.Action.SESSION_ENDED,
            request=request,
            obj=user,
            detail={"reason": reason, "sessions": 1},
        )
        logout(request)
        messages.info(request, _("Your session has expired: please log in again."))

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ENROLMENT_URL_NAMES:
            return None
        if not is_staff_account(user):
            return None
        if request.session.get(SESSION_MFA):
            return None
        # Not known to have one: look (an authenticator added elsewhere, an old session).
        if has_second_factor(user):
            request.session[SESSION_MFA] = True
            return None
        message = _("Staff accounts need a second factor: set one up to continue.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
