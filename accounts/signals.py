"""Account events: the audit trail, the session list, and sessions ended on changes.

Logins, logouts and failures come from Django's and allauth's signals; password changes and
deactivations from saves of the user, wherever they are made (the admin, allauth's pages, the
shell); second factors from saves and deletions of allauth's Authenticator rows. Events are
audited when they happen in a request; changes made from a management command or the shell
still end sessions but record no event (there is no actor or address to record).
"""

from __future__ import annotations

from allauth.account import signals as allauth_account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.request import Request as ApiRequest

from casefile.audit.models import AuditEvent
from casefile.audit.services import audit_record, current_request

from .lockout import CODE_FAILURE_LIMIT, code_failures, codes_locked_out, codes_lockout_start
from .models import StaffSession
from .services import SESSION_MFA, SESSION_ROW, session_start, sessions_end
from .staff import has_second_factor

User = get_user_model()


def _is_session_request(request) -> bool:
    # knox sends user_logged_in / user_logged_out with the API's request when a token is
    # made or revoked: no session starts or ends there.
    return request is not None and not isinstance(request, ApiRequest)


def _current_session_of(user) -> str | None:
    """The session key of the request being served, when it is ``user``'s own."""
    request = current_request()
    if request is None or not hasattr(request, "session"):
        return None
    if getattr(request.user, "pk", None) != user.pk:
        return None
    return request.session.session_key


# Logins and logouts.


@receiver(user_logged_in, dispatch_uid="accounts_session_start")
def _on_logged_in(sender, request, user, **kwargs):
    if _is_session_request(request) and hasattr(request, "session"):
        session_start(request=request, user=user)


@receiver(allauth_account_signals.user_logged_in, dispatch_uid="accounts_audit_login")
def _audit_login(sender, request, user, **kwargs):
    methods = request.session.get("account_authentication_methods", [])
    factor = next((m.get("type", "") for m in methods if m.get("method") == "mfa"), "")
    audit_record(
        action=AuditEvent.Action.LOGIN,
        actor=user,
        request=request,
        detail={"second_factor": factor or "none"},
    )


@receiver(user_logged_out, dispatch_uid="accounts_logged_out")
def _on_logged_out(sender, request, user, **kwargs):
    if not _is_session_request(request) or user is None:
        return
    row_id = request.session.get(SESSION_ROW)
    if row_id:
        StaffSession.objects.filter(pk=row_id).delete()
    if not getattr(request, "_casefile_session_expired", ""):
        audit_record(action=AuditEvent.Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts_audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    # Only the attempted username: Django has already masked the password, and it is not
    # kept here in any form.
    username = str(credentials.get("username") or "")[:150]
    detail = {
        "factor": credentials.get("factor", "password"),
        "locked_out": bool(getattr(request, "axes_locked_out", False)),
    }
    if credentials.get("reauthentication"):
        detail["reauthentication"] = True
    # A wrong code names its account (the password step found it): the per-account code
    # limit counts these rows (accounts.lockout.code_failures).
    user_id = credentials.get("user_id")
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        request=request,
        username=username,
        object_type=User._meta.label_lower if user_id else "",
        object_id=user_id or "",
        detail=detail,
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts_code_failed")
def _on_code_failed(sender, request, user, authenticator, **kwargs):
    """A wrong second-factor code counts towards the same lockout as a wrong password, and
    towards the account's own limit on wrong codes, reauthentication included."""
    credentials = {"username": user.get_username(), "factor": "code", "user_id": user.pk}
    if kwargs.get("reauthentication"):
        credentials["reauthentication"] = True
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if code_failures(user) == CODE_FAILURE_LIMIT:
        codes_lockout_start(request)
        audit_record(
            action=AuditEvent.Action.LOCKED_OUT,
            request=request,
            obj=user,
            username=user.get_username(),
            detail={"reason": "codes"},
        )


# Lockouts.


@receiver(user_locked_out, dispatch_uid="accounts_audit_locked_out")
def _audit_locked_out(sender, request, username, ip_address, **kwargs):
    # Sent when the lock starts and again for each attempt refused during it; the latter
    # are already LOGIN_FAILED events (locked_out: true).
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    audit_record(
        action=AuditEvent.Action.LOCKED_OUT,
        request=request,
        username=str(username or "")[:150],
        detail={"username": str(username or "")[:150], "address": ip_address or ""},
    )


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="accounts_audit_unlocked")
def _audit_unlocked(sender, instance, **kwargs):
    still_locked = (
        instance.failures_since_start >= settings.AXES_FAILURE_LIMIT
        and instance.attempt_time >= timezone.now() - settings.AXES_COOLOFF_TIME
    )
    if not still_locked and instance.username:
        # Wrong codes from many addresses lock the account without locking any one
        # address: deleting any attempt of that username lifts that limit too.
        user = get_user_model().objects.filter(username=instance.username).first()
        still_locked = user is not None and codes_locked_out(user)
    if not still_locked:
        return  # expired attempts cleaned up, or failures forgiven by a successful login
    request = current_request()
    audit_record(
        action=AuditEvent.Action.UNLOCKED,
        request=request,
        detail={
            "username": instance.username or "",
            "address": instance.ip_address or "",
            "via": "admin" if request is not None else "command",
        },
    )


# Password changes and deactivation, wherever the user is saved from.


@receiver(pre_save, sender=User, dispatch_uid="accounts_user_before_save")
def _remember_credentials(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or kwargs.get("raw"):
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    instance._casefile_before = (
        User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    )


@receiver(post_save, sender=User, dispatch_uid="accounts_user_after_save")
def _end_sessions_on_credential_change(sender, instance, created, **kwargs):
    before = getattr(instance, "_casefile_before", None)
    instance._casefile_before = None
    if created or before is None:
        return
    request = current_request()
    if before["is_active"] and not instance.is_active:
        if request is not None:
            audit_record(
                action=AuditEvent.Action.ACCOUNT_DEACTIVATED, request=request, obj=instance
            )
        sessions_end(user=instance, reason="deactivated", request=request)
    elif before["password"] != instance.password:
        if request is not None:
            audit_record(action=AuditEvent.Action.PASSWORD_CHANGED, request=request, obj=instance)
        # The session that changed its own password stays; every other one ends.
        sessions_end(
            user=instance,
            reason="password_changed",
            keep_session_key=_current_session_of(instance),
            request=request,
        )


# Second factors.


@receiver(post_save, sender=Authenticator, dispatch_uid="accounts_authenticator_added")
def _on_authenticator_added(sender, instance, created, **kwargs):
    if not created:
        return  # a use (last_used_at) or recovery codes being marked used
    _factor_changed(instance, added=True)


@receiver(post_delete, sender=Authenticator, dispatch_uid="accounts_authenticator_removed")
def _on_authenticator_removed(sender, instance, **kwargs):
    _factor_changed(instance, added=False)


def _factor_changed(authenticator: Authenticator, *, added: bool) -> None:
    user = authenticator.user
    request = current_request()
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        # New codes replace the old ones (deleted first), or go with the last factor removed.
        if added and request is not None:
            audit_record(action=AuditEvent.Action.RECOVERY_CODES, request=request, obj=user)
        return
    if request is not None:
        audit_record(
            action=AuditEvent.Action.MFA_ADDED if added else AuditEvent.Action.MFA_REMOVED,
            request=request,
            obj=user,
            detail={"type": authenticator.type},
        )
    keep = _current_session_of(user)
    sessions_end(user=user, reason="mfa_changed", keep_session_key=keep, request=request)
    enrolled = has_second_factor(user)
    if keep is not None:
        request.session[SESSION_MFA] = enrolled
