"""The PDF renderer fetches nothing but Casefile's own print assets and letterhead logo.

Each hostile input below is rendered while a listener on 127.0.0.1 counts every connection
made to it: none may arrive, no local file may end up in the PDF, nothing may be attached.
"""

import io
import socketserver
import threading
from http.server import BaseHTTPRequestHandler

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from appeals.models import Letterhead
from appeals.pdf import html_to_pdf
from appeals.rendering import printable_appeal, render_pdf
from tests.factories import AppealFactory

SECRET_FILE_MARKERS = ("root:x:0:0", "SECRET_KEY", "DATABASE_URL")

HOSTILE = [
    '<img src="http://127.0.0.1:{port}/img">',
    '<img src="https://127.0.0.1:{port}/img-https">',
    '<img src="//127.0.0.1:{port}/protocol-relative">',
    '<img src="ftp://127.0.0.1:{port}/ftp">',
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/stylesheet">',
    '<style>@import url("http://127.0.0.1:{port}/import");</style>',
    '<style>@import "file:///etc/passwd";</style>',
    '<style>body {{ background: url("http://127.0.0.1:{port}/background") }}</style>',
    "<style>@font-face {{ font-family: x; src: url(http://127.0.0.1:{port}/font) }}"
    " p {{ font-family: x }}</style><p>text</p>",
    '<style>li {{ list-style-image: url("http://127.0.0.1:{port}/bullet") }}</style>'
    "<ul><li>item</li></ul>",
    '<link rel="attachment" href="file:///etc/passwd">',
    '<link rel="attachment" href="http://127.0.0.1:{port}/attachment">',
    '<a rel="attachment" href="file:///etc/passwd">attached</a>',
    '<object data="http://127.0.0.1:{port}/object"></object>',
    '<embed src="http://127.0.0.1:{port}/embed">',
    '<iframe src="http://127.0.0.1:{port}/iframe"></iframe>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
    '<image href="http://127.0.0.1:{port}/svg-image" width="20" height="20"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<image xlink:href="file:///etc/passwd" width="20" height="20"/></svg>',
    "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>"
    "<image href='http://127.0.0.1:{port}/data-svg'/></svg>\">",
    '<base href="http://127.0.0.1:{port}/"><img src="relative-to-base.png">',
    '<video poster="http://127.0.0.1:{port}/poster"></video>',
    '<img src="https://assets.casefile.invalid@127.0.0.1:{port}/userinfo">',
    '<img src="https://assets.casefile.invalid:{port}/other-port">',
    '<img src="https://assets.casefile.invalid/static/appeals/../../../../etc/passwd">',
    '<img src="https://assets.casefile.invalid/static/appeals/%2e%2e/%2e%2e/config/settings.py">',
    '<link rel="stylesheet" href="https://assets.casefile.invalid/static/vendor/../../config/settings.py">',
    '<img src="https://assets.casefile.invalid/letterhead/logo?next=http://127.0.0.1:{port}/">',
    # A redirect: the listener would answer 302 to file:///etc/passwd if it were ever asked.
    '<img src="http://127.0.0.1:{port}/redirect-to-file">',
]


class CountingHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        type(self).hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def listener():
    CountingHandler.hits = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], CountingHandler.hits
    server.shutdown()
    server.server_close()


def page(body: str) -> str:
    return (
        '<html lang="en"><head><link rel="stylesheet" href="/static/appeals/fonts.css">'
        f"</head><body><p>Visible text</p>{body}</body></html>"
    )


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 20


def test_the_listener_counts_connections(listener):
    """The check below would mean nothing if the listener could not see a fetch."""
    import urllib.request

    port, hits = listener
    before = len(hits)
    with pytest.raises(Exception):  # noqa: B017  (the 302 to file:// is refused by urllib)
        urllib.request.urlopen(f"http://127.0.0.1:{port}/probe", timeout=5)
    assert len(hits) == before + 1
    hits.clear()


@pytest.mark.parametrize("snippet", HOSTILE)
def test_hostile_input_fetches_nothing_and_leaks_nothing(listener, snippet):
    port, hits = listener
    rendered = html_to_pdf(page(snippet.format(port=port)))

    assert hits == []
    reader = PdfReader(io.BytesIO(rendered.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Visible text" in text
    for marker in SECRET_FILE_MARKERS:
        assert marker not in text
        assert marker.encode() not in rendered.content
    assert reader.attachments == {}
    assert b"/EmbeddedFile" not in rendered.content
    for page_ in reader.pages:
        assert "/Annots" not in page_ or all(
            annotation.get_object().get("/Subtype") != "/FileAttachment"
            for annotation in page_["/Annots"]
        )


def test_refused_fetches_are_reported_for_staff(listener):
    port, _ = listener
    rendered = html_to_pdf(page(f'<img src="http://127.0.0.1:{port}/x">'))
    assert rendered.refused == [f"http://127.0.0.1:{port}/x"]


@pytest.mark.django_db
def test_the_letterhead_logo_and_bundled_fonts_are_allowed(tmp_path):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
        b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    letterhead = Letterhead(organization_name="Front Line Test")
    letterhead.logo.save("logo.png", ContentFile(png), save=True)
    appeal = AppealFactory()

    rendered = render_pdf(printable_appeal(appeal, "fr"))

    assert rendered.refused == []
    reader = PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages[0].images) == 1
    assert "Front Line Test" in reader.pages[0].extract_text()
