"""IncidentFilter and full-text search, below the pages and the API that share them."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from incidents.facets import facet_counts, perpetrator_kind_counts
from incidents.filters import IncidentFilter
from incidents.models import Incident
from incidents.search import refresh_search_vectors
from incidents.vocabulary import statuses

from ..factories import (
    AppealFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    UpdateFactory,
    status,
)

pytestmark = pytest.mark.django_db


def run(query: str, queryset=None):
    incident_filter = IncidentFilter(
        QueryDict(query), queryset=queryset or Incident.objects.published()
    )
    assert incident_filter.is_valid(), incident_filter.errors
    return list(incident_filter.qs)


@pytest.fixture
def cases():
    coalition = OrganizationFactory(name="Coalition Against Torture")
    police = PerpetratorGroupFactory(name="Police of Almaty", kind="police")
    youth = PerpetratorGroupFactory(name="Patriotic Youth", kind="pro_government")
    bishkek = IncidentFactory(
        published=True,
        title="Réunion de la Coalition perturbée à Bichkek",
        country="KG",
        occurred_on=datetime.date(2019, 5, 23),
        organizations=[coalition],
    )
    IncidentPerpetratorFactory(incident=bishkek, perpetrator_group=youth)
    almaty = IncidentFactory(
        published=True,
        title="Массовые задержания в Алматы",
        summary="Задержаны сотни протестующих.",
        country="KZ",
        occurred_on=datetime.date(2022, 1, 6),
        status=status("arbitrary-detention"),
    )
    IncidentPerpetratorFactory(incident=almaty, perpetrator_group=police)
    UpdateFactory(incident=almaty, title="Internet coupé", body="hooliganisme retenu contre eux")
    cairo = IncidentFactory(
        published=True,
        title="اعتقال مدافعة عن حقوق الإنسان في القاهرة",
        country="EG",
        occurred_on=datetime.date(2023, 3, 2),
        status=status("arbitrary-detention"),
    )
    draft = IncidentFactory(title="Réunion secrète", country="TJ", organizations=[coalition])
    refresh_search_vectors([bishkek.pk, almaty.pk, cairo.pk, draft.pk])
    return {
        "bishkek": bishkek,
        "almaty": almaty,
        "cairo": cairo,
        "draft": draft,
        "coalition": coalition,
        "police": police,
        "youth": youth,
    }


def test_each_filter_alone(cases):
    c = cases
    assert run("country=KG") == [c["bishkek"]]
    assert run("country=KG&country=EG") == [c["cairo"], c["bishkek"]]
    assert run("status=arbitrary-detention") == [c["cairo"], c["almaty"]]
    assert run("year=2022") == [c["almaty"]]
    assert run("occurred_after=2020-01-01&occurred_before=2022-12-31") == [c["almaty"]]
    assert run(f"organization={c['coalition'].pk}") == [c["bishkek"]]
    assert run(f"perpetrator={c['police'].pk}") == [c["almaty"]]
    assert run("perpetrator_kind=state") == [c["almaty"]]
    assert run("perpetrator_kind=non_state") == [c["bishkek"]]
    assert run("perpetrator_kind=pro_government") == [c["bishkek"]]


def test_a_group_of_unknown_kind_is_neither_state_nor_non_state(cases):
    court = PerpetratorGroupFactory(name="A court entered in a hurry", kind="unknown")
    IncidentPerpetratorFactory(incident=cases["cairo"], perpetrator_group=court)

    assert run("perpetrator_kind=unknown") == [cases["cairo"]]
    assert cases["cairo"] not in run("perpetrator_kind=non_state")
    assert cases["cairo"] not in run("perpetrator_kind=state")
    kinds = perpetrator_kind_counts(Incident.objects.published(), 3)
    assert (kinds["state"], kinds["non_state"], kinds["unknown"]) == (1, 1, 1)


def test_filters_combine(cases):
    c = cases
    assert run("status=arbitrary-detention&country=KZ&country=KG") == [c["almaty"]]
    assert run("status=arbitrary-detention&perpetrator_kind=state&year=2022") == [c["almaty"]]
    assert run("country=EG&year=2022") == []


def test_ordering_newest_first_by_default_and_oldest_on_request(cases):
    c = cases
    assert run("") == [c["cairo"], c["almaty"], c["bishkek"]]
    assert run("ordering=date") == [c["bishkek"], c["almaty"], c["cairo"]]


def test_appeal_filters_count_only_published_appeals(cases, reviewer):
    c = cases
    AppealFactory(incident=c["bishkek"], published=True)
    AppealFactory(incident=c["almaty"])  # a draft appeal: not "has an appeal" publicly
    assert run("has_appeal=true") == [c["bishkek"]]
    assert run("has_appeal=false") == [c["cairo"], c["almaty"]]


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "status=nope",
        "year=abc",
        "year=99999999999",
        "occurred_after=2019-13-45",
        "organization=999999",
        "organization=abc",
        "perpetrator_kind=aliens",
        "has_appeal=maybe",
        "appeal_language=xx",
        "ordering=random",
    ],
)
def test_bad_values_are_form_errors(cases, query):
    incident_filter = IncidentFilter(QueryDict(query), queryset=Incident.objects.published())
    assert not incident_filter.is_valid()


def test_a_draft_only_organization_is_not_a_valid_choice(cases):
    hidden = OrganizationFactory(name="Known only to a draft")
    draft = cases["draft"]
    draft.organizations.add(hidden)
    bad = IncidentFilter(
        QueryDict(f"organization={hidden.pk}"), queryset=Incident.objects.published()
    )
    missing = IncidentFilter(
        QueryDict("organization=987654"), queryset=Incident.objects.published()
    )
    assert not bad.is_valid() and not missing.is_valid()
    assert bad.errors == {
        "organization": [
            message.replace("987654", str(hidden.pk)) for message in missing.errors["organization"]
        ]
    }


def test_facet_counts_follow_the_filter_and_ignore_drafts(cases):
    facets = facet_counts(
        IncidentFilter(QueryDict(""), queryset=Incident.objects.published()).matching
    )
    assert facets.total == 3
    assert {f.value: f.count for f in facets.country} == {"KG": 1, "KZ": 1, "EG": 1}
    assert {f.value: f.count for f in facets.status} == {
        "arbitrary-detention": 2,
        "harassment-and-intimidation": 1,
    }
    assert [f.value for f in facets.year] == ["2023", "2022", "2019"]

    narrowed = IncidentFilter(
        QueryDict("status=arbitrary-detention"), queryset=Incident.objects.published()
    )
    facets = facet_counts(narrowed.matching)
    assert facets.total == 2
    assert "KG" not in {f.value for f in facets.country}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("reunion", "bishkek"),  # accent-insensitive French
        ("RÉUNION", "bishkek"),
        ("задержания", "almaty"),  # Russian, in the title
        ("протестующих", "almaty"),  # Russian, in the summary
        ("hooliganisme", "almaty"),  # in an update
        ("القاهرة", "cairo"),  # Arabic
        ('"Coalition perturbée"', "bishkek"),
    ],
)
def test_full_text_search_in_three_scripts(cases, words, expected):
    assert run(f"q={words}") == [cases[expected]]


@pytest.mark.postgres
def test_search_never_finds_drafts_and_ranks_by_relevance(cases):
    assert run("q=secrète") == []
    c = cases
    other = IncidentFactory(
        published=True,
        title="Détention",
        summary="réunion réunion réunion",
        country="KG",
        occurred_on=datetime.date(2024, 1, 1),
    )
    refresh_search_vectors([other.pk])
    # The title weighs more than the summary: Bishkek's title match ranks first.
    assert run("q=réunion&ordering=relevance") == [c["bishkek"], other]
    assert run("q=réunion") == [other, c["bishkek"]]


@pytest.mark.postgres
def test_saving_an_incident_through_the_service_refreshes_its_search_vector(cases, reviewer):
    from incidents.services import incident_save

    almaty = cases["almaty"]
    assert run("q=condamnes") == []
    incident_save(actor=reviewer, incident=almaty, fields={"title": "Almaty : militants condamnés"})
    assert run("q=condamnes") == [almaty]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "country=KG",
        "country=KG&country=EG",
        "status=arbitrary-detention",
        "year=2022",
        "status=arbitrary-detention&country=KZ&year=2022",
        "country=TJ",
    ],
)
def test_the_facet_table_gives_the_same_counts_as_counting_the_incidents(cases, query):
    from incidents.facets import public_facet_counts

    incident_filter = IncidentFilter(QueryDict(query), queryset=Incident.objects.published())
    assert public_facet_counts(incident_filter) == facet_counts(incident_filter.matching)


@pytest.mark.parametrize(
    "query",
    [
        "country=KG",
        "country=KG&country=EG&status=arbitrary-detention",
        "status=arbitrary-detention&year=2022",
        "country=KZ&occurred_after=1990-01-01",
        "status=arbitrary-detention&q=Almaty",
        "country=TJ&year=1999",
    ],
)
def test_each_facet_can_be_counted_without_its_own_filter(cases, query):
    """Each facet's counts are those of the query without that facet's own parameter."""
    from incidents.facets import public_facet_counts

    def counted(query_string: str):
        return facet_counts(
            IncidentFilter(QueryDict(query_string), queryset=Incident.objects.published()).matching
        )

    def without(name: str) -> str:
        data = QueryDict(query, mutable=True)
        data.pop(name, None)
        return data.urlencode()

    facets = public_facet_counts(
        IncidentFilter(QueryDict(query), queryset=Incident.objects.published()), each_own=True
    )
    assert facets.total == counted(query).total
    assert facets.country == counted(without("country")).country
    assert facets.status == counted(without("status")).status
    assert facets.year == counted(without("year")).year


def test_publishing_and_withdrawing_update_the_facet_table_at_once(cases, reviewer):
    from incidents.facets import public_facet_counts
    from incidents.services import incident_publish, incident_withdraw

    def kyrgyz_count():
        facets = public_facet_counts(
            IncidentFilter(QueryDict(""), queryset=Incident.objects.published())
        )
        return {f.value: f.count for f in facets.country}.get("KG", 0)

    assert kyrgyz_count() == 1
    incident_withdraw(actor=reviewer, incident=cases["bishkek"])
    assert kyrgyz_count() == 0
    incident_publish(actor=reviewer, incident=cases["bishkek"])
    assert kyrgyz_count() == 1
    draft = IncidentFactory(country="KG")  # a draft is never counted
    assert draft.pk and kyrgyz_count() == 1


def test_live_facets_count_the_newest_matches_only_past_the_window(cases, monkeypatch):
    from incidents import facets as facets_module
    from incidents.facets import public_facet_counts

    monkeypatch.setattr(facets_module, "FACET_WINDOW", 2)
    wide = IncidentFilter(
        QueryDict("occurred_after=1990-01-01"), queryset=Incident.objects.published()
    )
    capped = public_facet_counts(wide)
    assert capped.capped and capped.total == 2
    assert {f.value for f in capped.year} == {"2023", "2022"}  # the newest two
    exact = public_facet_counts(wide, exact=True)
    assert not exact.capped and exact.total == 3


@pytest.mark.postgres
@pytest.mark.parametrize("rare_matches", [1, 1000])
def test_search_gives_the_same_answer_on_the_rare_and_the_common_word_path(
    cases, monkeypatch, rare_matches
):
    """Below the probe size the page is sorted from the probed ids; above, the index walk."""
    from incidents import search as search_module

    monkeypatch.setattr(search_module, "RARE_MATCHES", rare_matches)
    c = cases
    assert run("q=perturbee") == [c["bishkek"]]
    assert run("q=задержания") == [c["almaty"]]
    assert run("q=secrète") == []


@pytest.mark.postgres
def test_a_word_most_cases_contain_skips_the_probe_and_finds_the_same_cases(monkeypatch):
    """PostgreSQL's statistics say "common": the page comes from the date-index walk."""
    from django.db import connection

    from incidents import search as search_module
    from incidents.search import search_condition

    common = [
        IncidentFactory(
            published=True,
            summary=f"Harcèlement numéro {n}",
            occurred_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(30)
    ]
    others = [IncidentFactory(published=True, summary="Détention arbitraire")]
    draft = IncidentFactory(summary="Harcèlement secret")
    refresh_search_vectors([i.pk for i in [*common, *others, draft]])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident")

    assert "pk__in" not in str(search_condition("harcelement"))  # the walk: no ids
    assert "pk__in" in str(search_condition("arbitraire"))  # the probe's ids
    newest_first = sorted(common, key=lambda i: i.occurred_on, reverse=True)
    assert run("q=harcelement") == newest_first
    monkeypatch.setattr(search_module, "COMMON_SHARE", 2.0)  # never common: the probe
    assert "pk__in" in str(search_condition("harcelement"))
    assert run("q=harcelement") == newest_first


def test_the_filter_works_out_a_search_once_for_the_page_and_its_facets(
    cases, django_assert_num_queries
):
    from incidents.facets import public_facet_counts

    incident_filter = IncidentFilter(
        QueryDict("q=Coalition&country=KG&occurred_after=1990-01-01"),
        queryset=Incident.objects.published(),
    )
    statuses()  # the cached status vocabulary, as after any earlier page view
    # One query works out the search on PostgreSQL, one counts the facets, one lists.
    with django_assert_num_queries(3 if connection_is_postgres() else 2):
        facets = public_facet_counts(incident_filter, each_own=True)
        page = list(incident_filter.qs[:50])
    assert page == [cases["bishkek"]]
    assert facets.total == 1


def connection_is_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def test_an_organization_published_after_the_first_request_can_be_filtered_on():
    """The filter form class is built once; the records it accepts are not frozen with it."""
    IncidentFilter(QueryDict("organization=1"), queryset=Incident.objects.published()).is_valid()
    newcomer = OrganizationFactory(name="Newly published")
    case = IncidentFactory(published=True, organizations=[newcomer])
    Incident.objects.filter(pk=case.pk).update(published_at=timezone.now())

    later = IncidentFilter(
        QueryDict(f"organization={newcomer.pk}"), queryset=Incident.objects.published()
    )
    assert later.is_valid(), later.errors
    assert list(later.qs) == [case]
