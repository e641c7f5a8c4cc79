"""The audit trail: an append-only record of who did what, when and from where.

It records facts about actions, never the contents of fields or secrets: an event names the
object by type and id, so reading the trail reveals no more than the ids of what was
touched. Rows are never changed or deleted from the application (``save`` refuses updates,
``delete`` refuses; on PostgreSQL a trigger refuses UPDATE and DELETE as well).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly

    def delete(self):
        raise AuditTrailIsAppendOnly


class AuditTrailIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOGOUT = "logout", _("Logged out")
        UNLOCKED = "unlocked", _("Lockout lifted")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        MFA_ADDED = "mfa_added", _("Second factor added")
        MFA_REMOVED = "mfa_removed", _("Second factor removed")
        RECOVERY_CODES = "recovery_codes", _("Recovery codes generated")
        SESSION_ENDED = "session_ended", _("Session ended")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
        API_TOKEN_CREATED = "api_token_created", _("API token created")
        API_TOKEN_USED = "api_token_used", _("API token used")
        API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
        READ_UNPUBLISHED = "read_unpublished", _("Unpublished material read")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DELETED = "deleted", _("Deleted")
        EXPORTED = "exported", _("Exported")

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    # Not a constrained foreign key: deleting a user must neither delete nor rewrite the
    # events about them. The username is kept as it was at the time.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        editable=False,
    )
    actor_username = models.CharField(max_length=150, blank=True, editable=False)
    action = models.CharField(max_length=32, choices=Action.choices, editable=False)
    object_type = models.CharField(max_length=64, blank=True, editable=False)
    object_id = models.CharField(max_length=64, blank=True, editable=False)
    client_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # Small, non-secret facts: an export's filter and row count, a login's method.
    detail = models.JSONField(default=dict, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["action", "-occurred_at"], name="audit_action_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditTrailIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly
