"""Creating and updating incidents through the API: the staff form's validation and roles."""

import datetime

import pytest
from django.utils import timezone

from incidents.models import Incident, PublicationEvent
from tests.factories import IncidentFactory, OrganizationFactory

from .conftest import token_client

LIST = "/api/v1/incidents/"
VALID = {
    "title": "Journalist detained in Osh",
    "summary": "Détenu après un reportage.",
    "occurred_on": "2024-03-02",
    "country": "KG",
    "status": "arbitrary-detention",
}


def post(api, data):
    return api.post(LIST, data, content_type="application/json")


def patch(api, incident, data):
    return api.patch(f"{LIST}{incident.pk}/", data, content_type="application/json")


def every_case() -> list[dict]:
    """Every incident's fields, to show a refused request changed nothing."""
    return list(Incident.objects.order_by("pk").values())


def test_editor_creates_a_draft(editor_token_client, editor):
    organization = OrganizationFactory()
    response = post(editor_token_client, {**VALID, "organizations": [organization.pk]})
    assert response.status_code == 201, response.content
    data = response.json()
    incident = Incident.objects.get(pk=data["id"])
    assert incident.publication_state == Incident.State.DRAFT
    assert incident.created_by == editor
    assert data["slug"] == "journalist-detained-in-osh"
    assert data["status"] == "arbitrary-detention"
    assert [o["id"] for o in data["organizations"]] == [organization.pk]
    assert PublicationEvent.objects.filter(incident=incident, actor=editor).count() == 1


def test_create_with_a_session_needs_the_csrf_token(editor):
    from django.test import Client

    api = Client(enforce_csrf_checks=True)
    api.force_login(editor)
    assert post(api, VALID).status_code == 403
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"occurred_on": "2019-13-45"}, "occurred_on"),
        ({"ended_on": "2000-01-01"}, "ended_on"),
        ({"country": "XX"}, "country"),
        ({"status": "nope"}, "status"),
        ({"latitude": "95"}, "latitude"),
        ({"latitude": "42.1"}, "longitude"),
        ({"organizations": [999999]}, "organizations"),
        ({"organizations": "1"}, "organizations"),
        ({"created_by": 1}, "created_by"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_invalid_input_is_400_with_the_forms_messages(editor_token_client, change, field):
    response = post(editor_token_client, {**VALID, **change})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input: see errors."
    assert field in body["errors"]
    assert all(isinstance(message, str) for message in body["errors"][field])
    assert not Incident.objects.exists()


def test_future_date_message_is_the_forms(editor_token_client):
    response = post(editor_token_client, {**VALID, "occurred_on": "2999-01-01"})
    assert response.json()["errors"]["occurred_on"] == [
        "The incident date cannot be in the future."
    ]


def test_body_that_is_not_an_object_or_not_json_is_400(editor_token_client):
    assert post(editor_token_client, [1, 2]).status_code == 400
    response = editor_token_client.post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Incident.objects.exists()


def test_form_and_multipart_bodies_are_415(editor_token_client):
    # They cannot carry the lists (organizations) as the schema describes them: JSON only.
    organization = OrganizationFactory()
    data = {**VALID, "organizations": [organization.pk]}
    assert editor_token_client.post(LIST, data).status_code == 415  # multipart
    urlencoded = "title=T&summary=S&occurred_on=2024-03-02&country=KG&status=arbitrary-detention"
    response = editor_token_client.post(
        LIST, urlencoded, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "detail" in response.json()
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": 5}, "title"),
        ({"ended_on": ""}, "ended_on"),
        ({"organizations": ["1"]}, "organizations"),
    ],
)
def test_values_of_the_wrong_json_type_are_400(editor_token_client, change, field):
    # The form would coerce them (5 into "5"); the schema says what each field takes.
    response = post(editor_token_client, {**VALID, **change})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field}
    assert not Incident.objects.exists()


def test_editor_patches_own_draft_keeping_other_fields(editor_token_client, db):
    organization = OrganizationFactory()
    draft = IncidentFactory(organizations=[organization], region="Chui")
    response = patch(editor_token_client, draft, {"title": "New title"})
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.title == "New title"
    assert draft.region == "Chui"
    assert list(draft.organizations.all()) == [organization]


def test_a_get_body_can_be_sent_back(editor_token_client, db):
    draft = IncidentFactory(organizations=[OrganizationFactory()])
    data = editor_token_client.get(f"{LIST}{draft.pk}/").json()
    response = editor_token_client.put(
        f"{LIST}{draft.pk}/", {**data, "title": "Edited"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["organizations"] == data["organizations"]


def test_put_needs_every_required_field(editor_token_client, db):
    draft = IncidentFactory()
    before = every_case()
    response = editor_token_client.put(
        f"{LIST}{draft.pk}/", {"title": "Only"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"summary", "occurred_on", "country", "status"} <= set(response.json()["errors"])
    assert every_case() == before


def test_editor_cannot_edit_a_published_case(client, editor_token_client, db):
    published = IncidentFactory(published=True, title="As published")
    before = every_case()
    assert patch(editor_token_client, published, {"title": "x"}).status_code == 403
    assert every_case() == before
    assert client.get(f"{LIST}{published.pk}/").json()["title"] == "As published"


def test_a_write_the_role_forbids_is_refused_before_its_content_is_read(
    editor_token_client, researcher_token_client, db
):
    # Refused as forbidden, whatever the body holds: the form's messages (a 400) would tell
    # someone who may not edit the case which of their values it would have taken.
    published = IncidentFactory(published=True, title="As published")
    draft = IncidentFactory(title="Untouched draft")
    before = every_case()
    bad = {"occurred_on": "not a date", "country": "XX"}

    assert patch(editor_token_client, published, bad).status_code == 403
    assert patch(researcher_token_client, draft, bad).status_code == 403
    assert every_case() == before


def test_reviewer_edits_a_published_case_and_it_stays_published(reviewer_token_client, db):
    published = IncidentFactory(published=True)
    assert patch(reviewer_token_client, published, {"title": "Typo fixed"}).status_code == 200
    published.refresh_from_db()
    assert published.publication_state == Incident.State.PUBLISHED


def test_reviewer_cannot_edit_a_withdrawn_case(reviewer_token_client, db):
    withdrawn = IncidentFactory(withdrawn=True, title="As withdrawn")
    before = every_case()
    assert patch(reviewer_token_client, withdrawn, {"title": "x"}).status_code == 403
    assert every_case() == before
    assert not PublicationEvent.objects.exists()


def test_researcher_is_read_only(researcher_token_client, db):
    draft = IncidentFactory(title="Untouched draft")
    before = every_case()
    assert post(researcher_token_client, VALID).status_code == 403
    assert patch(researcher_token_client, draft, {"title": "x"}).status_code == 403
    assert researcher_token_client.delete(f"{LIST}{draft.pk}/").status_code == 405
    assert every_case() == before
    assert researcher_token_client.get(f"{LIST}{draft.pk}/").json()["title"] == "Untouched draft"
    assert not PublicationEvent.objects.exists()


def test_anonymous_cannot_write_and_learns_nothing(client, db):
    published = IncidentFactory(published=True)
    draft = IncidentFactory()
    before = every_case()
    assert post(client, VALID).status_code == 401
    assert patch(client, published, {"title": "x"}).status_code == 401
    # A draft's id answers exactly like a published case's.
    assert patch(client, draft, {"title": "x"}).status_code == 401
    assert every_case() == before


def test_outsider_cannot_write(outsider, db):
    api = token_client(outsider)
    draft = IncidentFactory()
    before = every_case()
    assert post(api, VALID).status_code == 403
    # An outsider cannot see a draft: 404, not 403.
    assert patch(api, draft, {"title": "x"}).status_code == 404
    assert every_case() == before


def test_write_cannot_publish(reviewer_token_client, db):
    draft = IncidentFactory()
    response = patch(
        reviewer_token_client,
        draft,
        {"publication_state": "published", "published_at": timezone.now().isoformat()},
    )
    assert response.status_code == 200  # read-only fields sent back are ignored
    draft.refresh_from_db()
    assert draft.publication_state == Incident.State.DRAFT
    assert draft.published_at is None


def test_slug_from_title_is_unique(editor_token_client, db):
    IncidentFactory(slug="journalist-detained-in-osh")
    data = post(editor_token_client, VALID).json()
    assert data["slug"] == "journalist-detained-in-osh-2"
    assert datetime.date.fromisoformat(data["occurred_on"]) == datetime.date(2024, 3, 2)
