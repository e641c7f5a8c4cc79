"""A reviewer generates an appeal's PDF in the browser; an anonymous visitor downloads it."""

import hashlib

import pytest
from playwright.sync_api import expect

from appeals.models import AppealVersion

from ..factories import AppealFactory, UserFactory
from .test_file_and_publish import PASSWORD, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


def test_reviewer_generates_the_appeal_and_a_visitor_downloads_it(
    page, live_server, screenshot, tmp_path
):
    UserFactory(username="ruslan", password=PASSWORD, roles=["reviewer"])
    appeal = AppealFactory(published=True)
    assert not AppealVersion.objects.filter(appeal=appeal).exists()

    log_in(page, live_server, "ruslan")
    page.goto(f"{live_server.url}/en/staff/appeals/{appeal.pk}/")
    page.get_by_role("button", name="Generate PDF in French").click()
    status = page.locator('[data-render-language="fr"]')
    expect(status.locator('[data-render-field="state_label"]')).to_have_text("Ready")
    screenshot("staff-ready")
    version = AppealVersion.objects.ready().get(appeal=appeal, language="fr")
    log_out(page)

    page.goto(f"{live_server.url}{appeal.incident.get_absolute_url()}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the urgent appeal").click()
    screenshot("case-page")
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    assert download.suggested_filename.endswith(".pdf")
    assert appeal.reference_slug in download.suggested_filename
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == version.sha256
    assert page.csp_violations == []
