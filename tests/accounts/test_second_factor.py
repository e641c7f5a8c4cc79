"""Staff must enrol a second factor before anything opens, and log in with it."""

from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse
from django.urls.converters import IntConverter

from casefile.audit.models import AuditEvent
from tests.factories import UserFactory, totp_code

from .conftest import PASSWORD, events, is_logged_in, post_code, post_login

ENROL = reverse("mfa_activate_totp")


def staff_paths() -> list[str]:
    """Every staff page of the apps, with placeholder ids (the check runs before the view)."""
    paths = []
    for namespace in ("incidents", "organizations", "appeals"):
        for pattern in import_module(f"{namespace}.urls").urlpatterns:
            if "staff/" not in str(pattern.pattern):
                continue
            kwargs = {
                name: 1 if isinstance(converter, IntConverter) else "fr"
                for name, converter in pattern.pattern.converters.items()
            }
            paths.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return paths


@pytest.fixture
def unenrolled(db):
    return UserFactory(username="nina.new", roles=["editor"], mfa=False)


def test_every_staff_url_sends_staff_without_a_second_factor_to_enrol(client, unenrolled):
    client.force_login(unenrolled)
    paths = staff_paths()
    assert len(paths) > 20
    for path in [*paths, reverse("incidents:home"), reverse("accounts:security")]:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, path
            assert response["Location"] == ENROL, path


def test_admin_and_session_api_are_closed_to_a_superuser_without_a_second_factor(db):
    boss = UserFactory(is_staff=True, is_superuser=True, mfa=False)
    client = Client()
    client.force_login(boss)
    assert client.get("/admin/")["Location"] == ENROL
    assert client.get("/admin/auth/user/")["Location"] == ENROL
    api = client.get("/api/v1/incidents/")
    assert api.status_code == 403
    assert "second factor" in api.json()["detail"]
    assert client.post("/api/v1/auth/token/").status_code == 403


def test_token_endpoint_gives_staff_without_a_second_factor_no_token(client, unenrolled):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": unenrolled.username, "password": PASSWORD, "code": "123456"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not unenrolled.auth_token_set.exists()


def test_staff_without_a_second_factor_may_enrol_and_log_out(client, unenrolled):
    client.force_login(unenrolled)
    assert client.get(ENROL).status_code in {200, 302}  # 302: confirm the password first
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_outsider_without_a_second_factor_is_not_asked_to_enrol(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("incidents:home")).status_code == 200


def test_enrolling_with_a_real_code_opens_the_staff_pages(client, unenrolled):
    response = post_login(client, unenrolled.username)
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == ENROL

    # allauth asks for the password again before a factor is added or removed.
    reauthenticate = client.get(ENROL)["Location"]
    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    assert client.post(reauthenticate, {"password": PASSWORD})["Location"] == ENROL
    page = client.get(ENROL)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text  # the QR code, allowed by the CSP
    secret = page.context["form"].secret
    wrong = client.post(ENROL, {"code": "000000" if totp(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=unenrolled).exists()

    response = client.post(ENROL, {"code": totp(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=unenrolled, type="totp").exists()
    assert client.get(reverse("incidents:dashboard")).status_code == 200
    assert client.get(reverse("incidents:create")).status_code == 200
    added = events(AuditEvent.Action.MFA_ADDED, actor=unenrolled)
    assert [event.detail for event in added] == [{"type": "totp"}]
    assert events(AuditEvent.Action.RECOVERY_CODES, actor=unenrolled)


def totp(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_login_asks_an_enrolled_user_for_the_code(client, editor):
    response = post_login(client, editor.username, REMOTE_ADDR="198.51.100.7")
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client)  # the password alone opens nothing

    response = post_code(client, totp_code(editor), REMOTE_ADDR="198.51.100.7")

    assert response["Location"] == reverse("incidents:dashboard")
    assert is_logged_in(client)
    [login] = events(AuditEvent.Action.LOGIN, actor=editor)
    assert login.detail == {"second_factor": "totp"}
    assert login.client_address == "198.51.100.7"


def test_a_wrong_code_is_refused_and_recorded(client, editor):
    post_login(client, editor.username)
    real = {totp_code(editor, step) for step in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in real)

    response = post_code(client, wrong)

    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert not is_logged_in(client)
    [failure] = events(AuditEvent.Action.LOGIN_FAILED)
    assert failure.actor_username == editor.username
    assert failure.detail["factor"] == "code"


def test_a_recovery_code_works_once(editor):
    codes = RecoveryCodes.activate(editor).generate_codes()
    first = Client()
    post_login(first, editor.username)
    assert post_code(first, codes[0])["Location"] == reverse("incidents:dashboard")
    assert is_logged_in(first)

    again = Client()
    post_login(again, editor.username)
    assert post_code(again, codes[0]).status_code == 200
    assert not is_logged_in(again)
    assert post_code(again, codes[1])["Location"] == reverse("incidents:dashboard")


def test_the_admin_login_form_is_replaced_by_ours(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/admin/"
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


def test_the_login_page_offers_no_sign_up(client, db):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "sign up" not in page.text.lower()
    assert 'class="form-control' in page.text


def test_the_admin_password_form_is_replaced_by_ours(admin_client):
    response = admin_client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
    # No guessing of the old password there either.
    posted = admin_client.post("/admin/password_change/", {"old_password": "guess"})
    assert posted["Location"] == reverse("account_change_password")


def test_the_admin_shows_no_authenticator_secret_and_changes_nothing(admin_client, editor):
    totp = Authenticator.objects.get(user=editor, type=Authenticator.Type.TOTP)
    codes = RecoveryCodes.activate(editor).instance
    before = {a.pk: a.data for a in Authenticator.objects.filter(user=editor)}
    url = f"/admin/mfa/authenticator/{codes.pk}/change/"

    page = admin_client.get(url)

    assert page.status_code == 200
    assert (
        totp.data["secret"] not in admin_client.get(url.replace(str(codes.pk), str(totp.pk))).text
    )
    assert "used_mask" not in page.text and "seed" not in page.text
    admin_client.post(
        url, {"user": editor.pk, "type": "recovery_codes", "data": '{"used_mask": 0}'}
    )
    assert admin_client.get("/admin/mfa/authenticator/add/").status_code == 403
    assert {a.pk: a.data for a in Authenticator.objects.filter(user=editor)} == before


def test_deleting_an_authenticator_in_the_admin_ends_sessions_and_is_audited(
    admin_client, admin_user, editor
):
    RecoveryCodes.activate(editor)
    totp = Authenticator.objects.get(user=editor, type=Authenticator.Type.TOTP)
    theirs = Client()
    theirs.force_login(editor)

    response = admin_client.post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=editor).exists()  # no dangling codes
    [removed] = events(AuditEvent.Action.MFA_REMOVED)
    assert removed.actor == admin_user
    assert theirs.get(reverse("incidents:dashboard")).status_code == 302


MFA_PAGES = [
    "mfa_index",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
]


@pytest.mark.parametrize("enrolled", [True, False])
def test_every_second_factor_page_opens(enrolled, db):
    user = UserFactory(username="paula.pages", roles=["editor"], mfa=enrolled)
    if enrolled:
        RecoveryCodes.activate(user)
    client = Client()
    post_login(client, user.username)
    if enrolled:
        post_code(client, totp_code(user))
    # Recently confirmed, so the pages themselves render instead of asking again.
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302

    statuses = {name: client.get(reverse(name)).status_code for name in MFA_PAGES}

    assert all(status < 500 for status in statuses.values()), statuses
    assert statuses["mfa_index"] == statuses["mfa_list_webauthn"] == 200
    assert statuses["mfa_add_webauthn"] == 200
    if enrolled:
        assert statuses["mfa_view_recovery_codes"] == statuses["mfa_deactivate_totp"] == 200
    else:
        assert statuses["mfa_activate_totp"] == 200
