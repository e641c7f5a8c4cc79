"""Stored URLs are links only when they are plain http(s).

Model validation keeps other schemes out of forms, but rows also arrive through imports,
the admin's raw fields and the shell; every page that turns a stored URL into a link passes
it through ``safe_http_url``. Each page doing so is rendered here with hostile values, in
the spellings a browser still runs (leading space or tab, a tab inside the scheme, mixed
case).
"""

from html.parser import HTMLParser

import pytest

from tests.factories import IncidentFactory, OrganizationFactory, SourceFactory

pytestmark = pytest.mark.django_db

HOSTILE_URLS = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "\njavascript:alert(1)",
    "java\tscript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    " VBScript:msgbox(1)",
]
SAFE_URL = "https://defenders.example.org/about?lang=fr"


class Links(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value or "" for name, value in attrs if name == "href")


def scheme_a_browser_sees(href: str) -> str:
    """What a browser takes as the scheme: C0 controls and spaces trimmed, tabs and newlines
    dropped anywhere, case ignored (the WHATWG URL parser)."""
    href = href.strip("".join(chr(c) for c in range(0x21)))
    href = href.replace("\t", "").replace("\n", "").replace("\r", "")
    return href.split(":", 1)[0].lower() if ":" in href else ""


def unsafe_links(html: str) -> list[str]:
    return [
        href
        for href in Links(html).hrefs
        if scheme_a_browser_sees(href) in {"javascript", "data", "vbscript"}
    ]


def test_the_checker_sees_what_a_browser_would_run():
    html = "".join(f'<a href="{url}">x</a>' for url in HOSTILE_URLS)
    assert len(unsafe_links(html)) == len(HOSTILE_URLS)
    assert unsafe_links(f'<a href="{SAFE_URL}">x</a><a href="/en/cases/">y</a>') == []


# The public organization page: its website.


def organization_page(client, website: str):
    organization = OrganizationFactory(name="Coalition Against Torture", website=website)
    IncidentFactory(published=True, organizations=[organization])
    response = client.get(organization.get_absolute_url())
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("website", HOSTILE_URLS)
def test_organization_page_never_links_a_hostile_website(client, website):
    html = organization_page(client, website)

    assert unsafe_links(html) == []
    assert "alert(1)" not in html
    assert "msgbox" not in html


def test_organization_page_links_an_https_website(client):
    html = organization_page(client, SAFE_URL)

    assert "https://defenders.example.org/about?lang=fr" in Links(html).hrefs


# The public case page: its sources.


def case_page(client, url: str):
    incident = IncidentFactory(published=True)
    SourceFactory(incident=incident, title="Statement of the coalition", url=url)
    response = client.get(incident.get_absolute_url())
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_case_page_never_links_a_hostile_source_url(client, url):
    html = case_page(client, url)

    assert unsafe_links(html) == []
    assert "Statement of the coalition" in html  # the source is listed, unlinked
    assert "alert(1)" not in html


def test_case_page_links_an_https_source(client):
    html = case_page(client, SAFE_URL)

    assert "https://defenders.example.org/about?lang=fr" in Links(html).hrefs


# The staff case page: its sources.


def staff_case_page(client, url: str):
    incident = IncidentFactory()
    SourceFactory(incident=incident, title="Statement of the coalition", url=url)
    response = client.get(incident.get_staff_url())
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_staff_case_page_never_links_a_hostile_source_url(researcher_client, url):
    html = staff_case_page(researcher_client, url)

    assert unsafe_links(html) == []
    assert "Statement of the coalition" in html


def test_staff_case_page_links_an_https_source(researcher_client):
    html = staff_case_page(researcher_client, SAFE_URL)

    assert "https://defenders.example.org/about?lang=fr" in Links(html).hrefs
