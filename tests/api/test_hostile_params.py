"""Bad query parameters are 400 with a JSON message, never 500."""

import datetime
import json

import pytest

from tests.factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)

HOSTILE = [
    "country=XX",
    "country=%00",
    "status=nope",
    "status=%00",
    "year=abc",
    "year=1e400",
    "year=99999999999999999999",
    "year=2019.5",
    "occurred_after=2019-13-45",
    "occurred_before=yesterday",
    "organization=0",
    "organization=abc",
    "organization=99999999999999999999999",
    "perpetrator=99999999999999999999999",
    "perpetrator=-1",
    "perpetrator_kind=martians",
    "has_appeal=maybe",
    "appeal_language=xx",
    "ordering=title",
    "ordering=%00",
    "q=%00",
    "q=" + "x" * 201,
    "cursor=%00",
    "cursor=not+base64url",
    "cursor=" + "A" * 2000,
    "page_size=-1",
    "page_size=0",
    "page_size=abc",
    "page_size=%00",
    "format=null",
    "format=%C3%80%00",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize(
    "path", ["/api/v1/incidents/", "/api/v1/incidents/export.csv", "/api/v1/incidents/export.json"]
)
def test_bad_parameter_is_400_json(client, db, path, query):
    IncidentFactory(published=True)
    response = client.get(f"{path}?{query}")
    if path.endswith((".csv", ".json")) and query.split("=")[0] in {"cursor", "page_size"}:
        assert response.status_code == 200  # exports are not paginated
        return
    assert response.status_code == 400, (query, response.status_code)
    body = response.json()
    assert body["detail"] == "Invalid input: see errors."
    assert body["errors"]


def test_an_unknown_format_names_the_known_ones_and_a_known_one_still_answers(client, db):
    # DRF's own answer to ?format=nonsense is a 404 for a URL that exists.
    case = IncidentFactory(published=True)
    response = client.get("/api/v1/incidents/?format=pdf")
    assert response.status_code == 400
    assert response.json()["errors"]["format"] == ["Unknown format; use one of: api, json."]
    response = client.get("/api/v1/incidents/?format=json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [case.pk]


STALE_CURSORS = [
    "garbage",
    "eyJrIjpbIjIwMTktMTMtNDUiLDFdfQ",  # {"k":["2019-13-45",1]}
    "eyJrIjpbIjIwMTktMDEtMDEiLCJhIl19",  # {"k":["2019-01-01","a"]}
    "eyJrIjpbMV19",  # {"k":[1]}
    "eyJvIjotMX0",  # {"o":-1}
    "W10",  # []
]


@pytest.mark.parametrize("cursor", STALE_CURSORS)
def test_cursor_naming_no_position_gives_the_first_page(client, db, cursor):
    # Base64url text is what the schema promises a cursor is; one that names no position
    # (edited, or from another ordering) starts again, as the case list pages do.
    first, second = IncidentFactory(published=True), IncidentFactory(published=True)
    response = client.get(f"/api/v1/incidents/?page_size=1&cursor={cursor}")
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [max(first.pk, second.pk)]
    assert body["previous"] is None and body["next"]


@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/api/v1/incidents/export.json"])
def test_unknown_or_unpublished_organization_matches_nothing(client, db, path):
    # Any id the schema allows is a filter, not an error; unpublished and missing alike.
    IncidentFactory(published=True)
    secret = OrganizationFactory()
    IncidentFactory(organizations=[secret])
    for query in ("organization=999999", f"organization={secret.pk}", "perpetrator=999999"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, query
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert json.loads(body)["results" if path.endswith("/") else "incidents"] == []


def test_huge_cursor_values_are_past_every_id_or_empty(client, db):
    # A cursor is a position (date, id); an id past bigint is past every id of its day, so
    # the page is every case of that day and before it, newest first; none are left after a
    # position older than every case. A page, not an error.
    IncidentFactory(published=True, occurred_on=datetime.date(2019, 5, 23))
    same_day = IncidentFactory(published=True, occurred_on=datetime.date(2019, 1, 1))
    older = IncidentFactory(published=True, occurred_on=datetime.date(2018, 6, 1))
    # {"k":["2019-01-01",99999999999999999999999]}
    cursor = "eyJrIjpbIjIwMTktMDEtMDEiLDk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XX0"
    response = client.get(f"/api/v1/incidents/?cursor={cursor}")
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [same_day.pk, older.pk]

    # {"k":["2000-01-01",99999999999999999999999]}: before every case.
    cursor = "eyJrIjpbIjIwMDAtMDEtMDEiLDk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XX0"
    response = client.get(f"/api/v1/incidents/?cursor={cursor}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["results"] == []
    assert body["next"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incidents/99999999999999999999999/",
        "/api/v1/incidents/%00/",
        "/api/v1/organizations/99999999999999999999999/",
        "/api/v1/organizations/abc/",
        "/api/v1/perpetrator-groups/%00/",
        "/api/v1/appeals/99999999999999999999999/",
        "/api/v1/appeals/%00/",
        "/api/v1/statuses/%00/",
        "/api/v1/nothing-here/",
        "/api/nothing/",
    ],
)
def test_bad_lookups_are_404_json(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # The NUL is dropped (PostgreSQL refuses it): no words left, every public row.
        ("q=%00", True),
        # Words are cut to 100 characters: a search that finds nothing.
        ("q=" + "x" * 5000, False),
        # A cursor naming no position: the first page.
        ("cursor=zz", True),
    ],
)
@pytest.mark.parametrize(
    ("path", "name"),
    [("/api/v1/organizations/", "Bir Duino"), ("/api/v1/perpetrator-groups/", "Police of Osh")],
)
def test_other_lists_survive_bad_params(client, db, path, name, query, listed):
    IncidentPerpetratorFactory(
        incident=IncidentFactory(published=True, organizations=[OrganizationFactory(name=name)]),
        perpetrator_group=PerpetratorGroupFactory(name=name),
    )
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, response.content
    assert [row["name"] for row in response.json()["results"]] == ([name] if listed else [])


@pytest.mark.parametrize("path", ["/api/v1/organizations/", "/api/v1/perpetrator-groups/"])
def test_other_lists_refuse_a_page_size_below_one(client, db, path):
    response = client.get(f"{path}?page_size=-1")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input: see errors.",
        "errors": {"page_size": ["A whole number of at least 1."]},
    }
