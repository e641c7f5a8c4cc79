"""A case written in a language the interface is not shown in (Spanish, Persian...): it keeps
its own language everywhere, and is translated into the interface languages like any other."""

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from incidents.models import Incident, IncidentTranslation
from incidents.services import incident_publish, incident_submit
from organizations.forms import OrganizationForm
from tests.factories import IncidentFactory

from .test_staff_views import form_post

pytestmark = pytest.mark.django_db

INTERFACE = ["en", "fr", "ru", "ar"]


@pytest.fixture
def spanish_draft(editor_client):
    """Filed through the staff form in Spanish: a draft its editor may translate."""
    response = editor_client.post(
        reverse("incidents:create"),
        form_post(
            original_language="es",
            title="Allanamiento de la oficina de la Coalición",
            summary="La policía registró la oficina sin orden judicial.",
        ),
    )
    assert response.status_code == 302
    return Incident.objects.get()


@pytest.fixture
def spanish_case(spanish_draft, editor, reviewer):
    """The same, submitted and published; not translated."""
    incident_submit(actor=editor, incident=spanish_draft)
    return incident_publish(actor=reviewer, incident=spanish_draft)


def test_the_staff_form_keeps_a_spanish_original(spanish_case):
    spanish_case.refresh_from_db()
    assert spanish_case.original_language == "es"
    assert spanish_case.publication_state == Incident.State.PUBLISHED


@pytest.mark.parametrize("interface", INTERFACE)
def test_the_case_page_marks_the_spanish_texts_in_every_interface_language(spanish_case, interface):
    text = Client().get(f"/{interface}/cases/{spanish_case.slug}/").text

    assert f'<html lang="{interface}"' in text
    assert '<h1 id="case-title" lang="es" dir="auto">Allanamiento de la oficina' in text
    assert 'lang="es" dir="auto"><p>La policía registró la oficina' in text
    assert "original-language" in text  # the "Original in Spanish" marker


def test_the_marker_names_the_language_in_the_readers_words(spanish_case):
    assert "Original in Spanish" in Client().get(f"/en/cases/{spanish_case.slug}/").text
    assert "espagnol" in Client().get(f"/fr/cases/{spanish_case.slug}/").text


def test_a_translated_spanish_case_links_only_to_pages_that_exist(spanish_case):
    IncidentTranslation.objects.create(
        incident=spanish_case, language="fr", title="Perquisition au bureau de la Coalition"
    )
    text = Client().get(f"/en/cases/{spanish_case.slug}/").text

    # "This case is written in: Español, Français": the French page is a link, and no
    # /es/ page is offered, as the site is not shown in Spanish.
    assert 'hreflang="fr"' in text
    assert '<span lang="es">Español</span>' in text
    assert "/es/" not in text
    # The French reader gets the translation, marked French.
    french = Client().get(f"/fr/cases/{spanish_case.slug}/").text
    assert '<h1 id="case-title" lang="fr" dir="auto">Perquisition au bureau' in french


def test_the_case_list_marks_the_spanish_title(spanish_case):
    text = Client().get("/ru/cases/").text
    assert 'lang="es" dir="auto"><a href="/ru/cases/' in text


def test_csv_export_gives_the_spanish_code(spanish_case):
    body = b"".join(Client().get("/en/cases/export.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"), newline="")))
    assert [row["original_language"] for row in rows] == ["es"]


def test_the_api_gives_the_spanish_code_in_the_list_and_the_detail(spanish_case):
    listed = Client().get("/api/v1/incidents/?lang=fr").json()["results"]
    detail = Client().get(f"/api/v1/incidents/{spanish_case.pk}/?lang=ru").json()

    assert [row["original_language"] for row in listed] == ["es"]
    assert listed[0]["untranslated_fields"] == ["title", "summary"]
    assert detail["original_language"] == "es"
    assert detail["title"] == "Allanamiento de la oficina de la Coalición"


def test_a_spanish_case_is_offered_translation_into_every_interface_language(
    spanish_draft, editor_client
):
    text = editor_client.get(spanish_draft.get_staff_url()).text
    offered = re.findall(rf"/staff/incidents/{spanish_draft.pk}/translate/(\w+)/", text)

    assert sorted(set(offered)) == sorted(INTERFACE)
    assert "Written in Spanish." in text


def test_a_spanish_draft_is_translated_into_english_and_read_in_french(
    spanish_draft, editor_client
):
    url = reverse("incidents:translate", kwargs={"pk": spanish_draft.pk, "language": "en"})
    page = editor_client.get(url).text
    # The original beside each field is marked Spanish; the English is written left to right.
    assert 'lang="es"' in page
    assert re.search(r'<input[^>]*name="title"[^>]*lang="en"[^>]*dir="ltr"', page) or re.search(
        r'<input[^>]*lang="en"[^>]*dir="ltr"[^>]*name="title"', page
    )
    IncidentTranslation.objects.create(
        incident=spanish_draft, language="en", title="Coalition office raided"
    )
    assert "Written in Spanish." in editor_client.get(spanish_draft.get_staff_url()).text


def test_a_translation_into_a_language_the_site_is_not_shown_in_is_not_offered(
    spanish_draft, editor_client
):
    for code in ("es", "de"):
        url = reverse("incidents:translate", kwargs={"pk": spanish_draft.pk, "language": code})
        assert editor_client.get(url).status_code == 404


def test_the_staff_form_lists_every_language_by_its_own_name(editor_client):
    text = editor_client.get(reverse("incidents:create")).text
    select = text.split('name="original_language"')[1].split("</select>")[0]
    codes = re.findall(r'<option value="(\w+)"', select)

    assert codes[:4] == INTERFACE and len(codes) == 184
    for autonym in ("Español", "Кыргызча", "Қазақ тілі", "Беларуская", "فارسی"):
        assert autonym in select


def test_a_persian_case_is_marked_persian():
    IncidentFactory(published=True, original_language="fa", title="بازداشت وکیل", slug="bazdasht")

    page = Client().get("/en/cases/bazdasht/").text
    assert '<h1 id="case-title" lang="fa" dir="auto">بازداشت وکیل</h1>' in page
    assert "Original in Persian" in page


def test_a_translator_writes_into_a_right_to_left_language_right_to_left(editor_client):
    # A Persian original translated into Arabic: the Arabic fields run right to left.
    response = editor_client.post(
        reverse("incidents:create"),
        form_post(original_language="fa", title="بازداشت وکیل", summary="وکیل بازداشت شد."),
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    url = reverse("incidents:translate", kwargs={"pk": incident.pk, "language": "ar"})
    page = editor_client.get(url).text
    assert 'lang="fa"' in page
    assert re.search(r'<input[^>]*name="title"[^>]*lang="ar"[^>]*dir="rtl"', page) or re.search(
        r'<input[^>]*lang="ar"[^>]*dir="rtl"[^>]*name="title"', page
    )


def test_an_organization_can_be_written_in_kyrgyz(editor):
    form = OrganizationForm(
        data={"name": "Кыргыз укук коргоочулары", "kind": "ngo", "original_language": "ky"}
    )
    assert form.fields["original_language"].widget.attrs["data-picker"] == "local"
    assert form.is_valid(), form.errors
    assert form.cleaned_data["original_language"] == "ky"


def test_a_code_outside_iso_639_1_is_refused(editor_client):
    response = editor_client.post(reverse("incidents:create"), form_post(original_language="xx"))

    assert response.status_code == 200
    assert "original_language" in response.context["form"].errors
    assert not Incident.objects.exists()
