"""A NUL character in search terms never reaches PostgreSQL.

PostgreSQL text cannot hold NUL, and the driver refuses such a parameter outright: a
pasted or crafted ``q=a%00b`` must not turn a search into a server error. The case list's
form refuses a NUL as a visible error (and ignores the search); the API answers 400 with
the reason. Behind them, ``incidents.search`` drops NUL itself, for any caller that did
not go through the form (the organization API's ``q`` has no form: it drops NUL too).
"""

import pytest

from incidents.models import Incident
from incidents.search import order_by_relevance, refresh_search_vectors, search

from ..factories import IncidentFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LIST = "/en/cases/"
API = "/api/v1/incidents/"
NUL_SPELLINGS = ["Coali\x00tion", "Coalition\x00", "\x00Coalition", "Coa\x00\x00lition"]


@pytest.fixture
def cases():
    coalition = IncidentFactory(
        published=True,
        title="Coalition meeting raided",
        organizations=[OrganizationFactory(name="Coalition of Defenders", acronym="COD")],
    )
    other = IncidentFactory(published=True, title="Lawyers detained", summary="Nothing alike.")
    refresh_search_vectors([coalition.pk, other.pk])
    return {"coalition": coalition, "other": other}


def no_raise(client):
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("q", NUL_SPELLINGS)
def test_a_nul_in_the_case_list_search_is_reported_not_a_server_error(client, cases, q):
    response = no_raise(client).get(LIST, {"q": q})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    # The refused search is ignored: the list is the unfiltered one, as for any bad filter.
    assert {i.title for i in response.context["incidents"]} == {
        "Coalition meeting raided",
        "Lawyers detained",
    }


def test_a_nul_in_the_case_list_search_sorted_by_relevance_is_not_a_server_error(client, cases):
    response = no_raise(client).get(LIST, {"q": "Coali\x00tion", "ordering": "relevance"})

    assert response.status_code == 200
    assert len(response.context["incidents"]) == 2


@pytest.mark.parametrize("q", NUL_SPELLINGS)
def test_a_nul_in_the_api_search_is_a_400_with_the_reason(client, cases, q):
    response = no_raise(client).get(API, {"q": q, "ordering": "relevance"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"q": ["Null characters are not allowed."]}


@pytest.mark.parametrize("q", NUL_SPELLINGS)
def test_a_nul_in_the_organization_api_search_is_dropped(client, cases, q):
    response = no_raise(client).get("/api/v1/organizations/", {"q": q})

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Coalition of Defenders"]


@pytest.mark.parametrize("terms", NUL_SPELLINGS)
def test_search_drops_nul_from_the_terms(cases, terms):
    found = search(Incident.objects.published(), terms)

    assert list(found) == [cases["coalition"]]


@pytest.mark.parametrize("terms", ["\x00", " \x00 ", "\x00\x00"])
def test_search_for_nothing_but_nul_is_no_search(cases, terms):
    assert search(Incident.objects.published(), terms).count() == 2


@pytest.mark.parametrize("terms", NUL_SPELLINGS)
def test_ranking_by_relevance_drops_nul_from_the_terms(cases, terms):
    published = Incident.objects.published()
    ranked = order_by_relevance(published, terms)

    assert list(ranked) == [cases["coalition"], cases["other"]]
