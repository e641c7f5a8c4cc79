"""Cases in several languages: the original, translations beside it, and a marked fallback."""

import datetime
import re

import pytest
from django.db import connection

from incidents.models import (
    Incident,
    IncidentTranslation,
    PublicationEvent,
    Status,
    StatusTranslation,
    UpdateTranslation,
)
from incidents.search import refresh_search_vectors
from tests.factories import IncidentFactory, OrganizationFactory, UpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bishkek():
    """Written in French; translated into Russian (the narrative left out), not into Arabic."""
    incident = IncidentFactory(
        published=True,
        original_language="fr",
        title="Réunion de la Coalition perturbée à Bichkek",
        slug="reunion-bichkek",
        summary="Des militants ont interrompu la réunion de la Coalition contre la torture.",
        narrative="Le 23 mai 2019, une vingtaine de personnes sont entrées dans la salle.",
    )
    IncidentTranslation.objects.create(
        incident=incident,
        language="ru",
        title="Сорвано собрание Коалиции в Бишкеке",
        summary="Активисты сорвали собрание Коалиции против пыток.",
    )
    update = UpdateFactory(
        incident=incident,
        date=datetime.date(2019, 6, 1),
        title="Plainte déposée",
        body="La Coalition a porté plainte auprès du parquet.",
    )
    UpdateTranslation.objects.create(
        update=update, language="ru", title="Подана жалоба", body="Коалиция подала жалобу."
    )
    refresh_search_vectors([incident.pk])
    return incident


def test_the_case_page_shows_each_text_in_the_readers_language(client, bishkek):
    text = client.get("/ru/cases/reunion-bichkek/").text

    assert (
        '<h1 id="case-title" lang="ru" dir="auto">Сорвано собрание Коалиции в Бишкеке</h1>' in text
    )
    assert 'lang="ru" dir="auto"><p>Активисты сорвали собрание Коалиции против пыток.</p>' in text
    assert "Подана жалоба" in text and "Коалиция подала жалобу." in text
    # The narrative has no Russian translation: the French original, marked, in French.
    assert 'lang="fr" dir="auto"><p>Le 23 mai 2019, une vingtaine' in text
    assert "original-language" in text
    assert "Réunion de la Coalition perturbée" not in text.split("<footer")[0].split("</h1>")[0]


def test_an_untranslated_case_shows_the_original_marked_as_such(client, bishkek):
    text = client.get("/en/cases/reunion-bichkek/").text

    assert '<h1 id="case-title" lang="fr" dir="auto">Réunion de la Coalition perturbée' in text
    assert "Original in French" in text
    assert "not translated into your language yet" in text
    assert 'hreflang="ru"' in text  # "This case is written in:" links to the Russian page


def test_the_original_language_shows_no_marker(client, bishkek):
    text = client.get("/fr/cases/reunion-bichkek/").text

    assert '<h1 id="case-title" lang="fr" dir="auto">Réunion de la Coalition' in text
    assert "original-language" not in text
    assert "translation-notice" not in text


def test_case_cards_show_translated_titles_in_the_lists_own_query(
    client, bishkek, django_assert_num_queries
):
    client.get("/ru/cases/")  # warm the status vocabulary and the facets
    with django_assert_num_queries(1):  # the page
        text = client.get("/ru/cases/").text
    assert "Сорвано собрание Коалиции в Бишкеке" in text
    english = client.get("/en/cases/").text
    assert "Réunion de la Coalition perturbée à Bichkek" in english
    assert "Original in French" in english


@pytest.mark.parametrize(
    "words", ["Сорвано", "пыток", "жалобу", "perturbée", "parquet", "вингтен", "Бишкеке"]
)
def test_search_finds_a_case_by_words_of_any_translation(client, bishkek, words):
    if words == "вингтен":  # a word in no text: the search must not match everything
        assert client.get("/en/cases/", {"q": words}).context["result_count"] == 0
        return
    if connection.vendor != "postgresql" and words == "Бишкеке":
        pytest.skip("SQLite's substring search folds no Cyrillic case; the word is there")
    response = client.get("/en/cases/", {"q": words})
    assert response.context["result_count"] == 1, words


def test_a_translated_status_name_is_shown_to_its_readers(client, bishkek):
    status = bishkek.status
    StatusTranslation.objects.update_or_create(
        status=status, language="ru", defaults={"name": "Преследование"}
    )

    assert "Преследование" in client.get("/ru/cases/reunion-bichkek/").text
    assert "Преследование" in client.get("/ru/cases/").text
    assert status.name in client.get("/en/cases/reunion-bichkek/").text
    StatusTranslation.objects.filter(status=status, language="ru").update(name="stale")  # no signal
    assert "Преследование" in client.get("/ru/cases/").text  # cached...
    StatusTranslation.objects.get(status=status, language="ru").save()  # ...until one is saved
    assert "stale" in client.get("/ru/cases/").text


def test_an_organizations_about_text_is_translated_or_marked(client, bishkek):
    from organizations.models import OrganizationTranslation

    coalition = OrganizationFactory(
        name="Coalition contre la torture", about="Une coalition d'ONG.", original_language="fr"
    )
    bishkek.organizations.add(coalition)
    OrganizationTranslation.objects.create(
        organization=coalition, language="ru", about="Коалиция НКО."
    )

    assert "Коалиция НКО." in client.get("/ru/cases/reunion-bichkek/").text
    english = client.get("/en/cases/reunion-bichkek/").text
    assert "Une coalition d&#x27;ONG." in english


def test_every_page_names_its_language_versions(client, bishkek):
    text = client.get("/fr/cases/?country=KG").text

    for code in ("en", "fr", "ru", "ar"):
        assert (
            f'<link rel="alternate" hreflang="{code}" href="http://testserver/{code}/cases/?country=KG">'
            in text
        )
    assert (
        '<link rel="alternate" hreflang="x-default" href="http://testserver/en/cases/?country=KG">'
        in text
    )


def test_switching_language_keeps_the_page_and_is_remembered(client, bishkek):
    response = client.post(
        "/i18n/setlang/", {"language": "ar", "next": "/en/cases/reunion-bichkek/?x=1"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/ar/cases/reunion-bichkek/?x=1"
    assert client.cookies["django_language"].value == "ar"
    # An address without a language goes to the remembered one.
    assert client.get("/")["Location"].startswith("/ar/")
    page = client.get("/ar/cases/reunion-bichkek/")
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "bootstrap.rtl.min.css" in page.text


# Staff: translating beside the original.


def test_an_editor_translates_a_case_and_its_updates_beside_the_original(editor_client, editor):
    incident = IncidentFactory(original_language="fr", title="Réunion perturbée")
    update = UpdateFactory(incident=incident, title="Plainte déposée", body="Texte.")
    url = f"/en/staff/incidents/{incident.pk}/translate/ru/"

    page = editor_client.get(url)
    assert page.status_code == 200
    assert 'lang="fr" dir="auto">Réunion perturbée</div>' in page.text
    assert 'lang="ru" dir="ltr"' in page.text
    response = editor_client.post(
        url,
        {
            "title": "Сорванное собрание",
            "summary": "Кратко.",
            "narrative": "",
            f"update-{update.pk}-title": "Подана жалоба",
            f"update-{update.pk}-body": "",
        },
    )

    assert response.status_code == 302
    translation = IncidentTranslation.objects.get(incident=incident, language="ru")
    assert translation.title == "Сорванное собрание" and translation.updated_by == editor
    assert UpdateTranslation.objects.get(update=update, language="ru").title == "Подана жалоба"
    event = PublicationEvent.objects.filter(incident=incident).latest("pk")
    assert event.actor == editor and event.note == "translation: ru"
    if connection.vendor == "postgresql":
        assert Incident.objects.filter(pk=incident.pk, search_vector="сорванное").exists()
    detail = editor_client.get(incident.get_staff_url()).text
    assert "Edit the translation" in detail


def test_emptying_an_update_translation_removes_it(editor_client):
    incident = IncidentFactory(original_language="fr")
    update = UpdateFactory(incident=incident)
    IncidentTranslation.objects.create(
        incident=incident, language="ar", title="عنوان", summary="ملخص"
    )
    UpdateTranslation.objects.create(update=update, language="ar", title="تحديث", body="")

    page = editor_client.get(f"/en/staff/incidents/{incident.pk}/translate/ar/")
    assert 'lang="ar" dir="rtl"' in page.text
    editor_client.post(
        f"/en/staff/incidents/{incident.pk}/translate/ar/",
        {"title": "عنوان", "summary": "ملخص", f"update-{update.pk}-title": ""},
    )
    assert not UpdateTranslation.objects.filter(update=update).exists()


def test_translation_errors_are_shown_and_nothing_is_saved(editor_client):
    incident = IncidentFactory(original_language="fr")
    update = UpdateFactory(incident=incident)

    response = editor_client.post(
        f"/en/staff/incidents/{incident.pk}/translate/en/",
        {"title": "", "summary": "", f"update-{update.pk}-body": "Body without a title"},
    )

    assert response.status_code == 200
    assert "The translation was not saved" in response.text
    assert "Translate the title too, or leave both empty." in response.text
    assert not IncidentTranslation.objects.exists()


def test_translation_pages_follow_the_editing_rules(client, editor_client, researcher_client):
    published = IncidentFactory(published=True, original_language="fr")
    draft = IncidentFactory(original_language="fr")

    # The original language is edited on the case itself; unknown languages do not exist.
    assert editor_client.get(f"/en/staff/incidents/{draft.pk}/translate/fr/").status_code == 404
    assert editor_client.get(f"/en/staff/incidents/{draft.pk}/translate/de/").status_code == 404
    # Editors change drafts only; researchers read; visitors never see the staff page.
    assert editor_client.get(f"/en/staff/incidents/{published.pk}/translate/en/").status_code == 403
    assert researcher_client.get(f"/en/staff/incidents/{draft.pk}/translate/en/").status_code == 403
    client.logout()
    response = client.get(f"/en/staff/incidents/{draft.pk}/translate/en/")
    assert response.status_code in (302, 404)


def test_a_status_keeps_its_vocabulary_translations_apart():
    status = Status.objects.create(slug="under-watch", name="Under watch")
    StatusTranslation.objects.create(status=status, language="fr", name="Sous surveillance")
    assert status.localized("fr").name.value == "Sous surveillance"
    assert status.localized("ru").name.is_fallback
    # The seeded vocabulary comes with French, Russian and Arabic names.
    seeded = Status.objects.get(slug="arbitrary-detention")
    assert {t.language: t.name for t in seeded.translations.all()} == {
        "fr": "Détention arbitraire",
        "ru": "Произвольное задержание",
        "ar": "الاحتجاز التعسفي",
    }


def test_the_original_language_cannot_take_a_translated_language(reviewer):
    from incidents.forms import IncidentForm

    incident = IncidentFactory(original_language="fr")
    IncidentTranslation.objects.create(incident=incident, language="ru", title="Т", summary="С")
    data = IncidentForm(instance=incident, user=reviewer).initial
    data.update(status=incident.status.pk, country="KG", original_language="ru")

    form = IncidentForm(data, instance=incident, user=reviewer)
    assert not form.is_valid()
    assert "has a translation into that language" in form.errors["original_language"][0]
    data["original_language"] = "en"
    assert IncidentForm(data, instance=incident, user=reviewer).is_valid()


def test_organization_pages_and_api_give_the_about_text_in_the_readers_language(client, bishkek):
    from organizations.models import OrganizationTranslation

    coalition = OrganizationFactory(about="Une coalition d'ONG.", original_language="fr")
    bishkek.organizations.add(coalition)
    OrganizationTranslation.objects.create(
        organization=coalition, language="ru", about="Коалиция НКО."
    )

    assert "Коалиция НКО." in client.get(f"/ru/organizations/{coalition.pk}/").text
    assert "Original in French" in client.get(f"/en/organizations/{coalition.pk}/").text
    russian = client.get(f"/api/v1/organizations/{coalition.pk}/", {"lang": "ru"}).json()
    english = client.get(f"/api/v1/organizations/{coalition.pk}/", {"lang": "en"}).json()
    # The name has no Russian translation here: it comes as written, and says so.
    assert (russian["about"], russian["untranslated_fields"]) == ("Коалиция НКО.", ["name"])
    assert english["about"] == "Une coalition d'ONG."
    assert english["untranslated_fields"] == ["name", "about"]
    assert english["original_language"] == "fr"


def test_places_and_figure_labels_are_translated_too(editor_client, client):
    from incidents.models import Figure, FigureTranslation

    incident = IncidentFactory(original_language="en", place="Bishkek", slug="bishkek-figures")
    figure = Figure.objects.create(
        incident=incident, counted=Figure.Counted.OTHER, value=9, label="people burst in"
    )
    url = f"/en/staff/incidents/{incident.pk}/translate/ru/"
    assert 'lang="en" dir="auto">people burst in</div>' in editor_client.get(url).text
    editor_client.post(
        url,
        {
            "title": "Сорвано собрание",
            "summary": "Кратко.",
            "place": "Бишкек",
            f"figure-{figure.pk}-label": "человек ворвались",
        },
    )
    assert FigureTranslation.objects.get(figure=figure, language="ru").label == "человек ворвались"

    Incident.objects.filter(pk=incident.pk).update(
        publication_state="published",
        published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    )
    russian = client.get("/ru/cases/bishkek-figures/").text
    assert "человек ворвались" in russian and "Бишкек, Киргизия" in russian
    assert "Бишкек" in client.get("/ru/cases/").text  # the card's place, from the list query
    assert "people burst in" in client.get("/fr/cases/bishkek-figures/").text


def test_organization_and_group_names_are_shown_in_the_readers_language(client, bishkek):
    from organizations.models import OrganizationTranslation, PerpetratorGroupTranslation
    from tests.factories import IncidentPerpetratorFactory, PerpetratorGroupFactory

    coalition = OrganizationFactory(name="Coalition contre la torture", original_language="fr")
    youth = PerpetratorGroupFactory(name="Mouvement patriotique", original_language="fr")
    bishkek.organizations.add(coalition)
    IncidentPerpetratorFactory(incident=bishkek, perpetrator_group=youth)
    OrganizationTranslation.objects.create(
        organization=coalition, language="ru", name="Коалиция против пыток"
    )
    PerpetratorGroupTranslation.objects.create(
        group=youth, language="ru", name="Патриотическое движение"
    )

    page = client.get("/ru/cases/reunion-bichkek/").text
    assert "Коалиция против пыток" in page and "Патриотическое движение" in page
    assert "Коалиция против пыток" in client.get("/ru/cases/").text  # the card
    chip = client.get("/ru/cases/", {"organization": coalition.pk}).context["organization_chips"]
    assert chip[0]["label"] == "Коалиция против пыток"
    row = client.get("/api/v1/incidents/", {"lang": "ru"}).json()["results"][0]
    assert [o["name"] for o in row["organizations"]] == ["Коалиция против пыток"]
    assert [p["name"] for p in row["perpetrators"]] == ["Патриотическое движение"]
    assert "Coalition contre la torture" in client.get("/en/cases/reunion-bichkek/").text


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "12,345 cases"), ("fr", "12\xa0345 cas"), ("ru", "12\xa0345 дел")],
)
def test_counts_are_written_the_readers_way(client, monkeypatch, language, shown):
    from incidents import views
    from incidents.facets import Facet, Facets

    many = Facets(total=12345, country=[Facet("KG", "Kyrgyzstan", 12345)])
    monkeypatch.setattr(views, "public_facet_counts", lambda *args, **kwargs: many)

    text = client.get(f"/{language}/cases/").text
    assert re.search(rf"\s{re.escape(shown)}\s", text), shown
    assert "(12" in text and ("(12,345)" in text if language == "en" else "(12\xa0345)" in text)


def test_error_pages_speak_the_readers_language(client, editor_client):
    missing = client.get("/fr/cases/no-such-case/")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.text and '<html lang="fr"' in missing.text
    published = IncidentFactory(published=True, original_language="fr")
    refused = editor_client.get(f"/ar/staff/incidents/{published.pk}/translate/en/")
    assert refused.status_code == 403
    assert "غير مسموح" in refused.text and 'dir="rtl"' in refused.text
