"""Pages pass axe-core's WCAG 2 A and AA checks with no serious or critical violation."""

from pathlib import Path

import pytest

from ..factories import (
    FigureFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    SourceFactory,
    UpdateFactory,
    UserFactory,
    totp_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "a long enough passphrase"


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


@pytest.fixture
def published_case():
    organization = OrganizationFactory(name="Coalition Against Torture")
    incident = IncidentFactory(published=True, organizations=[organization])
    IncidentPerpetratorFactory(incident=incident)
    source = SourceFactory(incident=incident)
    FigureFactory(incident=incident, source=source)
    UpdateFactory(incident=incident)
    return incident


@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages_have_no_serious_accessibility_violations(
    axe_page, live_server, published_case, language
):
    organization = published_case.organizations.get()
    paths = [
        f"/{language}/",
        f"/{language}/cases/",
        f"/{language}/cases/?country=KG&year=2019",
        f"/{language}/cases/{published_case.slug}/",
        f"/{language}/organizations/{organization.pk}/",
        f"/{language}/accounts/login/",
    ]
    found = {}
    for path in paths:
        axe_page.goto(live_server.url + path)
        if violations := serious_violations(axe_page):
            found[path] = violations
    assert found == {}


def test_staff_pages_have_no_serious_accessibility_violations(
    axe_page, live_server, published_case
):
    elena = UserFactory(username="elena", password=PASSWORD, roles=["editor"])
    axe_page.goto(f"{live_server.url}/en/accounts/login/")
    axe_page.get_by_label("Username").fill("elena")
    axe_page.get_by_label("Password").fill(PASSWORD)
    axe_page.get_by_role("button", name="Log in").click()
    # The second-factor step is checked on the way in.
    axe_page.get_by_label("Code").wait_for()
    found = {}
    if violations := serious_violations(axe_page):
        found["/en/accounts/2fa/authenticate/"] = violations
    axe_page.get_by_label("Code").fill(totp_code(elena))
    axe_page.get_by_role("button", name="Sign In").click()
    axe_page.get_by_role("button", name="Log out").wait_for()
    paths = [
        "/en/staff/",
        "/en/staff/incidents/new/",
        f"/en/staff/incidents/{published_case.pk}/",
        "/en/staff/organizations/",
        "/en/staff/organizations/new/",
        "/en/staff/perpetrators/new/",
        "/en/accounts/security/",
    ]
    for path in paths:
        axe_page.goto(live_server.url + path)
        if violations := serious_violations(axe_page):
            found[path] = violations
    assert found == {}
