"""An editor files a case in the browser, a reviewer publishes it, the public reads it."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from incidents.models import Incident

from ..factories import UserFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]

PASSWORD = "a long enough passphrase"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(totp_code(User.objects.get(username=username)))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Staff log in")).to_be_visible()


def create_in_picker(page, select_id, name):
    """Type a name no organization has yet and take the picker's offer to add it."""
    page.locator(f"#{select_id}-ts-control").click()
    page.locator(f"#{select_id}-ts-control").fill(name)
    page.locator(f"#{select_id}-ts-dropdown .create").click()
    expect(page.locator(f"#{select_id}-ts-control").locator("xpath=..")).to_contain_text(name)


def test_editor_files_reviewer_publishes_visitor_reads(page, live_server, screenshot):
    UserFactory(username="elena", password=PASSWORD, roles=["editor"])
    UserFactory(username="ruslan", password=PASSWORD, roles=["reviewer"])

    log_in(page, live_server, "elena")
    page.goto(f"{live_server.url}/en/staff/")
    page.get_by_role("link", name="New incident").click()
    page.get_by_label("Title").fill("Lawyers' seminar broken up in Osh")
    page.get_by_label("About the situation").fill(
        "Men in plain clothes stopped a seminar on torture cases and filmed the lawyers."
    )
    page.get_by_label("Date it happened").fill("2024-03-12")
    page.get_by_label("Country").select_option("KG")
    page.get_by_label("Place").fill("Osh")
    page.get_by_label("Current status").select_option(label="Harassment and intimidation")
    create_in_picker(page, "id_organizations", "Osh Lawyers' Circle")
    page.locator("#id_perpetrator_links-0-new_group_name").fill("Men in plain clothes")
    page.locator("#id_perpetrator_links-0-new_group_kind").select_option("unknown")
    screenshot("1-form-filled")
    page.get_by_role("button", name="Save and submit for review").click()

    expect(page.get_by_text("In review").first).to_be_visible()
    screenshot("2-submitted")
    incident = Incident.objects.get(title="Lawyers' seminar broken up in Osh")
    assert incident.publication_state == Incident.State.IN_REVIEW
    assert [o.name for o in incident.organizations.all()] == ["Osh Lawyers' Circle"]
    assert [g.name for g in incident.perpetrator_groups.all()] == ["Men in plain clothes"]
    log_out(page)

    # Before publication the public gets nothing.
    public_response = page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    assert public_response.status == 404

    log_in(page, live_server, "ruslan")
    page.goto(f"{live_server.url}{incident.get_staff_url()}")
    # Publishing asks first, in a dialog over the page.
    page.get_by_role("link", name="Publish…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("It becomes public at once")
    screenshot("3-asked-before-publishing")
    dialog.get_by_role("button", name="Yes, publish").click()
    expect(page.get_by_text("Published").first).to_be_visible()
    log_out(page)

    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lawyers' seminar broken up in Osh")
    expect(page.get_by_text("Harassment and intimidation").first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Osh Lawyers' Circle"))).to_be_visible()
    expect(page.get_by_text("Men in plain clothes").first).to_be_visible()
    screenshot("4-public-case-page")
    assert page.csp_violations == []
