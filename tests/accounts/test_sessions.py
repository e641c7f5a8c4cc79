"""Sessions: idle and absolute limits, a new key at login, ended on account changes."""

import time

from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import StaffSession
from accounts.services import SESSION_SEEN, SESSION_STARTED
from casefile.audit.models import AuditEvent
from tests.factories import totp_code

from .conftest import PASSWORD, events, is_logged_in, post_code, post_login

DASHBOARD = reverse("incidents:dashboard")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shift_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_an_idle_session_ends_after_30_minutes(editor):
    client = logged_in(editor)
    shift_session(client, **{SESSION_SEEN: 29 * 60})
    assert client.get(DASHBOARD).status_code == 200

    shift_session(client, **{SESSION_SEEN: 31 * 60})
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not is_logged_in(client)
    [ended] = events(AuditEvent.Action.SESSION_ENDED)
    assert ended.detail == {"reason": "idle", "sessions": 1}
    assert not StaffSession.objects.filter(user=editor).exists()


def test_a_busy_session_ends_after_12_hours_all_the_same(editor):
    client = logged_in(editor)
    shift_session(client, **{SESSION_STARTED: 11.9 * 3600, SESSION_SEEN: 10})
    assert client.get(DASHBOARD).status_code == 200

    shift_session(client, **{SESSION_STARTED: 12 * 3600 + 60, SESSION_SEEN: 10})

    assert client.get(DASHBOARD).status_code == 302
    assert events(AuditEvent.Action.SESSION_ENDED)[0].detail["reason"] == "absolute"


def test_the_session_cookie_lasts_no_longer_than_12_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_login_gives_a_new_session_key(client, editor):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    assert before

    post_login(client, editor.username)
    post_code(client, totp_code(editor))

    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert StaffSession.objects.get(user=editor).session_key == after


def real_login(user, **headers) -> Client:
    """Through the form, with a real code (each code works once: one real login a test)."""
    client = Client(**headers)
    post_login(client, user.username)
    post_code(client, totp_code(user))
    assert is_logged_in(client)
    return client


def test_changing_the_password_ends_the_other_sessions_and_the_api_tokens(editor):
    other = logged_in(editor)
    mine = real_login(editor)
    _instance, token = AuthToken.objects.create(user=editor)

    response = mine.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
        },
    )

    assert response.status_code == 302
    assert is_logged_in(mine)
    assert not is_logged_in(other)
    assert StaffSession.objects.filter(user=editor).count() == 1
    assert StaffSession.objects.get(user=editor).session_key == mine.session.session_key
    assert events(AuditEvent.Action.PASSWORD_CHANGED, actor=editor)
    ended = events(AuditEvent.Action.SESSION_ENDED)
    assert [e.detail for e in ended] == [{"reason": "password_changed", "sessions": 1, "tokens": 1}]
    # A token minted by a stolen session does not outlive the new password.
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/incidents/").status_code == 401


def test_a_password_set_by_an_administrator_ends_every_session(editor, admin_client, admin_user):
    sessions = [logged_in(editor), logged_in(editor)]

    response = admin_client.post(
        f"/admin/auth/user/{editor.pk}/password/",
        {"password1": "a new long passphrase", "password2": "a new long passphrase"},
    )

    assert response.status_code == 302
    assert not any(is_logged_in(client) for client in sessions)
    [changed] = events(AuditEvent.Action.PASSWORD_CHANGED)
    assert changed.actor == admin_user
    assert changed.object_id == str(editor.pk)


def test_removing_a_second_factor_ends_the_other_sessions(editor):
    other = logged_in(editor)
    mine = real_login(editor)
    totp = Authenticator.objects.get(user=editor, type="totp")
    # A fresh login counts as a recent password check only once confirmed again.
    mine.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = mine.post(reverse("mfa_deactivate_totp"), {})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    assert not is_logged_in(other)
    # This session stays, and is now sent to enrol again like any staff without a factor.
    assert mine.get(DASHBOARD)["Location"] == reverse("mfa_activate_totp")
    [removed] = events(AuditEvent.Action.MFA_REMOVED)
    assert removed.actor == editor
    assert removed.detail == {"type": "totp"}


def test_adding_a_second_factor_ends_the_other_sessions(editor):
    other = logged_in(editor)
    Authenticator.objects.create(user=editor, type="webauthn", data={})
    assert not is_logged_in(other)


def test_deactivation_ends_every_session(editor, admin_client, admin_user):
    sessions = [logged_in(editor), logged_in(editor)]
    editor.refresh_from_db()

    response = admin_client.post(
        f"/admin/auth/user/{editor.pk}/change/",
        {
            "username": editor.username,
            "email": editor.email,
            "is_staff": "",
            "is_active": "",  # unticked
            "groups": [g.pk for g in editor.groups.all()],
            "date_joined_0": editor.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": editor.date_joined.strftime("%H:%M:%S"),
        },
    )

    assert response.status_code == 302, response.content
    editor.refresh_from_db()
    assert not editor.is_active
    assert not StaffSession.objects.filter(user=editor).exists()
    assert not any(is_logged_in(client) for client in sessions)
    [deactivated] = events(AuditEvent.Action.ACCOUNT_DEACTIVATED)
    assert deactivated.actor == admin_user
    assert deactivated.object_id == str(editor.pk)


def test_staff_see_their_sessions_and_end_the_others(editor, reviewer):
    phone = real_login(editor, HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="198.51.100.9")
    laptop = logged_in(editor)
    theirs = logged_in(reviewer)

    page = laptop.get(reverse("accounts:security"))
    assert page.status_code == 200
    assert "Phone browser" in page.text
    assert "198.51.100.9" in page.text
    assert "This session" in page.text
    assert "Ruslan" not in page.text

    # Someone else's session is not found.
    reviewer_row = StaffSession.objects.get(user=reviewer)
    assert laptop.post(reverse("accounts:session_end", args=[reviewer_row.pk])).status_code == 404
    assert is_logged_in(theirs)

    phone_row = StaffSession.objects.get(user=editor, user_agent="Phone browser")
    assert laptop.post(reverse("accounts:session_end", args=[phone_row.pk])).status_code == 302
    assert not is_logged_in(phone)
    assert is_logged_in(laptop)
    [ended] = events(AuditEvent.Action.SESSION_ENDED)
    assert ended.detail == {"reason": "ended_by_user", "sessions": 1}


def test_end_all_other_sessions_revokes_the_api_tokens_too(editor, reviewer):
    others = [logged_in(editor), logged_in(editor)]
    mine = logged_in(editor)
    AuthToken.objects.create(user=editor)
    AuthToken.objects.create(user=editor)
    AuthToken.objects.create(user=reviewer)

    mine.post(reverse("accounts:sessions_end_others"))

    assert is_logged_in(mine)
    assert not any(is_logged_in(client) for client in others)
    assert StaffSession.objects.filter(user=editor).count() == 1
    assert not AuthToken.objects.filter(user=editor).exists()
    assert AuthToken.objects.filter(user=reviewer).count() == 1
    [ended] = events(AuditEvent.Action.SESSION_ENDED)
    assert ended.detail == {"reason": "ended_by_user", "sessions": 2, "tokens": 2}


def test_deactivating_a_user_revokes_their_api_tokens(editor):
    AuthToken.objects.create(user=editor)
    editor.is_active = False
    editor.save()
    assert not AuthToken.objects.filter(user=editor).exists()


def test_the_account_page_lists_the_api_tokens_and_revokes_one(editor, reviewer):
    mine, token = AuthToken.objects.create(user=editor)
    kept, _token = AuthToken.objects.create(user=editor)
    theirs, _token = AuthToken.objects.create(user=reviewer)
    client = logged_in(editor)

    page = client.get(reverse("accounts:security"))

    assert page.status_code == 200
    assert mine.token_key in page.text and kept.token_key in page.text
    assert token not in page.text  # only the first characters
    assert theirs.token_key not in page.text
    # One token table, in the page's body; the title is the page's name only.
    assert page.text.count('id="tokens-heading"') == 1
    title = page.text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Your account") and "<" not in title
    # Someone else's token is not found.
    revoke_theirs = reverse("accounts:api_token_revoke", args=[theirs.token_key])
    assert client.post(revoke_theirs).status_code == 404
    assert AuthToken.objects.filter(user=reviewer).exists()
    revoke = reverse("accounts:api_token_revoke", args=[mine.token_key])
    assert client.get(revoke).status_code == 405

    assert client.post(revoke)["Location"] == reverse("accounts:security")

    assert list(AuthToken.objects.filter(user=editor)) == [kept]
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/incidents/").status_code == 401
    [revoked] = events(AuditEvent.Action.API_TOKEN_REVOKED)
    assert revoked.actor == editor
    assert revoked.detail == {"token_key": mine.token_key}


def test_logout_is_audited_and_forgets_the_session(editor):
    client = real_login(editor)

    client.post(reverse("logout"))

    assert not StaffSession.objects.filter(user=editor).exists()
    assert events(AuditEvent.Action.LOGOUT, actor=editor)
