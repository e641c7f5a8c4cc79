"""A case with two sources, two figures citing them, two organizations and two new
perpetrator groups of different kinds is filed in one form submission: with JavaScript,
and without it (Tor Browser's safest mode). Each test counts the staffer's actions."""

import pytest
from playwright.sync_api import expect

from incidents.models import Incident

from ..factories import OrganizationFactory, UserFactory
from .test_file_and_publish import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


class Counted:
    """The page, with each fill, choice, click and key press a staffer makes counted."""

    def __init__(self, page):
        self.page = page
        self.actions = 0

    def fill(self, selector, text):
        self.page.locator(selector).fill(text)
        self.actions += 1

    def choose(self, selector, **option):
        self.page.locator(selector).select_option(**option)
        self.actions += 1

    def click(self, locator):
        locator.click()
        self.actions += 1

    def press(self, selector, key):
        self.page.locator(selector).press(key)
        self.actions += 1


def fill_the_case(staffer):
    staffer.fill("#id_title", "Protest dispersed in Atyrau")
    staffer.fill("#id_summary", "Police dispersed a peaceful protest and detained forty people.")
    staffer.fill("#id_occurred_on", "2022-01-05")
    staffer.choose("#id_country", value="KZ")
    staffer.fill("#id_place", "Atyrau")
    staffer.choose("#id_status", label="Arbitrary detention")


def fill_perpetrators_sources_and_figures(staffer, *, new_sources=("New source 1", "New source 2")):
    """The rows; ``new_sources`` are the labels the figures' choice shows for the two new
    source rows (with JavaScript, followed by the headline typed)."""
    staffer.fill("#id_perpetrator_links-0-new_group_name", "Atyrau city court")
    staffer.choose("#id_perpetrator_links-0-new_group_kind", value="judiciary")
    staffer.fill("#id_perpetrator_links-1-new_group_name", "Men in plain clothes")
    staffer.choose("#id_perpetrator_links-1-new_group_kind", value="unknown")
    for row, (kind, headline) in enumerate(
        [("news_report", "Report A"), ("ngo_report", "Report B")]
    ):
        staffer.choose(f"#id_sources-{row}-kind", value=kind)
        staffer.fill(f"#id_sources-{row}-title", headline)
        staffer.choose(f"#id_sources-{row}-reliability", value="probable")
    for row, (counted, value, source) in enumerate(
        [("detained", "40", new_sources[1]), ("injured", "3", new_sources[0])]
    ):
        staffer.choose(f"#id_figures-{row}-counted", value=counted)
        staffer.fill(f"#id_figures-{row}-value", value)
        staffer.choose(f"#id_figures-{row}-source", label=source)


def assert_filed_whole():
    incident = Incident.objects.get(title="Protest dispersed in Atyrau")
    assert incident.publication_state == Incident.State.IN_REVIEW
    assert sorted(o.name for o in incident.organizations.all()) == [
        "Feminita",
        "Kazakhstan Bureau for Human Rights",
    ]
    assert {g.name: g.kind for g in incident.perpetrator_groups.all()} == {
        "Atyrau city court": "judiciary",
        "Men in plain clothes": "unknown",
    }
    assert {f.counted: (f.value, f.source.title) for f in incident.figures.all()} == {
        "detained": (40, "Report B"),
        "injured": (3, "Report A"),
    }
    return incident


def test_filed_in_one_submission_with_javascript(page, live_server, screenshot, record_property):
    UserFactory(username="ruslan", password=PASSWORD, roles=["reviewer"])
    log_in(page, live_server, "ruslan")
    page.goto(f"{live_server.url}/en/staff/incidents/new/")
    staffer = Counted(page)

    fill_the_case(staffer)
    for name in ["Kazakhstan Bureau for Human Rights", "Feminita"]:
        # The picker offers to add a name nobody has entered: type it, take the offer.
        staffer.fill("#id_organizations-ts-control", name)
        staffer.click(page.locator("#id_organizations-ts-dropdown .create"))
        expect(page.locator("#id_organizations-ts-control").locator("xpath=..")).to_contain_text(
            name
        )
    # The sources' headlines show in the figures' choice as they are typed.
    fill_perpetrators_sources_and_figures(
        staffer, new_sources=("New source 1: Report A", "New source 2: Report B")
    )
    screenshot("filled")
    staffer.click(page.get_by_role("button", name="Save and submit for review"))

    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    assert_filed_whole()
    record_property("actions", staffer.actions)
    print(f"\nactions with JavaScript: {staffer.actions}")
    assert page.csp_violations == []


def test_filed_in_one_submission_without_javascript(browser, live_server, record_property):
    chosen = [
        OrganizationFactory(name="Kazakhstan Bureau for Human Rights"),
        OrganizationFactory(name="Feminita"),
    ]
    OrganizationFactory.create_batch(3)
    UserFactory(username="ruslan", password=PASSWORD, roles=["reviewer"])
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "ruslan")
    page.goto(f"{live_server.url}/en/staff/incidents/new/")
    staffer = Counted(page)

    fill_the_case(staffer)
    # A plain select: every organization is listed.
    staffer.choose("#id_organizations", value=[str(o.pk) for o in chosen])
    # No script names the new source rows by their headline: they are "New source 1", "2".
    fill_perpetrators_sources_and_figures(staffer)
    staffer.click(page.get_by_role("button", name="Save and submit for review"))

    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    assert_filed_whole()
    record_property("actions", staffer.actions)
    print(f"\nactions without JavaScript: {staffer.actions}")
    context.close()


class Keyboard:
    """A staffer with the keyboard alone: Tab to a field, then type or pick with arrows.
    Counts the Tab presses apart from the fields filled."""

    def __init__(self, page):
        self.page = page
        self.tabs = 0
        self.actions = 0

    def tab_to(self, selector):
        for _ in range(400):
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press("Tab")
            self.tabs += 1
        raise AssertionError(f"{selector} was never reached with Tab")

    def type(self, selector, text):
        self.tab_to(selector)
        self.page.keyboard.type(text)
        self.actions += 1

    def choose(self, selector, value):
        self.tab_to(selector)
        index = self.page.evaluate(
            "([s, v]) => [...document.querySelector(s).options].findIndex(o => o.value === v)",
            [selector, value],
        )
        assert index >= 0, (selector, value)
        self.page.keyboard.press("Home")
        for _ in range(index):
            self.page.keyboard.press("ArrowDown")
        self.actions += 1
        assert self.page.locator(selector).input_value() == value

    def add_in_picker(self, control, name):
        self.tab_to(control)
        self.page.keyboard.type(name)
        expect(self.page.locator(".ts-dropdown .create.active")).to_be_visible()
        self.page.keyboard.press("Enter")
        self.actions += 1
        # Added once the server answers: the picker then shows it and empties its input.
        expect(self.page.locator(control).locator("xpath=..")).to_contain_text(name)
        expect(self.page.locator(control)).to_have_value("")


def test_filed_in_one_submission_by_keyboard_alone(browser, live_server, record_property):
    UserFactory(username="ruslan", password=PASSWORD, roles=["reviewer"])
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "ruslan")
    page.goto(f"{live_server.url}/en/staff/incidents/new/")
    page.locator("body").focus()
    staffer = Keyboard(page)

    staffer.type("#id_title", "Protest dispersed in Atyrau")
    staffer.type("#id_summary", "Police dispersed a peaceful protest and detained forty people.")
    staffer.type("#id_occurred_on", "01052022")
    staffer.choose("#id_country", "KZ")
    staffer.type("#id_place", "Atyrau")
    status = page.evaluate(
        "[...document.querySelector('#id_status').options]"
        ".find(o => o.text === 'Arbitrary detention').value"
    )
    staffer.choose("#id_status", status)
    for name in ["Kazakhstan Bureau for Human Rights", "Feminita"]:
        staffer.add_in_picker("#id_organizations-ts-control", name)
    staffer.type("#id_perpetrator_links-0-new_group_name", "Atyrau city court")
    staffer.choose("#id_perpetrator_links-0-new_group_kind", "judiciary")
    staffer.type("#id_perpetrator_links-1-new_group_name", "Men in plain clothes")
    staffer.choose("#id_perpetrator_links-1-new_group_kind", "unknown")
    for row, (kind, headline) in enumerate(
        [("news_report", "Report A"), ("ngo_report", "Report B")]
    ):
        staffer.choose(f"#id_sources-{row}-kind", kind)
        staffer.type(f"#id_sources-{row}-title", headline)
        staffer.choose(f"#id_sources-{row}-reliability", "probable")
    for row, (counted, value, source) in enumerate(
        [("detained", "40", "new-1"), ("injured", "3", "new-0")]
    ):
        staffer.choose(f"#id_figures-{row}-counted", counted)
        staffer.type(f"#id_figures-{row}-value", value)
        staffer.choose(f"#id_figures-{row}-source", source)
    staffer.tab_to("button[name=save][value=submit]")
    page.keyboard.press("Enter")
    staffer.actions += 1

    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    assert_filed_whole()
    record_property("actions", staffer.actions)
    record_property("tabs", staffer.tabs)
    print(f"\nactions by keyboard: {staffer.actions}, plus {staffer.tabs} Tab presses")
    context.close()
