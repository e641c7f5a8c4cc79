"""Compression of text responses only (config/settings.py puts it in MIDDLEWARE)."""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# Pages, API bodies, feeds, sitemaps and CSV exports shrink several times over.
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, BREACH padding included, for text only.

    PDFs and images are compressed already: gzipping them again saves nothing, drops their
    Content-Length (no download progress) and weakens their ETag to W/"...", so a
    browser's If-None-Match no longer matches the strong ETag the appeal views compare.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
