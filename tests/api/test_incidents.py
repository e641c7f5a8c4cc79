"""The incidents endpoint: visibility, every filter, ordering, pagination, query counts."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from appeals.models import AppealVersion
from incidents.models import Incident
from incidents.search import refresh_search_vectors
from organizations.models import PerpetratorGroup
from tests.factories import (
    AppealFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    UpdateFactory,
    status,
)

from .conftest import token_client

LIST = "/api/v1/incidents/"


def ready_version(appeal, language="fr"):
    """A stored, hashed PDF, as a render leaves it."""
    content = b"%PDF-1.7 test"
    name = storages["appeals"].save(f"{appeal.pk}/{language}/v1.pdf", ContentFile(content))
    return AppealVersion.objects.create(
        appeal=appeal,
        language=language,
        number=1,
        file_name=name,
        content_hash="0" * 64,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        page_count=1,
        ready_at=timezone.now(),
    )


@pytest.fixture
def cases(db):
    """Three published cases that differ in every filtered field, and a draft."""
    coalition = OrganizationFactory(name="Coalition contre la torture")
    lawyers = OrganizationFactory(name="Адвокаты")
    police = PerpetratorGroupFactory(name="Police", kind=PerpetratorGroup.Kind.POLICE)
    nationalists = PerpetratorGroupFactory(
        name="Kyrk Choro", kind=PerpetratorGroup.Kind.PRO_GOVERNMENT
    )
    bishkek = IncidentFactory(
        published=True,
        title="Meeting disrupted in Bishkek",
        occurred_on=datetime.date(2019, 5, 23),
        country="KG",
        status=status("harassment-and-intimidation"),
        organizations=[coalition],
    )
    IncidentPerpetratorFactory(incident=bishkek, perpetrator_group=nationalists)
    ready_version(AppealFactory(incident=bishkek, published=True), "fr")
    almaty = IncidentFactory(
        published=True,
        title="Lawyers detained in Almaty",
        occurred_on=datetime.date(2022, 1, 5),
        country="KZ",
        status=status("arbitrary-detention"),
        organizations=[lawyers],
    )
    IncidentPerpetratorFactory(incident=almaty, perpetrator_group=police)
    osh = IncidentFactory(
        published=True,
        title="Journalist charged with hooliganisme in Osh",
        summary="Accusé de hooliganisme après un reportage.",
        occurred_on=datetime.date(2021, 3, 1),
        country="KG",
        status=status("charged"),
    )
    UpdateFactory(incident=osh, title="Procès à Бишкек", body="بيشكيك")
    draft = IncidentFactory(title="SECRETDRAFT case", occurred_on=datetime.date(2021, 6, 1))
    refresh_search_vectors([incident.pk for incident in (bishkek, almaty, osh, draft)])
    return {
        "bishkek": bishkek,
        "almaty": almaty,
        "osh": osh,
        "draft": draft,
        "coalition": coalition,
        "lawyers": lawyers,
        "police": police,
        "nationalists": nationalists,
    }


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def slugs_of(response):
    return {row["slug"] for row in response.json()["results"]}


# Visibility.


def test_anonymous_lists_published_cases_newest_first(client, cases):
    assert titles(client.get(LIST)) == [
        "Lawyers detained in Almaty",
        "Journalist charged with hooliganisme in Osh",
        "Meeting disrupted in Bishkek",
    ]


@pytest.mark.parametrize("persona", ["researcher", "editor", "reviewer"])
def test_staff_list_includes_drafts(request, cases, persona):
    api = token_client(request.getfixturevalue(persona))
    assert "SECRETDRAFT case" in titles(api.get(LIST))


def test_outsider_sees_published_only(client, outsider, cases):
    client.force_login(outsider)
    assert "SECRETDRAFT case" not in titles(client.get(LIST))


def test_draft_is_404_for_anonymous_by_id_and_slug(client, cases):
    draft = cases["draft"]
    for key in (draft.pk, draft.slug):
        response = client.get(f"{LIST}{key}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "No Incident matches the given query."}


def test_published_case_by_id_and_slug(client, cases):
    bishkek = cases["bishkek"]
    for key in (bishkek.pk, bishkek.slug):
        data = client.get(f"{LIST}{key}/").json()
        assert data["id"] == bishkek.pk
        coalition = cases["coalition"]
        assert data["organizations"] == [
            {"id": coalition.pk, "name": coalition.name, "acronym": coalition.acronym}
        ]
        assert data["perpetrators"][0]["involvement"] == "carried_out"
        assert data["appeals"][0]["reference"].startswith("KGZ")
        assert data["url"] == f"http://testserver{bishkek.get_absolute_url()}"


def test_coordinates_are_for_staff_only(client, researcher_token_client, db):
    incident = IncidentFactory(published=True, latitude="42.874621", longitude="74.569762")
    assert client.get(f"{LIST}{incident.pk}/").json()["latitude"] is None
    data = researcher_token_client.get(f"{LIST}{incident.pk}/").json()
    assert data["latitude"] == "42.874621"


def test_staff_detail_of_draft_lists_its_unpublished_appeal(researcher_token_client, db):
    appeal = AppealFactory(incident=IncidentFactory())
    data = researcher_token_client.get(f"{LIST}{appeal.incident.pk}/").json()
    assert [a["id"] for a in data["appeals"]] == [appeal.pk]


# Filters, each alone.


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KZ", {"almaty"}),
        ("country=KG", {"bishkek", "osh"}),
        ("country=KG&country=KZ", {"bishkek", "osh", "almaty"}),
        ("status=charged", {"osh"}),
        ("status=charged&status=arbitrary-detention", {"osh", "almaty"}),
        ("year=2019", {"bishkek"}),
        ("occurred_after=2021-01-01", {"osh", "almaty"}),
        ("occurred_before=2021-03-01", {"bishkek", "osh"}),
        ("occurred_after=2020-01-01&occurred_before=2021-12-31", {"osh"}),
        ("perpetrator_kind=state", {"almaty"}),
        ("perpetrator_kind=non_state", {"bishkek"}),
        ("perpetrator_kind=police", {"almaty"}),
        ("perpetrator_kind=pro_government&perpetrator_kind=police", {"bishkek", "almaty"}),
        ("has_appeal=true", {"bishkek"}),
        ("has_appeal=false", {"osh", "almaty"}),
        ("appeal_language=fr", {"bishkek"}),
        ("appeal_language=ru", set()),
        ("q=Almaty", {"almaty"}),
    ],
)
def test_each_filter(client, cases, query, expected):
    response = client.get(f"{LIST}?{query}")
    assert slugs_of(response) == {cases[name].slug for name in expected}


def test_organization_and_perpetrator_filters(client, cases):
    by_org = client.get(f"{LIST}?organization={cases['lawyers'].pk}")
    assert slugs_of(by_org) == {cases["almaty"].slug}
    both = client.get(
        f"{LIST}?organization={cases['lawyers'].pk}&organization={cases['coalition'].pk}"
    )
    assert slugs_of(both) == {cases["almaty"].slug, cases["bishkek"].slug}
    by_group = client.get(f"{LIST}?perpetrator={cases['nationalists'].pk}")
    assert slugs_of(by_group) == {cases["bishkek"].slug}


def test_filters_combined(client, cases):
    response = client.get(
        f"{LIST}?country=KG&status=harassment-and-intimidation&status=charged"
        "&occurred_after=2019-01-01&occurred_before=2020-12-31&has_appeal=true"
        f"&perpetrator_kind=non_state&organization={cases['coalition'].pk}"
    )
    assert slugs_of(response) == {cases["bishkek"].slug}
    assert titles(client.get(f"{LIST}?country=KZ&year=2019")) == []


def test_filter_naming_an_organization_only_a_draft_names_matches_nothing(
    client, researcher_token_client, db
):
    hidden = OrganizationFactory(name="SECRET org")
    IncidentFactory(organizations=[hidden], title="SECRET draft")
    response = client.get(f"{LIST}?organization={hidden.pk}")
    # As for an id that does not exist: nothing tells the two apart.
    assert response.status_code == 200
    assert response.content == client.get(f"{LIST}?organization=999999").content
    assert "SECRET" not in response.content.decode()
    assert titles(researcher_token_client.get(f"{LIST}?organization={hidden.pk}")) == [
        "SECRET draft"
    ]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("hooliganisme", "osh"),
        ("Бишкек", "osh"),
        ("بيشكيك", "osh"),
        ("accuse", "osh"),
        ('"lawyers detained"', "almaty"),
    ],
)
def test_full_text_search_in_three_scripts(client, cases, words, expected):
    assert slugs_of(client.get(LIST, {"q": words})) == {cases[expected].slug}


@pytest.mark.postgres
def test_search_never_finds_a_draft_for_anonymous(client, cases):
    assert titles(client.get(f"{LIST}?q=SECRETDRAFT")) == []
    assert titles(client.get(f"{LIST}?q=SECRETDRAFT&ordering=relevance")) == []


# Ordering and pagination.


def test_ordering_date_is_oldest_first(client, cases):
    assert titles(client.get(f"{LIST}?ordering=date"))[0] == "Meeting disrupted in Bishkek"


@pytest.mark.postgres
def test_relevance_ranks_title_matches_first(client, db):
    in_summary = IncidentFactory(
        published=True, title="Raid", summary="hooliganisme", occurred_on=datetime.date(2023, 1, 1)
    )
    in_title = IncidentFactory(
        published=True, title="hooliganisme charge", occurred_on=datetime.date(2020, 1, 1)
    )
    refresh_search_vectors([in_summary.pk, in_title.pk])
    by_date = client.get(f"{LIST}?q=hooliganisme")
    assert [row["id"] for row in by_date.json()["results"]] == [in_summary.pk, in_title.pk]
    ranked = client.get(f"{LIST}?q=hooliganisme&ordering=relevance&page_size=1")
    assert [row["id"] for row in ranked.json()["results"]] == [in_title.pk]
    second = client.get(ranked.json()["next"])
    assert [row["id"] for row in second.json()["results"]] == [in_summary.pk]
    assert second.json()["next"] is None
    back = client.get(second.json()["previous"]).json()
    assert [row["id"] for row in back["results"]] == [in_title.pk]


def test_empty_list(client, db):
    assert client.get(LIST).json() == {"next": None, "previous": None, "results": []}


def walk(client, url):
    ids = []
    pages = 0
    while url:
        data = client.get(url).json()
        ids += [row["id"] for row in data["results"]]
        url = data["next"]
        pages += 1
    return ids, pages


def test_cursor_walk_visits_every_case_once_in_order(client, many_incidents):
    ids, pages = walk(client, f"{LIST}?page_size=30")
    expected = list(Incident.objects.order_by("-occurred_on", "-id").values_list("id", flat=True))
    assert ids == expected
    assert pages == 9  # 8 full pages and the last with 10


def test_reverse_walk_with_ordering_date(client, many_incidents):
    ids, _pages = walk(client, f"{LIST}?ordering=date&page_size=70")
    assert ids == list(Incident.objects.order_by("occurred_on", "id").values_list("id", flat=True))


def test_last_page_has_no_next_and_previous_goes_back(client, many_incidents):
    first = client.get(f"{LIST}?page_size=100").json()
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert len(third["results"]) == 50
    assert third["next"] is None
    back = client.get(third["previous"]).json()
    assert back["results"] == second["results"]
    start = client.get(back["previous"]).json()
    assert start["results"] == first["results"]
    assert start["previous"] is None


def test_cursor_is_stable_when_cases_are_added(client, many_incidents):
    first = client.get(f"{LIST}?page_size=10").json()
    boundary = Incident.objects.get(pk=first["results"][-1]["id"])
    # Newer cases, and one on the same day as the page's last row that sorts before it.
    IncidentFactory(published=True, occurred_on=datetime.date(2024, 1, 1))
    IncidentFactory(published=True, occurred_on=boundary.occurred_on)
    second = client.get(first["next"]).json()
    expected = list(
        Incident.objects.filter(pk__in=[i.pk for i in many_incidents])
        .order_by("-occurred_on", "-id")
        .values_list("id", flat=True)[10:20]
    )
    assert [row["id"] for row in second["results"]] == expected


def test_page_size_is_capped_at_200(client, many_incidents):
    assert len(client.get(f"{LIST}?page_size=5000").json()["results"]) == 200
    assert len(client.get(LIST).json()["results"]) == 50


# Query counts: constant whatever the page size and the number of rows.


@pytest.mark.parametrize("page_size", [1, 200])
def test_list_queries_anonymous(client, many_incidents, django_assert_max_num_queries, page_size):
    client.get(LIST)  # fills the cached status names (used where PostgreSQL is not)
    with django_assert_max_num_queries(1):
        response = client.get(f"{LIST}?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 200])
def test_list_queries_with_token(
    researcher_token_client, many_incidents, django_assert_max_num_queries, page_size
):
    researcher_token_client.get(LIST)  # fills the cached status names
    # The token, its user and the user's roles: one query; the audit row of the token's
    # use: one INSERT; the page: one more.
    with django_assert_max_num_queries(3):
        response = researcher_token_client.get(f"{LIST}?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


def test_next_page_and_filters_stay_within_three_queries(
    client, many_incidents, django_assert_max_num_queries
):
    newest_first = list(
        Incident.objects.order_by("-occurred_on", "-id").values_list("id", flat=True)
    )
    first = client.get(f"{LIST}?page_size=200&country=KG").json()
    with django_assert_max_num_queries(1):
        second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == newest_first[200:250]

    organization = many_incidents[0].organizations.first()
    # Every case's group is pro-government, a non-state actor; none has an appeal.
    with django_assert_max_num_queries(3):
        response = client.get(
            f"{LIST}?page_size=200&status=harassment-and-intimidation"
            f"&organization={organization.pk}&perpetrator_kind=non_state&has_appeal=false"
        )
    naming_it = set(organization.incidents.values_list("id", flat=True))
    assert len(naming_it) in {125, 250}  # its cases: every other one, or all
    expected = [pk for pk in newest_first if pk in naming_it][:200]
    assert [row["id"] for row in response.json()["results"]] == expected


def test_search_with_every_vocabulary_filter_stays_within_three_queries(
    client, many_incidents, django_assert_max_num_queries
):
    """The search probe, the organization check, the page; the status needs no query."""
    client.get(f"{LIST}?status=arbitrary-detention")  # fills the cached status vocabulary
    organization = many_incidents[0].organizations.first()
    query = (
        f"{LIST}?q={many_incidents[0].title.split()[0]}&status=harassment-and-intimidation"
        f"&country=KG&organization={organization.pk}&occurred_after=2019-01-01"
    )
    with django_assert_max_num_queries(3):
        response = client.get(query)
    assert response.status_code == 200
    # Every case has the title's first word, the status and the country: the organization
    # decides, and the first page of 50 is full of its cases.
    naming_it = set(organization.incidents.values_list("id", flat=True))
    found = [row["id"] for row in response.json()["results"]]
    assert len(found) == 50
    assert set(found) <= naming_it
