"""The account page: second factor, password, and the sessions and API tokens of the user."""

from __future__ import annotations

from allauth.account.views import LogoutView as AllauthLogoutView
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from knox.models import get_token_model

from .models import StaffSession
from .services import SESSION_ROW, api_token_revoke, session_end, sessions_end


class LogoutView(AllauthLogoutView):
    """allauth's logout, by POST only: a link or an image on another site cannot log out."""

    http_method_names = ["post", "options"]


def security(request):
    """Second factors, password, the user's sessions and API tokens, with "end" buttons."""
    current = request.session.get(SESSION_ROW)
    sessions = StaffSession.objects.filter(user=request.user)
    factors = sorted(
        {
            Authenticator.Type(a).label
            for a in Authenticator.objects.filter(user=request.user)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .values_list("type", flat=True)
        }
    )
    # Only the first characters (token_key): the token itself is never stored.
    tokens = (
        get_token_model()
        .objects.filter(user=request.user)
        .exclude(expiry__lte=timezone.now())
        .only("token_key", "created", "expiry")
        .order_by("-created")
    )
    return render(
        request,
        "accounts/security.html",
        {"sessions": sessions, "current": current, "factors": factors, "tokens": tokens},
    )


@require_POST
def session_end_view(request, pk: int):
    # Only the user's own sessions; someone else's is a 404.
    row = get_object_or_404(StaffSession, pk=pk, user=request.user)
    if row.pk == request.session.get(SESSION_ROW):
        messages.info(request, _("To end this session, log out."))
    else:
        session_end(row=row, request=request)
        messages.success(request, _("The session has been ended."))
    return redirect("accounts:security")


@require_POST
def sessions_end_others_view(request):
    ended = sessions_end(
        user=request.user,
        reason="ended_by_user",
        keep_session_key=request.session.session_key,
        request=request,
    )
    messages.success(
        request,
        _("Other sessions ended: %(count)d. Your API tokens have been revoked.") % {"count": ended},
    )
    return redirect("accounts:security")


@require_POST
def api_token_revoke_view(request, token_key: str):
    # Only the user's own tokens; someone else's is a 404.
    if not api_token_revoke(user=request.user, token_key=token_key, request=request):
        raise Http404
    messages.success(request, _("The API token has been revoked."))
    return redirect("accounts:security")


@login_not_required
def admin_login(request):
    """The admin's login page, replaced: its form knows no second factor.

    A logged-in user sent here is not allowed in the admin: 403 rather than the login form,
    which would send them back to the admin and round again.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("login") + (f"?{query}" if query else ""))


def admin_password_change(request):
    """The admin's password form, replaced: it would let a session guess the old password
    without limit; allauth's page limits the attempts of each user (its "change_password"
    rate limit)."""
    return redirect("account_change_password")
