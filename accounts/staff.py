"""Who must have a second factor: staff members, administrators and superusers.

The group names are read through ``casefile.roles``, which keeps them on the user object,
so asking here costs no extra query when a view asks again.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from casefile.roles import STAFF_ROLES, role_names

# Factors that answer a login; recovery codes only stand in for one of these.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_staff_account(user) -> bool:
    """True for an active user who holds a staff role or may use the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return not role_names(user).isdisjoint(STAFF_ROLES)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()
