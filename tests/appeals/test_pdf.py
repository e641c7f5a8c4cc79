"""appeals.pdf is HTML and assets in, PDF bytes out: it reads no database.

The letterhead logo is read by appeals.rendering and handed over as bytes; the fetcher
serves it from those and from nothing else (test_fetcher.py holds what it refuses).
"""

import ast
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from appeals import jobs, pdf
from appeals.models import Letterhead, RenderJob
from appeals.pdf import LOGO_PATH, Logo, StrictFetcher, html_to_pdf
from appeals.rendering import printable_appeal
from tests.factories import AppealFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
LOGO_URL = f"https://{pdf.ASSET_HOST}{LOGO_PATH}"


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function, relative ones named
    as written (".models")."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def test_the_pdf_module_imports_no_models_and_no_database():
    imported = imported_modules(Path(pdf.__file__))

    assert not {name for name in imported if name.startswith(".")}, imported
    assert not {name for name in imported if name.split(".")[0] in {"appeals", "incidents"}}
    assert not {name for name in imported if name.startswith("django.db")}


def test_the_logo_is_served_from_the_bytes_the_caller_gives():
    fetcher = StrictFetcher(Logo(name="letterhead/logo.png", content=PNG))

    response = fetcher.fetch(LOGO_URL)

    assert response.read() == PNG
    assert fetcher.refused == []


def test_without_a_logo_given_the_logo_url_is_refused():
    rendered = html_to_pdf(f'<html><body><img src="{LOGO_URL}"></body></html>')

    assert rendered.refused == [LOGO_URL]


def test_a_logo_given_is_drawn():
    rendered = html_to_pdf(
        f'<html><body><img src="{LOGO_URL}" width="20" height="20"></body></html>',
        logo=Logo(name="letterhead/logo.png", content=PNG),
    )

    assert rendered.refused == []
    assert len(PdfReader(io.BytesIO(rendered.content)).pages[0].images) == 1


@pytest.mark.django_db
def test_the_printable_appeal_carries_the_logo_for_the_pdf_but_not_for_the_screen():
    letterhead = Letterhead(organization_name="Front Line Test")
    letterhead.logo.save("logo.png", ContentFile(PNG), save=True)
    appeal = AppealFactory()

    printable = printable_appeal(appeal, "fr")
    on_screen = printable_appeal(appeal, "fr", for_screen=True)

    assert printable.logo == Logo(name=letterhead.logo.name, content=PNG)
    assert LOGO_PATH in printable.html
    assert on_screen.logo is None
    assert LOGO_PATH not in on_screen.html


@pytest.mark.django_db
def test_a_letterhead_whose_logo_file_is_gone_still_renders_without_it():
    letterhead = Letterhead(organization_name="Front Line Test")
    letterhead.logo.save("logo.png", ContentFile(PNG), save=True)
    letterhead.logo.storage.delete(letterhead.logo.name)
    appeal = AppealFactory()
    job = RenderJob.objects.create(appeal=appeal, language="fr")

    assert jobs.run(job.pk) == "rendered"
    job.refresh_from_db()
    assert job.state == RenderJob.State.READY
    with job.version.open() as stored:
        reader = PdfReader(stored)
        assert len(reader.pages[0].images) == 0
        assert "Front Line Test" in reader.pages[0].extract_text()
