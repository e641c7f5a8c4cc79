"""Bad query parameters are 400 with a JSON message, never 500."""

import pytest

from tests.factories import IncidentFactory

HOSTILE = [
    "country=XX",
    "country=%00",
    "status=nope",
    "status=%00",
    "year=abc",
    "year=1e400",
    "year=99999999999999999999",
    "occurred_after=2019-13-45",
    "occurred_before=yesterday",
    "organization=999999",
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
    "cursor=garbage",
    "cursor=%00",
    "cursor=eyJrIjpbIjIwMTktMTMtNDUiLDFdfQ",  # {"k":["2019-13-45",1]}
    "cursor=eyJrIjpbIjIwMTktMDEtMDEiLCJhIl19",  # {"k":["2019-01-01","a"]}
    "cursor=eyJrIjpbMV19",  # {"k":[1]}
    "cursor=eyJvIjotMX0",  # {"o":-1}
    "cursor=W10",  # []
    "cursor=" + "A" * 2000,
    "page_size=-1",
    "page_size=0",
    "page_size=abc",
    "page_size=%00",
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


def test_huge_cursor_values_are_400_or_empty(client, db):
    IncidentFactory(published=True)
    # {"k":["2019-01-01",99999999999999999999999]}: a number past bigint.
    cursor = "eyJrIjpbIjIwMTktMDEtMDEiLDk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XX0"
    assert client.get(f"/api/v1/incidents/?cursor={cursor}").status_code in {200, 400}


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


@pytest.mark.parametrize("path", ["/api/v1/organizations/", "/api/v1/perpetrator-groups/"])
@pytest.mark.parametrize("query", ["q=%00", "q=" + "x" * 5000, "page_size=-1", "cursor=zz"])
def test_other_lists_refuse_or_survive_bad_params(client, db, path, query):
    assert client.get(f"{path}?{query}").status_code in {200, 400}
