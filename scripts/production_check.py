"""Browse a running production build the way a reader would; fail loudly on anything wrong.

Run by scripts/check-production-build against gunicorn serving the demo data, with the same
settings in the environment (it reads the database for what to expect):

    .venv/bin/python scripts/production_check.py http://127.0.0.1:8123

Fetches the home page, the case list with a filter, a case page, the statistics, the API
list and the feed; every static file they link (CSS, JS, then the fonts and images the
stylesheets link, and source maps), each under its hashed name; a published appeal's PDF
through its stable URL; and the CSV and JSON exports. Checks that the demo's draft case
appears nowhere.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
STATIC_IN_HTML = re.compile(r"""(?:href|src)=["'](/static/[^"'?#]+)""")
URL_IN_CSS = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")
SOURCE_MAP = re.compile(r"""[#@]\s*sourceMappingURL=([^\s*]+)""")


class Failure(Exception):
    pass


class Site:
    """Plain HTTP to the server, as behind a TLS-terminating proxy that says so."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.fetched = 0

    def get(self, path: str, *, expect: int = 200) -> http.client.HTTPResponse:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "en"}
        for attempt in (1, 2):
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                body = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed (idle, or its worker recycled).
                self.connection.close()
                if attempt == 2:
                    raise
        self.fetched += 1
        response.body = body  # type: ignore[attr-defined]
        if response.status != expect:
            raise Failure(
                f"GET {path} answered {response.status}, expected {expect}: {body[:300]!r}"
            )
        return response

    def text(self, path: str) -> str:
        return self.get(path).body.decode()  # type: ignore[attr-defined]


def check(condition: object, message: str) -> None:
    if not condition:
        raise Failure(message)


def check_static(site: Site, pages: dict[str, str]) -> list[str]:
    """Every static file the pages link, then what those files link, each fetched once."""
    queue = sorted({path for html in pages.values() for path in STATIC_IN_HTML.findall(html)})
    check(queue, "the pages link no static files")
    seen: set[str] = set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        check(HASHED.search(path), f"{path} is linked without its content hash (manifest)")
        response = site.get(path)
        cache = response.getheader("Cache-Control", "")
        check("max-age=315360000" in cache or "immutable" in cache, f"{path}: {cache!r}")
        if not path.endswith((".css", ".js")):
            continue
        body = response.body.decode("utf-8", "replace")  # type: ignore[attr-defined]
        linked = SOURCE_MAP.findall(body)
        if path.endswith(".css"):
            linked += URL_IN_CSS.findall(body)
        for reference in linked:
            if reference.startswith(("data:", "#", "http:", "https:", "//")):
                continue
            target = urljoin(path, reference).split("#")[0].split("?")[0]
            if target not in seen:
                queue.append(target)
    return sorted(seen)


def check_pdf(site: Site, case_html: str, reference: str) -> str:
    links = re.findall(r'href="(/appeals/[a-z0-9-]+\.pdf)"', case_html)
    check(links, "the case page links no appeal PDF (/appeals/<reference>.pdf)")
    redirect = site.get(links[0], expect=302)
    location = redirect.getheader("Location", "")
    check(location, f"{links[0]} redirects nowhere")
    target = urlsplit(location).path
    pdf = site.get(target).body  # type: ignore[attr-defined]
    check(pdf.startswith(b"%PDF-"), f"{target} is not a PDF: {pdf[:20]!r}")
    from pypdf import PdfReader

    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    check(reference in flat, f"{target}: the reference {reference!r} is not in the PDF's text")
    return f"{links[0]} -> {target} ({len(pdf):,} bytes, {reference})"


def check_exports(site: Site, expected_rows: int, columns: list[str], draft: str) -> str:
    raw = site.get("/en/cases/export.csv").body  # type: ignore[attr-defined]
    check(raw.startswith(b"\xef\xbb\xbf"), "the CSV export has no UTF-8 byte-order mark")
    check(draft.encode() not in raw, "the CSV export contains the draft case")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    check(rows and rows[0] == columns, f"CSV header {rows[:1]} is not {columns}")
    check(
        len(rows) - 1 == expected_rows,
        f"the CSV export has {len(rows) - 1} rows, {expected_rows} cases are published",
    )
    check(all(len(row) == len(columns) for row in rows), "a CSV row has the wrong column count")
    document = json.loads(site.get("/en/cases/export.json").body)  # type: ignore[attr-defined]
    check(list(document["columns"]) == columns, f"JSON columns {list(document['columns'])}")
    check(
        len(document["incidents"]) == expected_rows,
        f"the JSON export has {len(document['incidents'])} incidents, expected {expected_rows}",
    )
    return f"CSV and JSON exports: {expected_rows} rows, {len(columns)} columns"


def run(base: str) -> None:
    import django

    django.setup()
    from appeals.models import Appeal
    from incidents.exports import COLUMNS
    from incidents.management.commands.load_demo import BISHKEK_SLUG, DRAFT_SLUG
    from incidents.models import Incident

    published = Incident.objects.published().count()
    check(published >= 2, f"only {published} published cases: did load_demo run?")
    appeal = Appeal.objects.published().filter(incident__slug=BISHKEK_SLUG).first()
    check(appeal, "the demo's published appeal is missing")
    columns = [name for name, _ in COLUMNS]

    site = Site(base)
    started = time.perf_counter()
    pages = {
        "home": site.text("/en/"),
        "case list filtered": site.text("/en/cases/?country=KG"),
        "statistics": site.text("/en/cases/statistics/"),
    }
    check(
        f"/en/cases/{BISHKEK_SLUG}/" in pages["case list filtered"],
        "the case list filtered on Kyrgyzstan does not list the Bishkek case",
    )
    pages["case page"] = site.text(f"/en/cases/{BISHKEK_SLUG}/")
    api = json.loads(site.text("/api/v1/incidents/"))
    check(
        len(api["results"]) == min(published, 50),
        f"the API lists {len(api['results'])} cases, {published} are published",
    )
    feed = site.get("/en/cases/feed/").body  # type: ignore[attr-defined]
    # Our own server's feed, just built from the demo data.
    entries = ElementTree.fromstring(feed).findall("{http://www.w3.org/2005/Atom}entry")  # noqa: S314
    check(entries, "the feed has no entries")
    for name, html in {**pages, "API": json.dumps(api), "feed": feed.decode()}.items():
        check(DRAFT_SLUG not in html, f"the draft case is on the {name}")
    statics = check_static(site, pages)
    pdf = check_pdf(site, pages["case page"], appeal.reference)
    exports = check_exports(site, published, columns, DRAFT_SLUG)
    kinds = sorted({path.rsplit(".", 1)[1] for path in statics})
    print(
        f"Production site: 6 pages, {len(statics)} hashed static files ({', '.join(kinds)}), "
        f"appeal PDF {pdf}, {exports}: ok "
        f"({site.fetched} requests in {time.perf_counter() - started:.1f} s)"
    )


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        run(sys.argv[1])
    except Failure as failure:
        raise SystemExit(f"error: production build: {failure}") from None
    except OSError as error:
        raise SystemExit(f"error: production build: {sys.argv[1]}: {error}") from None


if __name__ == "__main__":
    main()
