"""Keyboard users see where they are on the staff form; phone users reach cases and menus.

Each Tab on the new-incident form must land on something visible: inside the window, not
under the sticky save bar, not transparent or zero-sized. Pickers tell screen readers their
help text and errors. On a phone the case list shows a case on the first screen.
"""

import pytest
from playwright.sync_api import expect

from ..factories import IncidentFactory, UserFactory
from .test_file_and_publish import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Where the focused element is, and what a sighted keyboard user would see of it.
FOCUS_REPORT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rect = el.getBoundingClientRect();
  let opacity = 1;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    opacity *= parseFloat(getComputedStyle(node).opacity);
  }
  const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
  const hit = document.elementFromPoint(x, y);
  // A picker's text input sits inside the picker's box: a hit on that box is a hit.
  const box = el.closest(".ts-control") || el;
  const bar = document.querySelector(".form-actions");
  const barRect = bar ? bar.getBoundingClientRect() : null;
  const underBar = Boolean(
    barRect && !bar.contains(el) && rect.bottom > barRect.top && rect.top < barRect.bottom
  );
  return {
    name: el.id || el.getAttribute("name") || el.className || el.tagName,
    text: (el.textContent || "").trim().slice(0, 40),
    inView: rect.top >= 0 && rect.bottom <= window.innerHeight
      && rect.left >= 0 && rect.right <= window.innerWidth,
    visibleAtCentre: Boolean(hit && (hit === el || el.contains(hit) || box.contains(hit))),
    underBar: underBar,
    opacity: opacity,
    size: [rect.width, rect.height],
    inForm: Boolean(el.closest("form.incident-form")),
    last: el.matches(".form-actions a:last-child"),
  };
}"""


SCROLL_SETTLED = """() => new Promise((resolve) => {
  let last = null, still = 0, frames = 0;
  function check() {
    const now = window.scrollX + "," + window.scrollY;
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= 3 || ++frames > 120) resolve(); else requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})"""


def focus_problems(page, max_tabs=250):
    """Tab through the page up to the form's last control; say what a sighted user misses."""
    problems, seen_form = [], False
    for step in range(1, max_tabs + 1):
        page.keyboard.press("Tab")
        # Bootstrap scrolls smoothly: judge where the focus ends up, not mid-flight.
        page.evaluate(SCROLL_SETTLED)
        report = page.evaluate(FOCUS_REPORT)
        if report is None:
            continue
        where = f"Tab {step} on {report['name']!r} {report['text']!r}"
        if not report["inView"]:
            problems.append(f"{where}: outside the window")
        elif not report["visibleAtCentre"]:
            problems.append(f"{where}: covered by another element")
        if report["underBar"]:
            problems.append(f"{where}: under the sticky save bar")
        if report["opacity"] == 0 or 0 in report["size"]:
            problems.append(f"{where}: invisible (opacity {report['opacity']}, {report['size']})")
        seen_form = seen_form or report["inForm"]
        if report["last"]:
            break
    assert seen_form, "Tab never reached the incident form"
    return problems


@pytest.fixture
def elena(page, live_server):
    UserFactory(username="elena", password=PASSWORD, roles=["editor"])
    log_in(page, live_server, "elena")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_tab_stop_on_the_incident_form_is_visible(
    page, live_server, elena, screenshot, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/en/staff/incidents/new/")
    page.locator("#id_organizations-ts-control").wait_for()

    assert focus_problems(page) == []
    screenshot("form-tabbed-to-the-end")


def test_pickers_announce_their_help_text_and_errors(page, live_server, elena, screenshot):
    page.goto(f"{live_server.url}/en/staff/incidents/new/")
    combobox = page.locator("#id_organizations-ts-control")
    help_text = page.locator("#id_organizations_helptext")

    expect(help_text).to_contain_text("Type to search")
    described_by = combobox.get_attribute("aria-describedby") or ""
    assert "id_organizations_helptext" in described_by.split()
    expect(combobox).not_to_have_attribute("aria-invalid", "true")

    # An organization deleted while the form was open: the server refuses the choice.
    page.evaluate(
        """() => document.getElementById("id_organizations")
                       .add(new Option("Gone", "999999", true, true))"""
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(combobox).to_have_attribute("aria-invalid", "true")
    error_ids = (combobox.get_attribute("aria-describedby") or "").split()
    assert "id_organizations_error" in error_ids
    expect(page.locator("#id_organizations_error")).not_to_be_empty()

    # The summary's link lands on the picker a keyboard user can type in.
    page.locator("#error-summary a[href='#id_organizations']").click()
    expect(combobox).to_be_focused()
    page.evaluate(SCROLL_SETTLED)
    expect(combobox).to_be_in_viewport()
    screenshot("summary-link-to-picker")


def test_an_empty_single_picker_has_no_hidden_remove_button_in_the_tab_order(
    page, live_server, elena
):
    page.goto(f"{live_server.url}/en/staff/incidents/new/")
    page.locator("#id_perpetrator_links-0-perpetrator_group-ts-control").wait_for()
    empty = page.locator(".ts-wrapper.single:not(.has-items)")
    expect(empty.first).to_be_visible()
    # Shown elements only: a hidden one (display: none) is out of the tab order.
    expect(empty.locator(".clear-button:visible")).to_have_count(0)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_phone_shows_a_case_on_the_first_screen(page, live_server, screenshot, language):
    for n in range(3):
        IncidentFactory(published=True, title=f"Seminar broken up {n}")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/{language}/cases/")

    first_card = page.locator(".case-card").first.bounding_box()
    assert first_card["y"] + 60 < PHONE["height"], first_card
    # The site name and menu keep a margin from both edges of the screen.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] >= 8 and brand["x"] + brand["width"] <= PHONE["width"] - 8, brand
    screenshot("first-screen")


def test_a_phone_folds_the_staff_menu_and_keeps_the_save_bar_small(
    page, live_server, elena, screenshot
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/en/staff/incidents/new/")

    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 120, header
    expect(page.get_by_role("link", name="Perpetrator groups")).to_be_hidden()
    page.locator(".site-menu > summary").click()
    expect(page.get_by_role("link", name="Perpetrator groups")).to_be_visible()
    screenshot("menu-open")

    bar = page.locator(".form-actions").bounding_box()
    stuck_height = page.evaluate(
        "() => getComputedStyle(document.querySelector('.form-actions')).position === 'sticky'"
        " ? document.querySelector('.form-actions').offsetHeight : 0"
    )
    assert stuck_height <= 70, bar


def test_a_wide_staff_table_can_be_scrolled_from_the_keyboard(page, live_server, elena):
    IncidentFactory(title="A case with a rather long title to make the table wide")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/en/staff/")

    region = page.locator(".table-responsive").first
    region.focus()
    expect(region).to_be_focused()
    # A named group: the section around it is already the region of that name.
    expect(region).to_have_attribute("role", "group")
    assert region.get_attribute("aria-labelledby") or region.get_attribute("aria-label")
    before = region.evaluate("el => el.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.evaluate(SCROLL_SETTLED)
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert region.evaluate("el => el.scrollLeft") > before


def test_a_wrapped_arabic_breadcrumb_keeps_its_divider_beside_the_title(
    page, live_server, screenshot
):
    incident = IncidentFactory(
        published=True, title="Lawyers' seminar broken up by men in plain clothes in Osh"
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/ar/cases/{incident.slug}/")

    title = page.locator(".breadcrumb-item.active")
    # The "/" is drawn before the title's text; on an Arabic page that is on its right.
    gap = title.evaluate(
        """el => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const text = range.getClientRects()[0];
          const divider = parseFloat(getComputedStyle(el, "::before").width);
          return el.getBoundingClientRect().right - divider - text.right;
        }"""
    )
    assert gap < 24, gap
    screenshot("breadcrumb")


# WCAG contrast of a computed colour against white (the page and dropdown background).
CONTRAST_ON_WHITE = """(color) => {
  const [r, g, b, a = 1] = color.match(/[\\d.]+/g).map(Number);
  const mix = [r, g, b].map((c) => (a * c + (1 - a) * 255) / 255);
  const lin = mix.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  return Math.round((1.05 / (lum + 0.05)) * 100) / 100;
}"""


def contrast(page, locator, prop):
    color = locator.evaluate(f"el => getComputedStyle(el).{prop}")
    return page.evaluate(CONTRAST_ON_WHITE, color)


def test_focus_rings_buttons_and_the_add_offer_have_enough_contrast(page, live_server, elena):
    page.goto(f"{live_server.url}/en/staff/incidents/new/")

    title = page.get_by_label("Title")
    assert contrast(page, title, "borderTopColor") >= 3
    title.focus()
    assert contrast(page, title, "outlineColor") >= 3
    assert title.evaluate("el => parseFloat(getComputedStyle(el).outlineWidth)") >= 2
    assert contrast(page, title, "borderTopColor") >= 3

    combobox = page.locator("#id_organizations-ts-control")
    combobox.click()
    combobox.fill("Osh Lawyers' Circle")
    offer = page.locator("#id_organizations-ts-dropdown .create")
    expect(offer).to_be_visible()
    page.mouse.move(0, 0)
    assert contrast(page, offer, "color") >= 4.5

    # "Send back to draft" is on the case page of a case in review; the style is site-wide.
    page.evaluate(
        """() => {
          const button = document.createElement("button");
          button.className = "btn btn-outline-warning";
          button.id = "send-back";
          button.textContent = "Send back to draft";
          document.querySelector("main").prepend(button);
        }"""
    )
    send_back = page.locator("#send-back")
    assert contrast(page, send_back, "color") >= 4.5
    assert contrast(page, send_back, "borderTopColor") >= 3
