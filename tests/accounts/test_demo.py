"""The demo users come enrolled, and `make run` prints how to get their codes."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.urls import reverse

from .conftest import is_logged_in, post_code, post_login


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_demo_users_log_in_with_the_code_demo_totp_prints(client, db):
    output = run("load_demo")
    assert "otpauth://totp/" in output
    assert "manage.py demo_totp demo-editor" in output

    post_login(client, "demo-editor", "casefile-demo")
    code = run("demo_totp", "demo-editor").strip()
    assert post_code(client, code)["Location"] == reverse("incidents:dashboard")
    assert is_logged_in(client)

    count = Authenticator.objects.count()
    run("load_demo")
    assert Authenticator.objects.count() == count  # the second run keeps the same secrets
    assert "recovery codes" in run("demo_totp", "demo-admin", "--recovery-codes")


def test_demo_totp_serves_demo_users_only(db):
    with pytest.raises(CommandError):
        run("demo_totp", "elena.editor")
