"""The sitemap of public pages, in every language with hreflang alternates.

``/sitemap.xml`` is an index of files: ``/sitemap-pages.xml`` and, per section,
``/sitemap-cases-3.xml`` for the cases whose ids fall in the third block of
``IDS_PER_FILE``. Blocks of ids rather than pages of results: a file is read with an index
range scan, never an OFFSET, and keeps its address as cases are added. Each file lists at
most ``IDS_PER_FILE`` items in 4 languages (8,000 addresses; the protocol allows 50,000).

Django's own i18n sitemaps load every item of a section into memory to paginate it: a
million cases took minutes. Here each file is one query and string templates.

Each app registers its sections (``register_section``), each starting from a ``published()``
queryset: a sitemap that listed a draft's
address would announce the case even though its page answers 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from casefile.translatable import LANGUAGE_CODES

IDS_PER_FILE = 2000
MARK = "4294967296042"  # stands for the item's slug or id in a reversed URL
XML = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class Section:
    view_name: str
    url_argument: str
    items: Callable[[], QuerySet]
    value_field: str  # what goes in the URL
    lastmod_field: str | None = None

    def last_file(self) -> int:
        # The highest published id: counting unpublished rows would say how many exist.
        highest = self.items().aggregate(highest=Max("pk"))["highest"] or 0
        return (highest + IDS_PER_FILE - 1) // IDS_PER_FILE

    def rows(self, number: int) -> QuerySet:
        """(URL value, last modified) of the file's published items."""
        first = (number - 1) * IDS_PER_FILE + 1
        fields = [self.value_field] + ([self.lastmod_field] if self.lastmod_field else [])
        return (
            self.items()
            .filter(pk__range=(first, first + IDS_PER_FILE - 1))
            .order_by("pk")
            .values_list(*fields)
        )


# Filled by the apps at start-up (their AppConfig.ready), in the order of INSTALLED_APPS:
# the sitemap knows no app, each app names its public pages.
SECTIONS: dict[str, Section] = {}
PAGES: list[str] = []


def register_section(name: str, section: Section) -> None:
    """List every item of ``section.items()`` (a ``published()`` queryset) in the sitemap."""
    SECTIONS[name] = section


def register_pages(*view_names: str) -> None:
    """List pages that take no argument (a home page, a list) in the sitemap."""
    PAGES.extend(name for name in view_names if name not in PAGES)


def _templates(request: HttpRequest, view_name: str, kwargs: dict) -> dict[str, str]:
    """The absolute URL of a view in each language, with MARK where the argument goes."""
    templates = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            templates[language] = request.build_absolute_uri(reverse(view_name, kwargs=kwargs))
    return templates


def _url_entries(templates: dict[str, str], value: str, lastmod: str | None) -> Iterator[str]:
    """One <url> per language, each naming every language version (and x-default)."""
    urls = {language: escape(t.replace(MARK, value)) for language, t in templates.items()}
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{language}" href="{url}"/>'
        for language, url in urls.items()
    )
    links += (
        f'<xhtml:link rel="alternate" hreflang="x-default" href="{urls[settings.LANGUAGE_CODE]}"/>'
    )
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    for url in urls.values():
        yield f"<url><loc>{url}</loc>{modified}{links}</url>\n"


URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_END = "</urlset>\n"


@login_not_required
def sitemap_index(request: HttpRequest) -> HttpResponse:
    files = [reverse("sitemap_pages")]
    for name, section in SECTIONS.items():
        files += [
            reverse("sitemap_section", kwargs={"section": name, "number": number})
            for number in range(1, section.last_file() + 1)
        ]
    body = "".join(
        f"<sitemap><loc>{escape(request.build_absolute_uri(path))}</loc></sitemap>\n"
        for path in files
    )
    return HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</sitemapindex>\n",
        content_type=XML,
    )


@login_not_required
def sitemap_pages(request: HttpRequest) -> HttpResponse:
    entries = []
    for view_name in PAGES:
        entries += _url_entries(_templates(request, view_name, {}), "", None)
    return HttpResponse(URLSET_START + "".join(entries) + URLSET_END, content_type=XML)


@login_not_required
def sitemap_section(request: HttpRequest, section: str, number: int) -> StreamingHttpResponse:
    found = SECTIONS.get(section)
    if found is None or not 1 <= number <= found.last_file():
        raise Http404
    templates = _templates(request, found.view_name, {found.url_argument: MARK})

    def lines() -> Iterator[str]:
        yield URLSET_START
        for value, *modified in found.rows(number).iterator(chunk_size=IDS_PER_FILE):
            lastmod = modified[0].date().isoformat() if modified else None
            yield from _url_entries(templates, quote(str(value)), lastmod)
        yield URLSET_END

    return StreamingHttpResponse(lines(), content_type=XML)
