"""Five failures for one username from one address lock that pair out for 30 minutes."""

import datetime
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import lockout
from casefile.audit.models import AuditEvent
from tests.factories import totp_code

from .conftest import (
    PASSWORD,
    WRONG_PASSWORD_MESSAGE,
    events,
    is_logged_in,
    post_code,
    post_login,
)

ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.20"
NGINX = "172.18.0.5"
LOCKED_MESSAGE = "Too many failed logins. Try again in 30 minutes"


def fail(client, username, times, **extra):
    return [post_login(client, username, "wrong password", **extra) for _ in range(times)]


def test_five_failures_lock_the_username_at_that_address(client, editor):
    first_four = fail(client, editor.username, 4, REMOTE_ADDR=ATTACKER)
    assert {r.status_code for r in first_four} == {200}
    assert all(WRONG_PASSWORD_MESSAGE in r.text for r in first_four)

    fifth = post_login(client, editor.username, "wrong password", REMOTE_ADDR=ATTACKER)
    assert fifth.status_code == 429
    assert LOCKED_MESSAGE in fifth.text

    right = post_login(client, editor.username, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert right.status_code == 429
    assert LOCKED_MESSAGE in right.text
    assert not is_logged_in(client)

    [locked] = events(AuditEvent.Action.LOCKED_OUT)
    assert locked.detail == {"username": editor.username, "address": ATTACKER}
    failures = events(AuditEvent.Action.LOGIN_FAILED)
    assert len(failures) == 6
    assert {f.actor_username for f in failures} == {editor.username}
    assert [f.detail["locked_out"] for f in failures].count(True) == 2  # the 5th and 6th
    assert all("wrong password" not in str(f.detail) for f in failures)


def test_the_lock_lifts_after_30_minutes(client, editor):
    fail(client, editor.username, 5, REMOTE_ADDR=ATTACKER)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=29)
    )
    assert post_login(client, editor.username, REMOTE_ADDR=ATTACKER).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=31)
    )
    response = post_login(client, editor.username, REMOTE_ADDR=ATTACKER)
    assert response["Location"] == reverse("mfa_authenticate")


def test_unknown_user_and_wrong_password_get_the_same_answers(client, editor):
    for username in (editor.username, "nobody-by-this-name"):
        answers = fail(client, username, 5, REMOTE_ADDR=ATTACKER)
        assert [r.status_code for r in answers] == [200, 200, 200, 200, 429], username
        assert WRONG_PASSWORD_MESSAGE in answers[0].text
        assert LOCKED_MESSAGE in answers[-1].text
    assert events(AuditEvent.Action.LOCKED_OUT, actor_username="nobody-by-this-name")


def test_another_address_is_not_locked_out_by_an_attacker(editor):
    fail(Client(), editor.username, 10, REMOTE_ADDR=ATTACKER)

    real = Client()
    assert post_login(real, editor.username, REMOTE_ADDR=REAL_USER).status_code == 302
    assert post_code(real, totp_code(editor), REMOTE_ADDR=REAL_USER).status_code == 302
    assert is_logged_in(real)


@pytest.mark.parametrize("proxies", [0, 1])
def test_rotating_x_forwarded_for_does_not_escape_the_lock(client, editor, settings, proxies):
    settings.TRUSTED_PROXIES = proxies
    # With nginx in front (1 proxy), nginx appends the address it saw; with none, the
    # client reaches us directly. Either way the header's first entries are the client's own.
    remote = NGINX if proxies else ATTACKER
    for n in range(25):
        forwarded = f"10.0.{n}.{n}, {ATTACKER}" if proxies else f"10.0.{n}.{n}"
        post_login(
            client, editor.username, "wrong", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
        )
    forwarded = f"10.9.9.9, {ATTACKER}" if proxies else "10.9.9.9"
    right = post_login(client, editor.username, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert right.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_a_wrong_code_counts_towards_the_lock(client, editor):
    post_login(client, editor.username, REMOTE_ADDR=ATTACKER)
    for _ in range(4):
        assert post_code(client, "000000", REMOTE_ADDR=ATTACKER).status_code == 200
    assert post_code(client, "000000", REMOTE_ADDR=ATTACKER).status_code == 429
    # Even the right code is refused now: the password step cannot be reused around the lock.
    refused = post_code(client, totp_code(editor), REMOTE_ADDR=ATTACKER)
    assert LOCKED_MESSAGE in refused.text
    assert not is_logged_in(client)


def test_an_administrator_unlocks_in_the_admin(editor, admin_client, admin_user):
    fail(Client(), editor.username, 5, REMOTE_ADDR=ATTACKER)
    attempt = AccessAttempt.objects.get()

    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    [unlocked] = events(AuditEvent.Action.UNLOCKED)
    assert unlocked.actor == admin_user
    assert unlocked.detail == {"username": editor.username, "address": ATTACKER, "via": "admin"}
    client = Client()
    assert post_login(client, editor.username, REMOTE_ADDR=ATTACKER).status_code == 302


def test_axes_reset_username_unlocks_and_is_audited(editor):
    fail(Client(), editor.username, 5, REMOTE_ADDR=ATTACKER)

    call_command("axes_reset_username", editor.username, stdout=None)

    [unlocked] = events(AuditEvent.Action.UNLOCKED)
    assert unlocked.detail["via"] == "command"
    assert post_login(Client(), editor.username, REMOTE_ADDR=ATTACKER).status_code == 302


def test_a_successful_login_forgives_earlier_failures(client, editor):
    fail(client, editor.username, 4, REMOTE_ADDR=ATTACKER)
    post_login(client, editor.username, REMOTE_ADDR=ATTACKER)
    post_code(client, totp_code(editor), REMOTE_ADDR=ATTACKER)
    assert not AccessAttempt.objects.exists()


def wrong_code(user) -> str:
    real = {totp_code(user, step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in real)


def test_wrong_codes_from_many_addresses_lock_the_account(editor):
    # With the right password, four wrong codes from each of six addresses: each address
    # stays under its own lockout, the account's limit (10 an hour) stops them all.
    statuses = []
    for n in range(6):
        client, address = Client(), f"203.0.113.{n}"
        assert post_login(client, editor.username, REMOTE_ADDR=address).status_code == 302
        statuses += [
            post_code(client, wrong_code(editor), REMOTE_ADDR=address).status_code for _ in range(4)
        ]
    assert statuses == [200] * 9 + [429] * 15

    real = Client()
    post_login(real, editor.username, REMOTE_ADDR=REAL_USER)
    refused = post_code(real, totp_code(editor), REMOTE_ADDR=REAL_USER)

    assert refused.status_code == 429
    assert "Too many failed logins. Try again in 60 minutes" in refused.text
    assert not is_logged_in(real)
    [locked] = events(AuditEvent.Action.LOCKED_OUT, detail__reason="codes")
    assert locked.actor_username == editor.username
    assert locked.detail == {"reason": "codes"}


def test_the_code_limit_lifts_after_an_hour(editor, monkeypatch):
    for n in range(10):
        client = Client()
        post_login(client, editor.username, REMOTE_ADDR=f"203.0.113.{n}")
        post_code(client, wrong_code(editor), REMOTE_ADDR=f"203.0.113.{n}")
    assert lockout.codes_locked_out(editor)

    # The audit trail refuses updates: the count's clock moves on an hour instead.
    later = timezone.now() + datetime.timedelta(minutes=61)
    monkeypatch.setattr(lockout, "timezone", SimpleNamespace(now=lambda: later))
    real = Client()
    post_login(real, editor.username, REMOTE_ADDR=REAL_USER)
    assert post_code(real, totp_code(editor), REMOTE_ADDR=REAL_USER).status_code == 302
    assert is_logged_in(real)


def test_an_administrator_lifts_the_code_limit_with_axes_reset_username(editor):
    for n in range(10):
        client = Client()
        post_login(client, editor.username, REMOTE_ADDR=f"203.0.113.{n}")
        post_code(client, wrong_code(editor), REMOTE_ADDR=f"203.0.113.{n}")
    assert lockout.codes_locked_out(editor)

    call_command("axes_reset_username", editor.username, stdout=None)

    assert not lockout.codes_locked_out(editor)
    real = Client()
    post_login(real, editor.username, REMOTE_ADDR=REAL_USER)
    assert post_code(real, totp_code(editor), REMOTE_ADDR=REAL_USER).status_code == 302
    assert is_logged_in(real)


def test_an_unlock_of_another_username_leaves_the_code_limit(editor, reviewer):
    for n in range(10):
        client = Client()
        post_login(client, editor.username, REMOTE_ADDR=f"203.0.113.{n}")
        post_code(client, wrong_code(editor), REMOTE_ADDR=f"203.0.113.{n}")
    fail(Client(), reviewer.username, 5, REMOTE_ADDR=ATTACKER)

    call_command("axes_reset_username", reviewer.username, stdout=None)

    assert lockout.codes_locked_out(editor)


def test_wrong_codes_when_reauthenticating_count_towards_the_limit(editor):
    client = Client()
    client.force_login(editor)
    reauthenticate = reverse("mfa_reauthenticate")
    statuses = [
        client.post(
            reauthenticate, {"code": wrong_code(editor)}, REMOTE_ADDR=f"203.0.113.{n // 4}"
        ).status_code
        for n in range(10)
    ]
    assert statuses == [200] * 9 + [429]
    failures = events(AuditEvent.Action.LOGIN_FAILED)
    assert len(failures) == 10
    assert all(f.detail["factor"] == "code" and f.detail["reauthentication"] for f in failures)

    # Counted in the database: not forgotten with the cache (allauth's own limit is there).
    cache.clear()
    refused = client.post(reauthenticate, {"code": totp_code(editor)}, REMOTE_ADDR=REAL_USER)

    assert refused.status_code == 429
    assert "Too many failed logins. Try again in 60 minutes" in refused.text
    assert events(AuditEvent.Action.LOCKED_OUT, detail__reason="codes")
