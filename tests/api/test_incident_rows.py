"""The list rows PostgreSQL writes (incidents.api.rows) say what the serializer says.

On PostgreSQL the API list is built from JSON text written by the database; the
serializer serves other databases and the detail endpoint. Clients must not be able to
tell which one answered, whatever the text: quotes, backslashes, control characters,
Cyrillic and Arabic, Unicode slugs, empty and several related rows.
"""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from incidents.api.serializers import IncidentSerializer
from incidents.api.views import incident_list_queryset
from incidents.models import Incident, IncidentTranslation, StatusTranslation
from organizations.models import (
    OrganizationTranslation,
    PerpetratorGroup,
    PerpetratorGroupTranslation,
)
from tests.factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)

pytestmark = pytest.mark.postgres

LIST = "/api/v1/incidents/"


@pytest.fixture
def awkward_cases(db):
    zeta = OrganizationFactory(name="Zeta", acronym="Z")
    alpha = OrganizationFactory(name='Alpha "quoted" \\ back', acronym="")
    cyrillic = OrganizationFactory(name="Коалиция против пыток", acronym="КПП")
    arabic = OrganizationFactory(name="مركز الدفاع", acronym="")
    police = PerpetratorGroupFactory(name="Police", kind=PerpetratorGroup.Kind.POLICE)
    youth = PerpetratorGroupFactory(name="Kyrk Choro", kind=PerpetratorGroup.Kind.PRO_GOVERNMENT)
    published_at = timezone.now().replace(microsecond=120000) - datetime.timedelta(days=1)
    cases = [
        IncidentFactory(
            published=True,
            title='Réunion "perturbée" à Bichkek \\ tab\there\nline',
            summary="Control \x01 and \x1f characters, </script> and emoji 🕊",
            occurred_on=datetime.date(2019, 5, 23),
            ended_on=datetime.date(2019, 5, 24),
            country="KG",
            region="Chuy",
            place="Бишкек",
            organizations=[zeta, alpha, cyrillic],
        ),
        IncidentFactory(
            published=True,
            title="Задержания в Алматы",
            slug="задержания-в-алматы",
            occurred_on=datetime.date(2022, 1, 6),
            country="KZ",
            organizations=[],
        ),
        IncidentFactory(
            published=True,
            title="اعتقال محامين",
            slug="اعتقال-محامين",
            occurred_on=datetime.date(2021, 3, 1),
            country="EG",
            organizations=[arabic],
        ),
    ]
    Incident.objects.filter(pk=cases[0].pk).update(
        published_at=published_at, original_language="fr"
    )
    # Translated: the first into Russian (the summary left out), the third into English.
    IncidentTranslation.objects.create(
        incident=cases[0], language="ru", title='Сорвано собрание "Коалиции"', summary=""
    )
    IncidentTranslation.objects.create(
        incident=cases[2], language="en", title="Lawyers arrested", summary="Two lawyers."
    )
    # A translated name sorts by what the reader sees.
    OrganizationTranslation.objects.create(organization=zeta, language="ru", name="Аа Зета")
    PerpetratorGroupTranslation.objects.create(group=police, language="ar", name="الشرطة")
    StatusTranslation.objects.update_or_create(
        status=cases[1].status, language="ru", defaults={"name": "Задержание"}
    )
    IncidentPerpetratorFactory(incident=cases[0], perpetrator_group=youth)
    IncidentPerpetratorFactory(incident=cases[0], perpetrator_group=police)
    IncidentPerpetratorFactory(incident=cases[2], perpetrator_group=police)
    return cases


def serializer_rows(path: str, language: str) -> list[dict]:
    """What IncidentSerializer gives for the same cases, newest first."""
    request = RequestFactory().get(path)
    queryset = incident_list_queryset(Incident.objects.published()).order_by("-occurred_on", "-id")
    with translation.override(language):
        return IncidentSerializer(queryset, many=True, context={"request": request}).data


@pytest.mark.parametrize("language", ["en", "fr", "ru", "ar"])
def test_rows_match_the_serializer(client, awkward_cases, language):
    response = client.get(LIST, {"lang": language})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [
        case.pk for case in sorted(awkward_cases, key=lambda case: case.occurred_on, reverse=True)
    ]
    assert rows == serializer_rows(LIST, language)


def test_rows_carry_the_texts_as_entered(client, awkward_cases):
    bishkek = client.get(LIST).json()["results"][-1]

    assert bishkek["title"] == 'Réunion "perturbée" à Bichkek \\ tab\there\nline'
    assert bishkek["summary"] == "Control \x01 and \x1f characters, </script> and emoji 🕊"
    assert [o["name"] for o in bishkek["organizations"]] == [
        'Alpha "quoted" \\ back',
        "Zeta",
        "Коалиция против пыток",
    ]
    assert [p["name"] for p in bishkek["perpetrators"]] == ["Kyrk Choro", "Police"]
    assert bishkek["published_at"].endswith(".120000+00:00")


def test_unicode_slugs_make_working_links(client, awkward_cases):
    rows = client.get(LIST).json()["results"]
    almaty = next(row for row in rows if row["country"] == "KZ")

    assert almaty["url"].endswith(
        "/cases/%D0%B7%D0%B0%D0%B4%D0%B5%D1%80%D0%B6%D0%B0%D0%BD%D0%B8%D1%8F-%D0%B2-%D0%B0%D0%BB%D0%BC%D0%B0%D1%82%D1%8B/"
    )
    assert client.get(almaty["url"]).status_code == 200
    assert client.get(almaty["api_url"]).json()["title"] == "Задержания в Алматы"


def test_browsable_api_shows_the_same_rows(client, awkward_cases):
    json_rows = client.get(LIST).json()["results"]
    page = client.get(LIST, HTTP_ACCEPT="text/html")

    assert page.status_code == 200
    assert "text/html" in page["Content-Type"]
    assert "Задержания в Алматы" in page.content.decode()
    assert len(json_rows) == 3


def test_rows_come_in_the_language_asked_for_with_what_is_untranslated(client, awkward_cases):
    by_accept = client.get(LIST, HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    by_param = client.get(LIST, {"lang": "ru"}, HTTP_ACCEPT_LANGUAGE="en")

    assert by_param["Content-Language"] == "ru"
    assert by_param.json()["results"] == by_accept
    bishkek = by_accept[-1]
    assert bishkek["title"] == 'Сорвано собрание "Коалиции"'
    assert bishkek["summary"].startswith("Control")  # not translated: the original
    assert bishkek["language"] == "ru" and bishkek["original_language"] == "fr"
    assert bishkek["translations"] == ["ru"]
    assert bishkek["untranslated_fields"] == ["summary"]
    in_french = client.get(LIST, {"lang": "fr"}).json()["results"][-1]
    assert in_french["untranslated_fields"] == [] and in_french["title"].startswith("Réunion")
    status_names = {row["status_name"] for row in by_accept}
    assert "Задержание" in status_names


def test_an_unknown_language_is_a_400_with_a_message(client, awkward_cases):
    response = client.get(LIST, {"lang": "xx"})

    assert response.status_code == 400
    assert response.json()["errors"]["lang"] == ["Unknown language: choose one of en, fr, ru, ar."]


def test_the_detail_lists_untranslated_texts_too(client, awkward_cases):
    bishkek = awkward_cases[0]
    data = client.get(f"{LIST}{bishkek.pk}/", {"lang": "ru"}).json()

    assert data["title"] == 'Сорвано собрание "Коалиции"'
    assert data["untranslated_fields"] == ["summary", "narrative"]
    assert data["translations"] == ["ru"]


def test_an_empty_lang_is_ignored(client, awkward_cases):
    response = client.get(LIST, {"lang": ""}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
