"""A researcher filters the public case list, downloads the CSV, and reads the statistics."""

import csv
import datetime
import io

import pytest
from playwright.sync_api import expect

from ..factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    PerpetratorGroupFactory,
    UserFactory,
    status,
)
from .test_accessibility import axe_page, serious_violations  # noqa: F401 (a fixture)
from .test_file_and_publish import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


@pytest.fixture
def research_cases():
    police = PerpetratorGroupFactory(name="Police of Osh", kind="police")
    wanted = []
    for n in range(3):
        incident = IncidentFactory(
            published=True,
            title=f"Журналист задержан в Оше {n}",
            country="KG",
            status=status("arbitrary-detention"),
            occurred_on=datetime.date(2022, 3, n + 1),
        )
        IncidentPerpetratorFactory(incident=incident, perpetrator_group=police)
        wanted.append(incident)
    IncidentFactory(published=True, title="Other status", country="KG")
    IncidentFactory(
        published=True,
        title="Other country",
        country="KZ",
        status=status("arbitrary-detention"),
        occurred_on=datetime.date(2021, 1, 1),
    )
    IncidentFactory(title="Draft case", country="KG", status=status("arbitrary-detention"))
    return wanted


def test_researcher_filters_the_case_list_and_downloads_the_csv(
    page, live_server, screenshot, tmp_path, research_cases
):
    UserFactory(username="rita", password=PASSWORD, roles=["researcher"])
    log_in(page, live_server, "rita")

    page.goto(f"{live_server.url}/en/cases/")
    expect(page.get_by_role("status").filter(has_text="cases")).to_contain_text("5 cases")
    page.get_by_label("Kyrgyzstan (4)").check()
    page.get_by_label("Arbitrary detention (4)").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.locator(".result-count")).to_contain_text("3 cases")
    assert "country=KG" in page.url and "status=arbitrary-detention" in page.url
    expect(page.locator(".case-card")).to_have_count(3)
    expect(page.get_by_label("Kyrgyzstan (3)")).to_be_checked()
    screenshot("case-list")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))

    assert download.suggested_filename.endswith(".csv")
    assert sorted(row["title"] for row in rows) == sorted(i.title for i in research_cases)
    assert {(row["country"], row["status"]) for row in rows} == {("KG", "arbitrary-detention")}

    page.get_by_role("link", name="Statistics").first.click()
    expect(page.get_by_role("heading", name="Statistics", level=1)).to_be_visible()
    expect(page.locator("#table-per-country")).to_contain_text("Kyrgyzstan")
    # The chart library is a deferred script: on a busy machine it may not have run yet.
    page.wait_for_function(
        "() => window.Chart !== undefined && Chart.getChart('chart-per-year') !== undefined"
    )
    screenshot("statistics")
    assert page.csp_violations == []


def test_statistics_charts_draw_right_to_left_in_arabic(
    page, live_server, screenshot, research_cases
):
    page.goto(f"{live_server.url}/ar/cases/statistics/")
    page.wait_for_function(
        "() => window.Chart !== undefined && Chart.getChart('chart-per-country') !== undefined"
    )
    drawn = page.evaluate(
        "() => ['per-year', 'per-country', 'per-status', 'state-or-not', 'per-kind']"
        ".filter(id => Chart.getChart('chart-' + id)).length"
    )
    screenshot("statistics-ar")

    assert drawn == 5
    assert page.csp_violations == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_research_pages_have_no_serious_accessibility_violations(
    axe_page,  # noqa: F811
    live_server,
    research_cases,
    language,
):
    paths = [
        f"/{language}/cases/?country=KG&status=arbitrary-detention",
        f"/{language}/cases/?year=abc&q=x",
        f"/{language}/cases/statistics/",
        f"/{language}/cases/statistics/?country=KG&perpetrator_kind=state",
    ]
    found = {}
    for path in paths:
        axe_page.goto(live_server.url + path)
        if violations := serious_violations(axe_page):
            found[path] = violations
    assert found == {}
