"""Pages travel compressed to browsers that accept gzip (config/settings.py, GZipMiddleware)."""

import gzip

import pytest

from .factories import AppealFactory, IncidentFactory
from .test_draft_never_public import ready_version


@pytest.fixture
def cases(db):
    return [IncidentFactory(published=True) for _ in range(3)]


def test_the_case_list_is_sent_gzipped_and_smaller_to_a_browser_that_accepts_it(client, cases):
    plain = client.get("/en/cases/")
    compressed = client.get("/en/cases/", headers={"accept-encoding": "gzip, deflate, br"})

    assert compressed.status_code == plain.status_code == 200
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert len(compressed.content) < len(plain.content) / 2
    assert cases[0].title in gzip.decompress(compressed.content).decode()


def test_a_client_that_does_not_accept_gzip_gets_the_page_as_it_is(client, cases):
    response = client.get("/en/cases/", headers={"accept-encoding": "identity"})

    assert not response.has_header("Content-Encoding")
    assert cases[0].title in response.content.decode()


def test_compressed_pages_differ_in_length_against_breach(client, cases):
    # Django pads each gzipped body with 0-99 random bytes ("Heal The Breach"), so an
    # attacker cannot read a secret's guessed characters off the response length.
    lengths = {
        len(client.get("/en/cases/", headers={"accept-encoding": "gzip"}).content) for _ in range(8)
    }
    assert len(lengths) > 1


def test_a_pdf_is_sent_as_it_is_keeping_its_length_and_strong_etag(client, db):
    # Already compressed: gzip would only drop its length and weaken the ETag that
    # If-None-Match is compared with.
    version = ready_version(AppealFactory(published=True))
    url = f"/appeals/{version.appeal.reference_slug}/fr/v1.pdf"

    response = client.get(url, headers={"accept-encoding": "gzip"})
    again = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": response["ETag"]})

    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response["ETag"] == f'"{version.sha256}"'
    assert again.status_code == 304
