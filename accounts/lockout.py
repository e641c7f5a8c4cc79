"""django-axes hooks: which username an attempt was for, and what a locked-out client sees.

Also the limit on wrong second-factor codes per account, from any address: axes counts per
username and address, so someone who has the password could otherwise guess codes from
many addresses.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

# AccessAttempt.username holds 255 characters; a hostile form may send far more.
MAX_USERNAME = 150


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username tried: from the credentials given to authenticate(), else the form."""
    name = None
    if credentials:
        name = credentials.get("username") or credentials.get("login")
    elif request is not None:
        name = request.POST.get("login") or request.POST.get("username")
    return str(name)[:MAX_USERNAME] if name else None


# Wrong second-factor codes per account, from any address (the login's code step, the token
# endpoint, reauthentication). Counted from the audit trail, which every process shares.
CODE_FAILURE_LIMIT = 10
CODE_FAILURE_WINDOW = timedelta(hours=1)


def lockout_message(minutes: int | None = None) -> str:
    if minutes is None:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins. Try again in %(minutes)d minutes, or ask an "
        "administrator to unlock your account."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The same answer whether the username exists or not: 429 with the same message."""
    message = lockout_message(getattr(request, "casefile_lockout_minutes", None))
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


def code_failures(user) -> int:
    """Wrong second-factor codes given for ``user`` within the window, from any address.

    Failures before an administrator's unlock of the username (an ``unlocked`` event, from
    the admin or ``axes_reset_username``) no longer count: the audit trail cannot be
    changed, so lifting the limit is a later event, not a deleted one.
    """
    from casefile.audit.models import AuditEvent

    since = timezone.now() - CODE_FAILURE_WINDOW
    unlocked = (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.UNLOCKED,
            detail__username=user.get_username(),
            occurred_at__gte=since,
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type=get_user_model()._meta.label_lower,
        object_id=str(user.pk),
        detail__factor="code",
        occurred_at__gt=unlocked or since,
    ).count()


def codes_locked_out(user) -> bool:
    return code_failures(user) >= CODE_FAILURE_LIMIT


def codes_lockout_start(request: HttpRequest) -> str:
    """Answer this request as locked out (429, through axes' middleware); the message."""
    minutes = int(CODE_FAILURE_WINDOW.total_seconds() // 60)
    request.axes_locked_out = True
    request.casefile_lockout_minutes = minutes
    return lockout_message(minutes)
