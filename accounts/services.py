"""Session bookkeeping: start, touch and end the sessions of a user."""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from knox.models import get_token_model

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record
from casefile.client_address import client_address

from .models import StaffSession
from .staff import has_second_factor

# Keys in the session's own data.
SESSION_ROW = "_casefile_session"
SESSION_ROW_KEY = "_casefile_session_key"
SESSION_STARTED = "_casefile_started"
SESSION_SEEN = "_casefile_seen"
SESSION_MFA = "_casefile_mfa"

# How often "last seen" is written: each write saves the session and the row.
TOUCH_EVERY_SECONDS = 60


def session_start(*, request: HttpRequest, user) -> StaffSession:
    """Record a session that has just logged in (called on Django's user_logged_in)."""
    session = request.session
    if not session.session_key:
        session.save()
    now = time.time()
    row = StaffSession.objects.create(
        user=user,
        session_key=session.session_key,
        client_address=client_address(request) if "REMOTE_ADDR" in request.META else None,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
    session[SESSION_ROW] = row.pk
    session[SESSION_ROW_KEY] = session.session_key
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now
    # Whether the user has a second factor, known once per session instead of per request.
    session[SESSION_MFA] = has_second_factor(user)
    return row


def session_touch(*, request: HttpRequest) -> None:
    """Note activity, at most once a minute, and follow a changed session key."""
    session = request.session
    row_id = session.get(SESSION_ROW)
    now = time.time()
    fields = {}
    if now - session.get(SESSION_SEEN, 0) >= TOUCH_EVERY_SECONDS:
        session[SESSION_SEEN] = now
        fields["last_seen_at"] = timezone.now()
    if session.session_key and session.get(SESSION_ROW_KEY) != session.session_key:
        session[SESSION_ROW_KEY] = session.session_key
        fields["session_key"] = session.session_key
    if row_id and fields:
        StaffSession.objects.filter(pk=row_id).update(**fields)


def session_expired(*, request: HttpRequest) -> str:
    """ "idle" or "absolute" when this session has outlived its limits, else ""."""
    session = request.session
    now = time.time()
    started = session.get(SESSION_STARTED)
    seen = session.get(SESSION_SEEN)
    if started is None or seen is None:
        # A session from before these limits: they start counting now.
        session[SESSION_STARTED] = session.get(SESSION_STARTED, now)
        session[SESSION_SEEN] = now
        return ""
    if now - started > settings.SESSION_MAX_HOURS * 3600:
        return "absolute"
    if now - seen > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    return ""


def sessions_end(
    *,
    user,
    reason: str,
    keep_session_key: str | None = None,
    request: HttpRequest | None = None,
) -> int:
    """End every session of ``user`` but ``keep_session_key``, and revoke all their API
    tokens; audited when in a request. Returns the number of sessions ended."""
    rows = StaffSession.objects.filter(user_id=user.pk)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    _delete_from_store(keys)
    rows.delete()
    # A token is a session of its own that outlives the browser's: whatever ends the other
    # sessions (a new password, deactivation, a changed factor) must end the tokens too, or
    # a stolen session could mint a token that survives every remedy.
    tokens, _by_model = get_token_model().objects.filter(user_id=user.pk).delete()
    if (keys or tokens) and request is not None:
        audit_record(
            action=AuditEvent.Action.SESSION_ENDED,
            request=request,
            obj=user,
            detail={"reason": reason, "sessions": len(keys), "tokens": tokens},
        )
    return len(keys)


@transaction.atomic
def session_end(*, row: StaffSession, request: HttpRequest) -> None:
    """End one session of the requesting user (from "Your sessions")."""
    _delete_from_store([row.session_key])
    row.delete()
    audit_record(
        action=AuditEvent.Action.SESSION_ENDED,
        request=request,
        obj=row.user,
        detail={"reason": "ended_by_user", "sessions": 1},
    )


@transaction.atomic
def api_token_revoke(*, user, token_key: str, request: HttpRequest) -> int:
    """Revoke the API tokens of ``user`` shown as ``token_key`` (from "Your API tokens")."""
    deleted, _by_model = (
        get_token_model().objects.filter(user_id=user.pk, token_key=token_key).delete()
    )
    if deleted:
        audit_record(
            action=AuditEvent.Action.API_TOKEN_REVOKED,
            request=request,
            obj=user,
            detail={"token_key": token_key},
        )
    return deleted


def _delete_from_store(keys: list[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store().delete(key)
