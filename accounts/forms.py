"""The second-factor step of a login, which a lockout stops like the password step."""

from __future__ import annotations

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms

from .lockout import codes_locked_out, codes_lockout_start, lockout_message


def is_locked_out(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


class AuthenticateForm(AllauthAuthenticateForm):
    """allauth's code form (TOTP or recovery code), refused while the login is locked out.

    Without this, someone who had the password before the lock could keep trying codes.
    A wrong code is counted as a failed login (accounts.signals), and too many wrong codes
    for the account, from any address, refuse every code for a while.
    """

    def clean_code(self) -> str:
        if is_locked_out(context.request, self.user.get_username()):
            raise forms.ValidationError(lockout_message())
        if codes_locked_out(self.user):
            raise forms.ValidationError(codes_lockout_start(context.request))
        return super().clean_code()


class ReauthenticateForm(AllauthReauthenticateForm):
    """allauth's code form to confirm a sensitive change, under the same per-account limit.

    A stolen session must not become a way to guess the codes.
    """

    def clean_code(self) -> str:
        if codes_locked_out(self.user):
            raise forms.ValidationError(codes_lockout_start(context.request))
        return super().clean_code()
