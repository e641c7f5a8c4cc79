"""django-axes hooks: which username an attempt was for, and what a locked-out client sees."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
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


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins. Try again in %(minutes)d minutes, or ask an "
        "administrator to unlock your account."
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The same answer whether the username exists or not: 429 with the same message."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "accounts/locked_out.html", {"message": lockout_message()}, status=429)
