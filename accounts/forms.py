"""The second-factor step of a login, which a lockout stops like the password step."""

from __future__ import annotations

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms

from .lockout import lockout_message


def is_locked_out(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


class AuthenticateForm(AllauthAuthenticateForm):
    """allauth's code form (TOTP or recovery code), refused while the login is locked out.

    Without this, someone who had the password before the lock could keep trying codes.
    A wrong code is counted as a failed login (accounts.signals).
    """

    def clean_code(self) -> str:
        if is_locked_out(context.request, self.user.get_username()):
            raise forms.ValidationError(lockout_message())
        return super().clean_code()
