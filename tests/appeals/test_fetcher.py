"""The PDF renderer fetches nothing but Casefile's own print assets and letterhead logo.

Each hostile input below is rendered while two listeners on 127.0.0.1 count every
connection made to them, counted when the connection is accepted: an ``https://`` fetch
is seen by its TLS handshake, which never becomes an HTTP request. The first listener
answers any HTTP request with a redirect to the second (or to ``file:///etc/passwd``), so
a followed redirect is counted too. None may arrive, no local file may end up in the PDF,
nothing may be attached. Each test has listeners of its own.
"""

import io
import socket
import socketserver
import ssl
import threading
import urllib.request
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from appeals import jobs
from appeals.models import AppealVersion, Letterhead, RenderJob
from appeals.pdf import BASE_URL, RefusedFetch, StrictFetcher, html_to_pdf
from appeals.rendering import printable_appeal, render_pdf
from tests.factories import AppealFactory

SECRET_FILE_MARKERS = ("root:x:0:0", "SECRET_KEY", "DATABASE_URL")
ON_DISK = "LEAKED-FROM-DISK"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)

HOSTILE = {
    "img-http": '<img src="http://127.0.0.1:{port}/img">',
    "img-https": '<img src="https://127.0.0.1:{port}/img-https">',
    "img-https-upper-case": '<img src="HTTPS://127.0.0.1:{port}/img-https-upper-case">',
    "img-protocol-relative": '<img src="//127.0.0.1:{port}/protocol-relative">',
    "stylesheet-protocol-relative": (
        '<link rel="stylesheet" href="//127.0.0.1:{port}/protocol-relative-stylesheet">'
    ),
    "img-ftp": '<img src="ftp://127.0.0.1:{port}/ftp">',
    "img-file": '<img src="file:///etc/passwd">',
    "stylesheet-http": '<link rel="stylesheet" href="http://127.0.0.1:{port}/stylesheet">',
    "stylesheet-https": '<link rel="stylesheet" href="https://127.0.0.1:{port}/stylesheet-https">',
    "import-http": '<style>@import url("http://127.0.0.1:{port}/import");</style>',
    "import-https": '<style>@import url("https://127.0.0.1:{port}/import-https");</style>',
    "import-file": '<style>@import "file:///etc/passwd";</style>',
    "background-http": (
        '<style>body {{ background: url("http://127.0.0.1:{port}/background") }}</style>'
    ),
    "background-protocol-relative": (
        '<style>body {{ background: url("//127.0.0.1:{port}/background-protocol-relative") }}'
        "</style>"
    ),
    "font-face-http": (
        "<style>@font-face {{ font-family: x; src: url(http://127.0.0.1:{port}/font) }}"
        " p {{ font-family: x }}</style><p>text</p>"
    ),
    "font-face-https": (
        "<style>@font-face {{ font-family: y; src: url(https://127.0.0.1:{port}/font-https) }}"
        " p {{ font-family: y }}</style><p>text</p>"
    ),
    "list-style-image-http": (
        '<style>li {{ list-style-image: url("http://127.0.0.1:{port}/bullet") }}</style>'
        "<ul><li>item</li></ul>"
    ),
    "link-attachment-file": '<link rel="attachment" href="file:///etc/passwd">',
    "link-attachment-http": '<link rel="attachment" href="http://127.0.0.1:{port}/attachment">',
    "link-attachment-https": '<link rel="attachment" href="https://127.0.0.1:{port}/attachment-https">',
    "anchor-attachment-file": '<a rel="attachment" href="file:///etc/passwd">attached</a>',
    "object-http": '<object data="http://127.0.0.1:{port}/object"></object>',
    "embed-http": '<embed src="http://127.0.0.1:{port}/embed">',
    "iframe-http": '<iframe src="http://127.0.0.1:{port}/iframe"></iframe>',
    "svg-image-http": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        '<image href="http://127.0.0.1:{port}/svg-image" width="20" height="20"/></svg>'
    ),
    "svg-image-https": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
        '<image href="https://127.0.0.1:{port}/svg-image-https" width="20" height="20"/></svg>'
    ),
    "svg-xlink-image-file": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image xlink:href="file:///etc/passwd" width="20" height="20"/></svg>'
    ),
    "data-svg-image-http": (
        "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>"
        "<image href='http://127.0.0.1:{port}/data-svg'/></svg>\">"
    ),
    "base-http": '<base href="http://127.0.0.1:{port}/"><img src="relative-to-base.png">',
    "base-https": '<base href="https://127.0.0.1:{port}/"><img src="relative-to-https-base.png">',
    "video-poster-http": '<video poster="http://127.0.0.1:{port}/poster"></video>',
    "userinfo-asset-host": '<img src="https://assets.casefile.invalid@127.0.0.1:{port}/userinfo">',
    "asset-host-other-port": '<img src="https://assets.casefile.invalid:{port}/other-port">',
    "asset-dot-dot-passwd": '<img src="https://assets.casefile.invalid/static/appeals/../../../../etc/passwd">',
    "asset-encoded-dot-dot-settings": '<img src="https://assets.casefile.invalid/static/appeals/%2e%2e/%2e%2e/config/settings.py">',
    "asset-vendor-dot-dot-settings": '<link rel="stylesheet" href="https://assets.casefile.invalid/static/vendor/../../config/settings.py">',
    "logo-with-query": '<img src="https://assets.casefile.invalid/letterhead/logo?next=http://127.0.0.1:{port}/">',
    # Redirects: the listener answers 302 to file:///etc/passwd, or to the second listener.
    "redirect-to-file": '<img src="http://127.0.0.1:{port}/to-file">',
    "redirect-to-second-listener": '<img src="http://127.0.0.1:{port}/to-the-second-listener">',
    "stylesheet-redirect-to-second-listener": '<link rel="stylesheet" href="http://127.0.0.1:{port}/stylesheet-to-the-second-listener">',
}


class Listener(socketserver.ThreadingTCPServer):
    """Counts every connection as it is accepted, before a byte of it is read."""

    daemon_threads = True

    def __init__(self, redirect_to: str = "") -> None:
        self.connections: list[tuple[str, int]] = []
        self.requests: list[bytes] = []
        self.redirect_to = redirect_to
        super().__init__(("127.0.0.1", 0), Answer)

    def verify_request(self, request, client_address) -> bool:
        self.connections.append(client_address)
        return True


class Answer(socketserver.BaseRequestHandler):
    """Redirects an HTTP request; closes anything else (a TLS ClientHello) unanswered."""

    def handle(self) -> None:
        self.request.settimeout(5)
        try:
            first_line = self.request.recv(4096).split(b"\r\n", 1)[0]
        except OSError:
            return
        self.server.requests.append(first_line)
        if first_line.startswith(b"GET "):
            path = first_line.split()[1]
            location = "file:///etc/passwd" if b"to-file" in path else self.server.redirect_to
            self.request.sendall(
                f"HTTP/1.0 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()
            )


@dataclass
class Listeners:
    first: Listener
    second: Listener

    @property
    def port(self) -> int:
        return self.first.server_address[1]

    @property
    def connections(self) -> list[tuple[str, int]]:
        return self.first.connections + self.second.connections


def serve(listener: Listener) -> None:
    threading.Thread(target=listener.serve_forever, kwargs={"poll_interval": 0.05}).start()


@pytest.fixture
def listener():
    second = Listener()
    first = Listener(redirect_to=f"http://127.0.0.1:{second.server_address[1]}/followed")
    for one in (first, second):
        serve(one)
    yield Listeners(first, second)
    for one in (first, second):
        one.shutdown()
        one.server_close()


def page(body: str) -> str:
    return (
        '<html lang="en"><head><link rel="stylesheet" href="/static/appeals/fonts.css">'
        f"</head><body><p>Visible text</p>{body}</body></html>"
    )


def pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 40


def test_the_listener_counts_a_plain_http_fetch_and_its_redirect(listener):
    """The checks below would mean nothing if the listeners could not see a fetch."""
    opener = urllib.request.build_opener()  # follows the redirect to the second listener
    with pytest.raises(urllib.error.HTTPError):  # the second answers the redirect with one
        opener.open(f"http://127.0.0.1:{listener.port}/probe", timeout=5)

    assert len(listener.first.connections) == 1
    assert len(listener.second.connections) >= 1


@pytest.mark.parametrize("url", ["https://127.0.0.1:{port}/probe", "//127.0.0.1:{port}/probe"])
def test_the_listener_counts_weasyprints_own_https_fetch(listener, url):
    """What a fallback to WeasyPrint's fetcher would do: a TLS handshake, no HTTP request."""
    absolute = urllib.parse.urljoin(BASE_URL, url.format(port=listener.port))
    with pytest.raises(OSError):
        URLFetcher(timeout=5).fetch(absolute)

    assert len(listener.connections) == 1
    assert not any(line.startswith(b"GET") for line in listener.first.requests)


def test_the_listener_counts_a_bare_tls_handshake(listener):
    context = ssl.create_default_context()
    with (
        pytest.raises(OSError),
        socket.create_connection(("127.0.0.1", listener.port), timeout=5) as sock,
    ):
        context.wrap_socket(sock, server_hostname="127.0.0.1")

    assert len(listener.connections) == 1


@pytest.mark.parametrize("snippet", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_fetches_nothing_and_leaks_nothing(listener, snippet):
    rendered = html_to_pdf(page(snippet.format(port=listener.port)))

    assert listener.connections == []
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


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/x",
        "https://127.0.0.1:{port}/x",
        "file:///etc/passwd",
        "https://assets.casefile.invalid/static/js/charts.js",
    ],
)
def test_refused_fetches_are_reported_for_staff(listener, url):
    url = url.format(port=listener.port)
    rendered = html_to_pdf(page(f'<img src="{url}">'))

    assert rendered.refused == [url]
    assert listener.connections == []


def test_a_protocol_relative_url_is_refused_as_https_and_reported(listener):
    rendered = html_to_pdf(page(f'<img src="//127.0.0.1:{listener.port}/x">'))

    assert rendered.refused == [f"https://127.0.0.1:{listener.port}/x"]
    assert listener.connections == []


# Local files.


@pytest.mark.parametrize(
    "snippet",
    [
        '<link rel="stylesheet" href="{url}">',
        '<style>@import url("{url}");</style>',
        '<style>@import "{url}";</style>',
    ],
)
def test_a_file_url_stylesheet_is_never_applied(tmp_path, listener, snippet):
    stylesheet = tmp_path / "leak.css"
    stylesheet.write_text(f'p::after {{ content: "{ON_DISK}" }}')
    url = stylesheet.as_uri()

    rendered = html_to_pdf(page(snippet.format(url=url)))

    assert ON_DISK not in pdf_text(rendered.content)
    assert rendered.refused == [url]


def test_a_file_url_image_is_never_drawn(tmp_path):
    image = tmp_path / "photo.png"
    image.write_bytes(PNG)

    rendered = html_to_pdf(page(f'<img src="{image.as_uri()}" width="20" height="20">'))

    assert len(PdfReader(io.BytesIO(rendered.content)).pages[0].images) == 0
    assert rendered.refused == [image.as_uri()]


def test_a_file_url_reached_through_a_relative_url_is_refused(tmp_path):
    stylesheet = tmp_path / "leak.css"
    stylesheet.write_text(f'p::after {{ content: "{ON_DISK}" }}')
    url = stylesheet.as_uri()

    rendered = html_to_pdf(
        page(f'<base href="{tmp_path.as_uri()}/"><link rel="stylesheet" href="leak.css">')
    )

    assert ON_DISK not in pdf_text(rendered.content)
    assert url in rendered.refused  # with the print fonts, now sought under file:// too


@pytest.mark.django_db
def test_an_appeal_whose_staff_text_holds_urls_renders_them_as_text_only(tmp_path, listener):
    stylesheet = tmp_path / "leak.css"
    stylesheet.write_text(f'p::after {{ content: "{ON_DISK}" }}')
    hostile = (
        f'<link rel="stylesheet" href="{stylesheet.as_uri()}">'
        f'<img src="https://127.0.0.1:{listener.port}/staff-text">'
        f" See file:///etc/passwd and {stylesheet.as_uri()}"
    )
    appeal = AppealFactory(text={"summary": hostile, "concerns": hostile})

    rendered = render_pdf(printable_appeal(appeal, "fr"))

    text = pdf_text(rendered.content)
    assert rendered.refused == []
    assert listener.connections == []
    assert ON_DISK not in text
    assert "root:x:0:0" not in text
    assert "file:///etc/passwd" in text  # shown as the words staff typed


# Paths out of the print assets.


@pytest.mark.parametrize(
    "path",
    [
        "appeals/../js/charts.js",
        "appeals/%2e%2e/js/charts.js",
        "appeals/../css/../js/charts.js",
        "vendor/fonts/../../js/charts.js",
    ],
)
def test_a_dot_dot_path_to_another_static_file_is_refused_and_reported(path):
    url = f"https://assets.casefile.invalid/static/{path}"

    rendered = html_to_pdf(page(f'<img src="{url}">'))

    assert rendered.refused == [url]


@pytest.mark.parametrize(
    "path",
    [
        "appeals/../../config/settings.py",
        "appeals/%2e%2e/%2e%2e/config/settings.py",
        "vendor/fonts/../../../config/settings.py",
        "appeals/../../../../../etc/passwd",
    ],
)
def test_a_dot_dot_path_out_of_the_static_folder_is_refused_and_reported(path):
    url = f"https://assets.casefile.invalid/static/{path}"
    fetcher = StrictFetcher()

    with pytest.raises(RefusedFetch):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    rendered = html_to_pdf(page(f'<link rel="stylesheet" href="{url}">'))
    assert rendered.refused == [url]
    assert b"SECRET_KEY" not in rendered.content


def test_the_print_assets_are_still_served():
    fetcher = StrictFetcher()

    response = fetcher.fetch("https://assets.casefile.invalid/static/appeals/print.css")

    assert b"@page" in response.read()
    assert fetcher.refused == []


# What staff see.


@pytest.mark.django_db
def test_a_render_job_meeting_a_refused_url_fails_with_the_url_named(listener, monkeypatch):
    url = f"https://127.0.0.1:{listener.port}/injected"

    def with_a_foreign_image(appeal, language, **kwargs):
        printable = printable_appeal(appeal, language, **kwargs)
        printable.html = printable.html.replace("</body>", f'<img src="{url}"></body>')
        return printable

    monkeypatch.setattr(jobs, "printable_appeal", with_a_foreign_image)
    appeal = AppealFactory()
    job = RenderJob.objects.create(appeal=appeal, language="fr")

    assert jobs.run(job.pk) == "failed"

    job.refresh_from_db()
    assert job.state == RenderJob.State.FAILED
    assert job.error == f"The appeal refers to resources Casefile does not serve: {url}"
    assert not AppealVersion.objects.filter(appeal=appeal).exists()
    assert listener.connections == []


@pytest.mark.parametrize(
    ("url", "element"),
    [
        ("file:///etc/passwd", '<img src="{url}">'),
        (f"{BASE_URL}static/appeals/../js/charts.js", '<link rel="stylesheet" href="{url}">'),
    ],
    ids=["local-file", "dot-dot-asset"],
)
def test_a_published_appeal_whose_render_met_a_refused_url_gets_no_pdf_and_staff_see_why(
    listener, monkeypatch, reviewer_client, url, element
):
    # The same rules seen from the pages: staff read the reason by the language, and the
    # public page offers no file at all (not one rendered without the refused part).
    def with_a_refused_url(appeal, language, **kwargs):
        printable = printable_appeal(appeal, language, **kwargs)
        printable.html = printable.html.replace("</body>", element.format(url=url) + "</body>")
        return printable

    monkeypatch.setattr(jobs, "printable_appeal", with_a_refused_url)
    appeal = AppealFactory(published=True)
    job = RenderJob.objects.create(appeal=appeal, language="fr")
    jobs.run(job.pk)

    page = reviewer_client.get(reverse("appeals:staff_detail", kwargs={"pk": appeal.pk}))
    assert page.status_code == 200
    assert f"The appeal refers to resources Casefile does not serve: {url}" in page.text
    assert Client().get(f"/appeals/{appeal.reference_slug}.pdf").status_code == 404
    public_page = Client().get(appeal.get_public_url())
    assert public_page.status_code == 200
    assert ".pdf" not in public_page.text


@pytest.mark.django_db
def test_the_letterhead_logo_and_bundled_fonts_are_allowed():
    letterhead = Letterhead(organization_name="Front Line Test")
    letterhead.logo.save("logo.png", ContentFile(PNG), save=True)
    appeal = AppealFactory()

    rendered = render_pdf(printable_appeal(appeal, "fr"))

    assert rendered.refused == []
    reader = PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages[0].images) == 1
    assert "Front Line Test" in reader.pages[0].extract_text()
