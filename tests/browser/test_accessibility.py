"""Every page passes axe-core: every template, language, role and width, with no violation.

The pages are those tests/pages.py lists (the HTML validity test walks the same ones). Each
is scanned at a desktop width and at a phone's (390 px), as a visitor and as each staff role,
and the staff incident form again with a picker open. Any violation fails, whatever its
impact: axe's default rule set (WCAG 2.0 to 2.2, A and AA, and its best practices).
"""

from pathlib import Path

import pytest

from ..factories import totp_code
from ..pages import ANONYMOUS, LANGUAGES, PASSWORD, ROLES, material, public_pages, staff_pages

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/setup (npm installs axe-core)")
    # axe is injected as a script: only this test's context lifts the page's CSP for it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def violations(page) -> list[dict]:
    """Every violation axe finds on the page as it is now (its default rules, any impact)."""
    start_scan(page)
    return page.evaluate("() => window.casefileAxe")


def start_scan(page) -> None:
    """Start axe on the page and return at once: other tabs load and scan meanwhile."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    page.evaluate(
        "() => { window.casefileAxe = axe.run(document, {resultTypes: ['violations']})"
        ".then(result => result.violations); }"
    )


class Findings:
    """Violations by template and rule, with the pages (role, language, width) they were on."""

    def __init__(self) -> None:
        self.by_rule: dict[str, list[str]] = {}
        self.scans = 0

    def add(self, template: str, where: str, found: list[dict]) -> None:
        self.scans += 1
        for v in found:
            targets = [n["target"] for n in v["nodes"]][:3]
            key = f"{template}: {v['id']} ({v['impact']}): {v['help']}"
            self.by_rule.setdefault(key, []).append(f"{where} at {targets}")

    def scan(self, page, template: str, where: str) -> None:
        """Scan at both widths, leaving the page at the desktop width."""
        for width, viewport in reversed(WIDTHS.items()):
            page.set_viewport_size(viewport)
            self.add(template, f"{where} {width}", violations(page))

    def scan_in_tabs(self, tabs: list, visits: list[tuple[str, str, str]]) -> None:
        """Load each (template, address, where) in its own tab and scan them side by side."""
        for width, viewport in reversed(WIDTHS.items()):
            for tab, (_, url, _) in zip(tabs, visits, strict=False):
                tab.set_viewport_size(viewport)
                if width == "phone":
                    tab.goto(url)
                start_scan(tab)
            for tab, (template, _, where) in zip(tabs, visits, strict=False):
                self.add(template, f"{where} {width}", tab.evaluate("() => window.casefileAxe"))

    def report(self) -> list[str]:
        return [
            f"{rule}\n    on {len(w)} scans, e.g. {w[0]}"
            for rule, w in sorted(self.by_rule.items())
        ]


def log_in(page, live_server, user, findings: Findings) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The second-factor step is scanned on the way in (in English: one login per role).
    page.get_by_label("Code").wait_for()
    findings.scan(page, "mfa/authenticate.html (allauth)", "/en/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Log out").wait_for()


def open_a_picker(page) -> None:
    """Open the organizations picker of the incident form and wait for its suggestions."""
    page.locator("select[name=organizations] + .ts-wrapper .ts-control").click()
    page.locator(".ts-dropdown .option").first.wait_for()


TABS = 3


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_accessibility_violation_in_any_language_or_width(
    axe_page, live_server, role
):
    m = material()
    findings = Findings()
    if role != ANONYMOUS:
        log_in(axe_page, live_server, m["users"][role], findings)
    # Tabs of one browser context share the login.
    tabs = [axe_page, *(axe_page.context.new_page() for _ in range(TABS - 1))]
    for tab in tabs:
        tab.set_default_timeout(15_000)
    pages = public_pages(m) if role == ANONYMOUS else staff_pages(m)
    visits = []
    for language in LANGUAGES:
        refusals_seen = set()
        for page in pages:
            path = page.path(language)
            # Asked first without a browser: which page answers, and with what status.
            status = axe_page.request.get(live_server.url + path, max_redirects=0).status
            template = page.template
            if role == ANONYMOUS:
                assert status == (404 if template == "404.html" else 200), path
            elif status in {403, 404}:
                # A screen this role may not open: the refusal page, scanned once a language.
                template = f"{status}.html"
                if template in refusals_seen:
                    continue
                refusals_seen.add(template)
            else:
                assert status == 200, (role, path, status)
            visits.append((template, live_server.url + path, f"{role} {path}"))
            if page.name == "incidents:create" and template == page.template:
                axe_page.goto(live_server.url + path)
                open_a_picker(axe_page)
                findings.scan(axe_page, f"{template} with a picker open", f"{role} {path}")
    for start in range(0, len(visits), TABS):
        findings.scan_in_tabs(tabs, visits[start : start + TABS])
    assert findings.scans >= len(LANGUAGES) * 2
    assert findings.report() == [], f"{findings.scans} scans found:\n" + "\n".join(
        findings.report()
    )
