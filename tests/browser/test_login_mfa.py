"""A staff member logs in with a password and the code of an authenticator app."""

import pytest
from playwright.sync_api import expect

from ..factories import UserFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]

PASSWORD = "a long enough passphrase"


def test_staff_member_logs_in_with_password_and_code(page, live_server, screenshot):
    elena = UserFactory(username="elena", password=PASSWORD, roles=["editor"])

    page.goto(f"{live_server.url}/en/staff/")
    expect(page.get_by_role("heading", name="Staff log in")).to_be_visible()
    page.get_by_label("Username").fill("elena")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot("1-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_label("Code")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.get_by_label("Code").fill("000000" if totp_code(elena) != "000000" else "111111")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(elena))
    screenshot("2-code")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert page.url == f"{live_server.url}/en/staff/"
    page.get_by_role("link", name="elena").click()
    expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
    expect(page.get_by_text("This session")).to_be_visible()
    screenshot("3-account")
    assert page.csp_violations == []


def test_staff_member_without_a_second_factor_enrols_first(page, live_server, screenshot):
    UserFactory(username="nina", password=PASSWORD, roles=["editor"], mfa=False)

    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Username").fill("nina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Sent to enrol; allauth asks for the password once more before a factor is added.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    expect(page.locator("img[src^='data:image/svg+xml']")).to_be_visible()
    screenshot("1-enrol")
    assert page.csp_violations == []
