"""Guard: the public location hands out published versions' content-hashed PDFs and
nothing else that may lie in its folder (issue 12's mutations)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from appeals.publication import public_storage


def test_a_file_without_a_content_hashed_pdf_name_is_not_served(client, db):
    public_storage().save("notes.txt", ContentFile(b"not an appeal"))
    public_storage().save("kg-fr-v1-0123456789abcdef.pdf.part", ContentFile(b"half a copy"))

    for name in ("notes.txt", "kg-fr-v1-0123456789abcdef.pdf.part"):
        response = client.get(reverse("appeal_files:public_file", kwargs={"name": name}))
        assert response.status_code == 404, name


def test_a_content_hashed_pdf_name_is_served(client, db):
    name = "kg-2024-001-fr-v1-0123456789abcdef.pdf"
    public_storage().save(name, ContentFile(b"%PDF-1.7"))

    response = client.get(reverse("appeal_files:public_file", kwargs={"name": name}))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7"
