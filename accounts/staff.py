"""Who must have a second factor: staff members, administrators and superusers.

The role names are those of ``incidents.roles``, repeated here so this ground-floor app
imports no app above it. The group names are cached on the user object under the same
attribute ``incidents.roles`` and the token authentication use, so asking here costs no
extra query when a view asks again.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator

STAFF_ROLES = frozenset({"editor", "reviewer", "researcher"})

# Factors that answer a login; recovery codes only stand in for one of these.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_staff_account(user) -> bool:
    """True for an active user who holds a staff role or may use the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if not hasattr(user, "_casefile_roles"):
        user._casefile_roles = frozenset(user.groups.values_list("name", flat=True))
    return bool(user._casefile_roles & STAFF_ROLES)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()
