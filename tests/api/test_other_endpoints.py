"""Organizations, perpetrator groups, statuses and appeals: visibility and query counts."""

import pytest

from appeals.models import Appeal
from incidents.models import Status
from tests.factories import (
    AppealFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)

from .conftest import token_client
from .test_incidents import ready_version


@pytest.fixture
def records(db):
    public_org = OrganizationFactory(name="Coalition")
    secret_org = OrganizationFactory(name="SECRET org")
    IncidentFactory(published=True, organizations=[public_org])
    draft = IncidentFactory(organizations=[secret_org])
    public_group = PerpetratorGroupFactory(name="Police", aliases="Милиция\nPolis")
    secret_group = PerpetratorGroupFactory(name="SECRET group")
    IncidentPerpetratorFactory(
        incident=IncidentFactory(published=True), perpetrator_group=public_group
    )
    IncidentPerpetratorFactory(incident=draft, perpetrator_group=secret_group)
    published = AppealFactory(published=True)
    ready_version(published, "fr")
    ready_version(published, "ru")
    unpublished = AppealFactory(incident=draft, published=True)
    in_review = AppealFactory()
    Appeal.objects.filter(pk=in_review.pk).update(publication_state=Appeal.State.IN_REVIEW)
    return {
        "public_org": public_org,
        "secret_org": secret_org,
        "public_group": public_group,
        "secret_group": secret_group,
        "published": published,
        "unpublished": unpublished,
        "in_review": in_review,
    }


def names(response):
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_organizations_for_anonymous_and_staff(client, researcher_token_client, records):
    assert names(client.get("/api/v1/organizations/")) == ["Coalition"]
    assert client.get(f"/api/v1/organizations/{records['secret_org'].pk}/").status_code == 404
    staff = names(researcher_token_client.get("/api/v1/organizations/"))
    assert staff == ["Coalition", "SECRET org"]
    assert names(client.get("/api/v1/organizations/?q=coal")) == ["Coalition"]
    assert names(client.get("/api/v1/organizations/?q=SECRET")) == []


def test_perpetrator_groups_for_anonymous_and_staff(client, editor_token_client, records):
    assert names(client.get("/api/v1/perpetrator-groups/")) == ["Police"]
    group = client.get(f"/api/v1/perpetrator-groups/{records['public_group'].pk}/").json()
    assert group["aliases"] == ["Милиция", "Polis"]
    assert group["is_state_actor"] is False
    assert (
        client.get(f"/api/v1/perpetrator-groups/{records['secret_group'].pk}/").status_code == 404
    )
    assert "SECRET group" in names(editor_token_client.get("/api/v1/perpetrator-groups/"))


def test_statuses_are_the_vocabulary(client, db):
    statuses = client.get("/api/v1/statuses/").json()
    assert statuses[0]["slug"] == "harassment-and-intimidation"
    assert client.get("/api/v1/statuses/charged/").json()["name"] == "Charged"


def test_published_appeal_with_versions_and_download_urls(client, records):
    appeal = records["published"]
    rows = client.get("/api/v1/appeals/").json()["results"]
    assert [row["id"] for row in rows] == [appeal.pk]
    data = client.get(f"/api/v1/appeals/{appeal.reference_slug}/").json()
    slug = appeal.reference_slug
    assert data["reference"] == appeal.reference
    assert data["title"].startswith("Kirghizistan")
    # One name for the state on cases and appeals; "state" is kept for older clients.
    assert data["publication_state"] == data["state"] == "published"
    assert data["incident_api_url"] == f"http://testserver/api/v1/incidents/{appeal.incident_id}/"
    assert data["download_url"] == f"http://testserver/appeals/{slug}.pdf"
    assert data["download_urls"] == {
        "fr": f"http://testserver/appeals/{slug}.fr.pdf",
        "ru": f"http://testserver/appeals/{slug}.ru.pdf",
    }
    assert {v["download_url"] for v in data["versions"]} == {
        f"http://testserver/appeals/{slug}/fr/v1.pdf",
        f"http://testserver/appeals/{slug}/ru/v1.pdf",
    }
    assert client.get(data["download_url"]).status_code == 302


def test_unpublished_appeals_are_404_for_anonymous(client, records):
    for appeal in (records["unpublished"], records["in_review"]):
        assert client.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    slug = records["unpublished"].reference_slug
    assert client.get(f"/api/v1/appeals/{slug}/").status_code == 404


def test_staff_see_unpublished_appeals_without_public_urls(researcher_token_client, records):
    rows = researcher_token_client.get("/api/v1/appeals/").json()["results"]
    assert len(rows) == 3
    unpublished = next(row for row in rows if row["id"] == records["unpublished"].pk)
    assert unpublished["download_url"] is None
    assert unpublished["download_urls"] == {}
    assert unpublished["url"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organizations/",
        "/api/v1/perpetrator-groups/",
        "/api/v1/statuses/",
        "/api/v1/appeals/",
    ],
)
@pytest.mark.parametrize("persona", ["researcher", "editor", "reviewer", "outsider"])
def test_other_endpoints_are_read_only_for_everyone(request, client, db, path, persona):
    api = token_client(request.getfixturevalue(persona))
    for anyone in (client, api):
        assert anyone.post(path, {}, content_type="application/json").status_code in {401, 403, 405}
        assert anyone.get(path).status_code == 200


@pytest.fixture
def many_records(db):
    for n in range(60):
        organization = OrganizationFactory()
        incident = IncidentFactory(published=True, organizations=[organization])
        IncidentPerpetratorFactory(incident=incident)
        appeal = AppealFactory(incident=incident, published=True)
        ready_version(appeal, "fr")
        if n % 2:
            ready_version(appeal, "ru")


# With a token: the token, its user and roles in one query, and the audit row of its use.
@pytest.mark.parametrize(
    ("path", "anonymous", "token"),
    [
        # The page, and the translations of its texts into the reader's language.
        ("/api/v1/organizations/", 2, 4),
        ("/api/v1/perpetrator-groups/", 2, 4),
        # The statuses, and their names in the reader's language (then cached).
        ("/api/v1/statuses/", 2, 4),
        ("/api/v1/appeals/", 2, 4),
    ],
)
@pytest.mark.parametrize("page_size", [1, 200])
def test_list_query_counts(
    client,
    researcher,
    many_records,
    django_assert_max_num_queries,
    path,
    anonymous,
    token,
    page_size,
):
    # 60 of each made above, a page at a time; the statuses, the vocabulary the migrations
    # seed, come whole.
    expected = Status.objects.count() if path == "/api/v1/statuses/" else min(page_size, 60)
    with django_assert_max_num_queries(anonymous):
        response = client.get(f"{path}?page_size={page_size}")
    assert response.status_code == 200
    assert len(rows_of(response)) == expected
    api = token_client(researcher)
    with django_assert_max_num_queries(token):
        response = api.get(f"{path}?page_size={page_size}")
    assert response.status_code == 200
    assert len(rows_of(response)) == expected


def rows_of(response) -> list[dict]:
    data = response.json()
    return data["results"] if isinstance(data, dict) else data


def test_organization_walk_by_name_is_complete(client, many_records):
    seen, url = [], "/api/v1/organizations/?page_size=7"
    while url:
        data = client.get(url).json()
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen)) == 60
