"""HTML to PDF with WeasyPrint, fetching nothing from outside Casefile.

WeasyPrint's default fetcher follows any URL it meets: ``http://`` (server-side request
forgery from a PDF), ``file://`` (local files embedded in a public document), redirects.
Appeals are built from staff-entered text, so the fetcher here serves exactly two kinds of
resource and refuses everything else:

- the print assets under ``static/appeals/`` and the vendored fonts under
  ``static/vendor/fonts/``, addressed as ``https://assets.casefile.invalid/static/...``;
- the letterhead logo uploaded by an admin, addressed as
  ``https://assets.casefile.invalid/letterhead/logo``, and served from the bytes the caller
  hands over (``appeals.rendering`` reads it): HTML and assets in, PDF bytes out, no database.

``.invalid`` never resolves, and nothing here opens a socket: the host name is only a
namespace. Every refused URL is recorded so a render can fail with a readable message.
"""

from __future__ import annotations

import datetime
import mimetypes
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_HOST = "assets.casefile.invalid"
BASE_URL = f"https://{ASSET_HOST}/"
STATIC_PREFIXES = ("appeals/", "vendor/fonts/")
LOGO_PATH = "/letterhead/logo"


# Tagged PDF/UA-1: headings, paragraphs, lists and tables of the HTML become the PDF's
# structure tree, read in document order, so a screen reader can follow an appeal (the
# template's markup is the structure: keep it semantic). The variant also sets /MarkInfo,
# the document language and "show the title, not the file name". Layout and writer get the
# same options, as WeasyPrint's own write_pdf() would give them.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class RefusedFetch(ValueError):
    """A URL the appeal renderer will not load."""


@dataclass(frozen=True)
class Logo:
    """The letterhead logo's file name (for its content type) and bytes."""

    name: str
    content: bytes


class StrictFetcher(URLFetcher):
    """Serves bundled print assets and the letterhead logo; refuses every other URL."""

    def __init__(self, logo: Logo | None = None) -> None:
        self.logo = logo
        super().__init__(allow_redirects=False, allowed_protocols=("https",))
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            path, content = self._resolve(url)
        except RefusedFetch:
            self.refused.append(url[:200])
            raise
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, content, {"Content-Type": content_type})

    def _resolve(self, url: str) -> tuple[str, bytes]:
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.netloc != ASSET_HOST or parts.query:
            raise RefusedFetch(url)
        path = unquote(parts.path)
        if path == LOGO_PATH:
            return self._logo()
        if path.startswith("/static/"):
            return self._static(path.removeprefix("/static/"))
        raise RefusedFetch(url)

    def _static(self, relative: str) -> tuple[str, bytes]:
        if ".." in Path(relative).parts or not relative.startswith(STATIC_PREFIXES):
            raise RefusedFetch(relative)
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation as error:
            # A path leading out of the static folders: refused and reported like any other
            # (WeasyPrint would swallow the exception, and staff would never hear of it).
            raise RefusedFetch(relative) from error
        if not found:
            raise RefusedFetch(relative)
        real = Path(found).resolve()
        roots = [Path(directory).resolve() for directory in settings.STATICFILES_DIRS]
        if not any(real.is_relative_to(root) for root in roots):
            raise RefusedFetch(relative)
        return str(real), real.read_bytes()

    def _logo(self) -> tuple[str, bytes]:
        if self.logo is None:
            raise RefusedFetch(LOGO_PATH)
        return self.logo.name, self.logo.content


# Loading the bundled @font-face fonts costs ~0.8 s a render; one FontConfiguration kept for
# the life of the process makes that a one-off (the worker's warm-up render pays it).
# WeasyPrint is not documented as thread-safe, so renders in one process take turns.
_font_config: FontConfiguration | None = None
_render_lock = threading.Lock()


def _shared_font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


@dataclass
class RenderedPDF:
    content: bytes
    page_count: int
    refused: list[str] = field(default_factory=list)


def html_to_pdf(
    html: str,
    *,
    title: str = "",
    author: str = "",
    subject: str = "",
    language: str = "",
    created: datetime.datetime | None = None,
    logo: Logo | None = None,
) -> RenderedPDF:
    """Render ``html`` to PDF bytes; the metadata given here overrides the document's."""
    fetcher = StrictFetcher(logo)
    stamp = (created or datetime.datetime.now(datetime.UTC)).isoformat(timespec="seconds")
    with _render_lock:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            font_config=_shared_font_config(), **PDF_OPTIONS
        )
        metadata = document.metadata
        metadata.title = title or metadata.title
        metadata.authors = [author] if author else metadata.authors
        metadata.description = subject or metadata.description
        metadata.lang = language or metadata.lang
        metadata.created = metadata.modified = stamp
        # No attachments, whatever the HTML asked for.
        metadata.attachments = []
        content = document.write_pdf(**PDF_OPTIONS)
    return RenderedPDF(content=content, page_count=len(document.pages), refused=fetcher.refused)
