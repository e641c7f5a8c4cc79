"""The API token endpoint: the same lockout, and a second-factor code for staff."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from knox.models import AuthToken
from rest_framework.throttling import ScopedRateThrottle

from casefile.audit.models import AuditEvent
from tests.factories import totp_code

from .conftest import PASSWORD, events

TOKEN = "/api/v1/auth/token/"
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.20"
NGINX = "172.18.0.5"


def ask(client, username, password=PASSWORD, code="", **extra):
    body = {"username": username, "password": password}
    if code:
        body["code"] = code
    return client.post(TOKEN, body, content_type="application/json", **extra)


@pytest.fixture
def no_rate_limit(monkeypatch):
    """Lift the per-address rate limit, so what is tested is the lockout itself."""
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "token", "1000/minute")


@pytest.mark.parametrize("proxies", [0, 1])
def test_rotating_x_forwarded_for_locks_out_and_refuses_the_right_password(
    client, researcher, settings, no_rate_limit, proxies
):
    settings.TRUSTED_PROXIES = proxies
    remote = NGINX if proxies else ATTACKER
    statuses = []
    for n in range(25):
        forwarded = f"10.0.{n}.{n}, {ATTACKER}" if proxies else f"10.0.{n}.{n}"
        response = ask(
            client, researcher.username, "wrong", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 4 + [429] * 21

    forwarded = f"10.9.9.9, {ATTACKER}" if proxies else "10.9.9.9"
    right = ask(
        client,
        researcher.username,
        code=totp_code(researcher),
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert right.status_code == 429
    assert "Too many failed logins" in right.json()["detail"]
    assert not AuthToken.objects.exists()
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_the_real_user_gets_a_token_from_another_address(researcher, no_rate_limit):
    for _ in range(25):
        ask(Client(), researcher.username, "wrong", REMOTE_ADDR=ATTACKER)

    response = ask(Client(), researcher.username, code=totp_code(researcher), REMOTE_ADDR=REAL_USER)

    assert response.status_code == 200, response.content
    [created] = events(AuditEvent.Action.API_TOKEN_CREATED)
    assert created.actor == researcher
    assert created.client_address == REAL_USER
    assert created.detail["via"] == "password"


def test_the_login_page_and_the_token_endpoint_share_one_count(client, researcher, no_rate_limit):
    for _ in range(3):
        client.post("/en/accounts/login/", {"login": researcher.username, "password": "x"})
    ask(client, researcher.username, "wrong")
    assert ask(client, researcher.username, "wrong").status_code == 429
    page = client.post("/en/accounts/login/", {"login": researcher.username, "password": PASSWORD})
    assert page.status_code == 429


def test_the_rate_limit_counts_the_real_address(client, researcher, settings):
    settings.TRUSTED_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    statuses = [
        ask(
            client,
            "someone",
            "wrong",
            REMOTE_ADDR=NGINX,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, {ATTACKER}",
        ).status_code
        for n in range(11)
    ]
    assert statuses[-1] == 429
    # Another real address is not held back by the attacker's requests.
    other = ask(
        client,
        researcher.username,
        code=totp_code(researcher),
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=f"10.0.0.1, {REAL_USER}",
    )
    assert other.status_code == 200


def test_staff_must_give_a_code(client, researcher):
    missing = ask(client, researcher.username)
    assert missing.status_code == 401
    assert "code" in missing.json()["detail"]
    wrong = ask(
        client, researcher.username, code="000000" if totp_code(researcher) != "000000" else "1"
    )
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Wrong code."}
    assert not AuthToken.objects.exists()
    [failure] = events(AuditEvent.Action.LOGIN_FAILED)
    assert failure.detail["factor"] == "code"


def wrong_code(user) -> str:
    real = {totp_code(user, step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in real)


def test_a_session_alone_gets_no_token(researcher):
    client = Client()
    client.force_login(researcher)

    missing = client.post(TOKEN, {}, content_type="application/json")
    assert missing.status_code == 401
    assert "code" in missing.json()["detail"]
    wrong = client.post(TOKEN, {"code": wrong_code(researcher)}, content_type="application/json")
    assert wrong.status_code == 401
    assert not AuthToken.objects.exists()
    [failure] = events(AuditEvent.Action.LOGIN_FAILED)
    assert failure.detail["factor"] == "code"

    right = client.post(TOKEN, {"code": totp_code(researcher)}, content_type="application/json")

    assert right.status_code == 200, right.content
    assert AuthToken.objects.filter(user=researcher).count() == 1
    [created] = events(AuditEvent.Action.API_TOKEN_CREATED)
    assert created.detail["via"] == "session"


def test_wrong_codes_from_many_addresses_lock_the_account(researcher, no_rate_limit):
    # Four wrong codes from each address stay under the per-address lockout (five).
    statuses = [
        ask(
            Client(),
            researcher.username,
            code=wrong_code(researcher),
            REMOTE_ADDR=f"203.0.113.{n // 4}",
        ).status_code
        for n in range(12)
    ]
    assert statuses == [401] * 9 + [429] * 3

    right = ask(Client(), researcher.username, code=totp_code(researcher), REMOTE_ADDR=REAL_USER)

    assert right.status_code == 429
    assert "Too many failed logins. Try again in 60 minutes" in right.json()["detail"]
    assert not AuthToken.objects.exists()
    [locked] = events(AuditEvent.Action.LOCKED_OUT)
    assert locked.detail == {"reason": "codes"}
    assert locked.actor_username == researcher.username


def test_a_recovery_code_gives_one_token(client, researcher):
    [code, *_rest] = RecoveryCodes.activate(researcher).generate_codes()
    assert ask(client, researcher.username, code=code).status_code == 200
    assert ask(client, researcher.username, code=code).status_code == 401


def test_token_use_is_audited_once_per_request_without_the_query(researcher, db):
    _instance, token = AuthToken.objects.create(user=researcher)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}", REMOTE_ADDR=REAL_USER)

    assert api.get("/api/v1/incidents/?q=secret+words").status_code == 200

    [used] = events(AuditEvent.Action.API_TOKEN_USED)
    assert used.actor == researcher
    assert used.client_address == REAL_USER
    assert used.detail == {"method": "GET", "path": "/api/v1/incidents/"}
    assert not Session.objects.exists()  # a token request starts no session


def test_removing_the_last_second_factor_revokes_the_tokens(researcher, db):
    AuthToken.objects.create(user=researcher)
    researcher.authenticator_set.all().delete()
    assert not AuthToken.objects.filter(user=researcher).exists()
