"""Search finds a case by its place and the names of its organizations and perpetrator
groups, and by other forms of its words (stemming in each text's own language), while
names and transliterations still match as written."""

import datetime

import pytest
from django.db import connection

from incidents.models import Incident, IncidentTranslation
from incidents.search import STEMMING, order_by_relevance, refresh_search_vectors, search
from organizations.models import OrganizationTranslation, PerpetratorGroupTranslation
from organizations.services import (
    organization_save,
    organization_translation_save,
    perpetrator_group_save,
)

from ..factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)

pytestmark = pytest.mark.django_db
postgres = pytest.mark.postgres

LIST = "/en/cases/"


def found(terms: str) -> list[Incident]:
    return list(search(Incident.objects.published(), terms))


def case(**fields) -> Incident:
    """A published case with plain texts that hold none of the words searched below."""
    return IncidentFactory(
        published=True,
        **{
            "title": "Meeting disrupted",
            "summary": "Officers stopped the meeting.",
            "narrative": "",
            "place": "",
            "region": "",
            **fields,
        },
    )


def translate(incident: Incident, language: str, **texts) -> None:
    IncidentTranslation.objects.create(incident=incident, language=language, **texts)
    refresh_search_vectors([incident.pk])  # as incident_translation_save does


# The four searches users reported finding nothing.


def test_a_case_is_found_by_its_place_and_region():
    atyrau = case(place="Atyrau", region="Atyrau Region", original_language="en")
    other = case(place="Aktau", region="Mangystau")

    assert found("Atyrau") == [atyrau]
    assert found("Mangystau") == [other]


def test_a_case_is_found_by_the_place_in_a_translation():
    kazakh_city = case(place="Atyrau", original_language="en")
    translate(kazakh_city, "ru", title="Собрание сорвано", summary="Полиция.", place="Атырау")

    assert found("Атырау") == [kazakh_city]


@postgres
def test_protest_finds_protests_in_an_english_case():
    protests = case(title="Protests dispersed in Zhanaozen", original_language="en")
    case(title="Lawyers detained")

    assert found("protest") == [protests]


@postgres
def test_arrest_finds_arrests_in_a_russian_case():
    arrests = case(
        title="Аресты активистов в Алматы", summary="Задержаны трое.", original_language="ru"
    )

    assert found("арест") == [arrests]
    assert found("активист") == [arrests]


@postgres
def test_manifestation_finds_manifestations_in_a_french_case():
    march = case(
        title="Manifestations interdites à Bichkek",
        summary="Trois militants.",
        original_language="fr",
    )

    assert found("manifestation") == [march]


@postgres
def test_a_translation_is_stemmed_in_its_own_language_not_the_cases():
    # English stemming leaves Russian words as they are: only Russian finds "арест" here.
    case_in_english = case(title="Raid on the office", original_language="en")
    translate(case_in_english, "ru", title="Обыск в офисе", summary="Аресты сотрудников.")

    assert found("арест") == [case_in_english]


@postgres
def test_a_spanish_case_is_stemmed_and_accent_insensitive():
    """Languages beyond the interface's four are stemmed too, behind unaccent."""
    detentions = case(title="Detenciones arbitrarias en Caracas", original_language="es")

    assert found("detención") == [detentions]
    assert found("detencion") == [detentions]


@postgres
def test_a_name_that_stemming_drops_is_still_found_as_written():
    # "Elle" (the magazine) is a French stop word: only the simple form indexes it.
    elle = case(title="La rédaction de Elle menacée", original_language="fr")
    case(title="Rédaction menacée", original_language="fr")

    assert found("Elle") == [elle]


@postgres
def test_a_language_without_a_stemmer_is_searched_as_written():
    kyrgyz = case(title="Укук коргоочулар камакка алынды", original_language="ky")

    assert found("коргоочулар") == [kyrgyz]
    assert found("алынды") == [kyrgyz]


# Names of organizations and perpetrator groups.


def test_a_case_is_found_by_its_organizations_names_and_acronym():
    organization = OrganizationFactory(name="Kadyr Kassiyet", acronym="KQ")
    OrganizationTranslation.objects.create(
        organization=organization, language="ru", name="Кадыр Касиет"
    )
    targeted = case(organizations=[organization])
    case()

    assert found("Kassiyet") == [targeted]
    assert found("KQ") == [targeted]
    assert found("Касиет") == [targeted]


def test_a_case_is_found_by_its_perpetrator_groups_names_and_aliases():
    group = PerpetratorGroupFactory(name="Kalys Movement", aliases="Калыс\nKalys Youth")
    PerpetratorGroupTranslation.objects.create(group=group, language="fr", name="Mouvement Qalys")
    attacked = case()
    IncidentPerpetratorFactory(incident=attacked, perpetrator_group=group)
    refresh_search_vectors([attacked.pk])  # as incident_save does after its rows
    case()

    assert found("Kalys") == [attacked]
    assert found("Калыс") == [attacked]
    assert found("Qalys") == [attacked]


@postgres
def test_names_are_stemmed_in_their_own_language():
    organization = OrganizationFactory(
        name="Human Rights Defenders Network", original_language="en"
    )
    targeted = case(organizations=[organization])

    assert found("defender") == [targeted]


def test_renaming_an_organization_refreshes_its_cases(editor):
    organization = OrganizationFactory(name="Bir Duino")
    targeted = case(organizations=[organization])

    organization_save(actor=editor, organization=organization, fields={"name": "Adilet Clinic"})

    assert found("Adilet") == [targeted]
    assert found("Duino") == []


def test_translating_an_organizations_name_refreshes_its_cases(editor):
    organization = OrganizationFactory(name="Bir Duino", original_language="en")
    targeted = case(organizations=[organization])

    organization_translation_save(
        actor=editor, record=organization, language="ar", texts={"name": "بير دوينو"}
    )
    assert found("دوينو") == [targeted]

    organization_translation_save(actor=editor, record=organization, language="ar", texts={})
    assert found("دوينو") == []


def test_renaming_a_perpetrator_group_refreshes_its_cases(editor):
    group = PerpetratorGroupFactory(name="Kalys")
    attacked = case()
    IncidentPerpetratorFactory(incident=attacked, perpetrator_group=group)
    refresh_search_vectors([attacked.pk])

    perpetrator_group_save(actor=editor, group=group, fields={"aliases": "Qalys"})

    assert found("Qalys") == [attacked]


@postgres
def test_a_place_ranks_above_a_mention_in_the_narrative():
    in_narrative = case(
        narrative="The lawyer had come from Atyrau.", occurred_on=datetime.date(2024, 1, 1)
    )
    in_place = case(place="Atyrau", occurred_on=datetime.date(2020, 1, 1))

    ranked = order_by_relevance(search(Incident.objects.published(), "Atyrau"), "Atyrau")
    assert list(ranked) == [in_place, in_narrative]


# What stays as it was.


def test_a_draft_is_not_found_by_its_place_or_names_on_the_public_list(client):
    organization = OrganizationFactory(name="Kadyr Kassiyet")
    published = case(place="Atyrau", organizations=[organization])
    IncidentFactory(title="Secret draft", place="Atyrau", organizations=[organization])

    for terms in ["Atyrau", "Kassiyet"]:
        response = client.get(LIST, {"q": terms})
        assert list(response.context["incidents"]) == [published]


@postgres
def test_each_stemming_configuration_exists_in_the_database():
    """A language added to STEMMING needs a migration making its configuration."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        configurations = {row[0] for row in cursor.fetchall()}

    assert {f"casefile_{name}" for name in STEMMING.values()} <= configurations


def test_deleting_an_organization_forgets_its_name_in_its_cases():
    organization = OrganizationFactory(name="Kadyr Kassiyet")
    targeted = case(organizations=[organization])
    assert found("Kassiyet") == [targeted]

    organization.delete()

    assert found("Kassiyet") == []
