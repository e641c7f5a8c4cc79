"""Authenticator-app codes computed on the server: for the demo users and the tests.

A real user's phone computes these; here allauth's own functions do, from the secret
allauth stored, so the demo can be tried without a phone.
"""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt


def totp_enrol(user) -> str:
    """Give ``user`` an authenticator app unless they have one; return its secret."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_url(user, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (from a QR code or pasted)."""
    return get_adapter().build_totp_url(user, secret)


def totp_current_code(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
