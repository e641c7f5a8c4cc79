"""A visitor switches a case page to Arabic: right to left throughout, then to Russian."""

import datetime

import pytest
from playwright.sync_api import expect

from incidents.models import IncidentTranslation

from ..factories import IncidentFactory, OrganizationFactory, UpdateFactory
from .test_accessibility import axe_page, serious_violations  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


@pytest.fixture
def translated_case():
    coalition = OrganizationFactory(name="Coalition Against Torture", about="A coalition.")
    incident = IncidentFactory(
        published=True,
        slug="meeting-disrupted-bishkek",
        title="Coalition meeting in Bishkek disrupted",
        summary="Nine people burst into a meeting of the Coalition Against Torture.",
        narrative="On 23 May 2019 nine people walked into the room.",
        occurred_on=datetime.date(2019, 5, 23),
        organizations=[coalition],
    )
    UpdateFactory(incident=incident, title="Complaint lodged", body="With the police.")
    IncidentTranslation.objects.create(
        incident=incident,
        language="ar",
        title="تعطيل اجتماع الائتلاف في بيشكيك",
        summary="اقتحم تسعة أشخاص اجتماعاً لائتلاف مناهضة التعذيب.",
        place="بيشكيك",
    )
    IncidentTranslation.objects.create(
        incident=incident,
        language="ru",
        title="Сорвано собрание Коалиции в Бишкеке",
        summary="Девять человек ворвались на собрание Коалиции против пыток.",
        narrative="23 мая 2019 года девять человек вошли в зал.",
        place="Бишкек",
    )
    return incident


def test_a_visitor_switches_a_case_page_to_arabic_and_reads_it_right_to_left(
    page,
    live_server,
    screenshot,
    translated_case,
    axe_page,  # noqa: F811
):
    page.goto(f"{live_server.url}/en/cases/meeting-disrupted-bishkek/")
    expect(page.locator("h1")).to_have_text("Coalition meeting in Bishkek disrupted")

    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Go").click()

    page.wait_for_url("**/ar/cases/meeting-disrupted-bishkek/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_have_text("تعطيل اجتماع الائتلاف في بيشكيك")
    # The layout runs right to left: the title's right edge is at the page's right side.
    title = page.locator("h1").bounding_box()
    assert title["x"] + title["width"] > 1280 / 2
    direction = page.evaluate("getComputedStyle(document.querySelector('h1')).direction")
    assert direction == "rtl"
    # The interface speaks Arabic; a text not yet translated is marked as the original.
    expect(page.locator("#about-the-situation-heading")).to_have_text("حول الوضع")
    narrative = page.locator("[lang=en]", has_text="On 23 May 2019")
    expect(narrative).to_be_visible()
    english = "getComputedStyle(document.querySelector('.case-text[lang=en]')).direction"
    assert page.evaluate(english) == "ltr"
    screenshot("arabic")
    axe_page.goto(page.url)
    assert serious_violations(axe_page) == []

    # The choice is remembered: the bare address now opens in Arabic.
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")

    page.goto(f"{live_server.url}/ar/cases/meeting-disrupted-bishkek/")
    page.get_by_label("اللغة").select_option("ru")
    page.locator("form[action='/i18n/setlang/'] button").click()
    page.wait_for_url("**/ru/cases/meeting-disrupted-bishkek/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Сорвано собрание Коалиции в Бишкеке")
    expect(page.get_by_text("23 мая 2019 года девять человек вошли в зал.")).to_be_visible()
    screenshot("russian")


def test_the_arabic_statistics_page_lays_out_charts_and_tables_right_to_left(
    page, live_server, screenshot, translated_case
):
    page.goto(f"{live_server.url}/ar/cases/statistics/")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#chart-per-country")).to_be_visible()
    # The tables hold the same numbers, with Arabic headings and country names.
    table = page.locator("table").filter(has_text="قرغيزستان").first
    expect(table).to_be_visible()
    first, last = (table.locator("thead th").nth(i).bounding_box() for i in (0, -1))
    assert first["x"] > last["x"]  # the first column is on the right
    # Status names come in Arabic too (the seeded vocabulary's translations).
    expect(page.locator("table").filter(has_text="المضايقة والترهيب")).to_be_visible()
    screenshot("arabic-statistics")
