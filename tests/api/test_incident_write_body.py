"""What the API's write serializer decides, as a client sees it: the body it accepts, the
messages it answers with (the staff form's, word for word), PATCH over the stored values,
PUT and POST leaving out a field."""

import datetime
from decimal import Decimal

import pytest

from incidents.forms import IncidentForm
from incidents.models import Incident, IncidentTranslation, ViolationType
from tests.factories import IncidentFactory, OrganizationFactory, status

from .test_incident_writes import LIST, VALID, every_case, patch, post

pytestmark = pytest.mark.django_db


def put(api, incident, data):
    return api.put(f"{LIST}{incident.pk}/", data, content_type="application/json")


def errors(response) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def form_errors(body: dict, user, instance=None) -> dict[str, list[str]]:
    """The staff form's messages for the same values, as its page would post them."""
    values = {
        "original_language": "en",
        "date_precision": "day",
        "location_precision": "place",
        **body,
    }
    if values["status"] == VALID["status"]:
        values["status"] = status(VALID["status"]).pk
    data = {name: "" if value is None else value for name, value in values.items()}
    form = IncidentForm(data=data, instance=instance or Incident(), user=user)
    assert not form.is_valid()
    return {
        name: [error["message"] for error in field_errors]
        for name, field_errors in form.errors.get_json_data().items()
    }


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": "   "},
        {"title": "x" * 301},
        {"title": "a\x00b"},
        {"title": "Seminar \u202ebroken up"},
        {"slug": "feed"},
        {"slug": "not a slug"},
        {"slug": "x" * 201},
        {"occurred_on": "2999-01-01"},
        {"occurred_on": "2019-13-45"},
        {"date_precision": "week"},
        {"date_precision": ""},
        {"ended_on": "2000-01-01"},
        {"country": "XX"},
        {"country": "kg"},
        {"country": ""},
        {"region": "r" * 121},
        {"latitude": "95", "longitude": "10"},
        {"latitude": "42.1"},
        {"longitude": 74.5},
        {"latitude": "1", "longitude": "-181"},
        {"latitude": "north", "longitude": "1"},
        {"latitude": "NaN", "longitude": "1"},
        {"location_precision": "street"},
        {"status": "nope"},
        {"status": ""},
        {"status": "999999"},
        {"organizations": [999999]},
        {"violation_types": [999999]},
        {"original_language": "xx"},
        # Several at once: the rules between fields still run beside a field's own error.
        {"title": "", "ended_on": "2000-01-01", "latitude": "42.1"},
    ],
    ids=repr,
)
def test_messages_are_the_staff_forms_word_for_word(editor_token_client, editor, change):
    body = {**VALID, **change}

    assert errors(post(editor_token_client, body)) == form_errors(body, editor)
    assert not Incident.objects.exists()


def test_a_taken_slug_is_refused_with_the_forms_message_but_a_case_keeps_its_own(
    editor_token_client, editor
):
    taken = IncidentFactory(slug="taken")
    draft = IncidentFactory(slug="mine")

    body = {**VALID, "slug": "taken"}
    assert errors(post(editor_token_client, body)) == form_errors(body, editor)
    assert errors(patch(editor_token_client, draft, {"slug": "taken"}))["slug"]
    # PUT sends the case's own slug back: not "taken" by itself.
    response = put(editor_token_client, draft, {**VALID, "slug": "mine"})
    assert response.status_code == 200, response.content
    assert response.json()["slug"] == "mine"
    assert Incident.objects.get(pk=taken.pk).slug == "taken"


def test_anything_but_what_a_get_shows_is_refused_by_name(editor_token_client):
    response = post(editor_token_client, {**VALID, "created_by": 1, "search_vector": "x"})

    assert errors(response) == {
        "created_by": ["This field cannot be written through the API."],
        "search_vector": ["This field cannot be written through the API."],
    }


def test_a_body_that_is_not_an_object_is_told_so(editor_token_client):
    assert errors(post(editor_token_client, [VALID])) == {
        "non_field_errors": ["Send a JSON object with the incident's fields."]
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": 5}, "A string."),
        ({"title": None}, "A string."),
        ({"status": 3}, "A string."),
        ({"date_precision": None}, "A string."),
        ({"original_language": 1}, "A string."),
        ({"occurred_on": None}, "A date, YYYY-MM-DD (null for none)."),
        ({"ended_on": ""}, "A date, YYYY-MM-DD (null for none)."),
        ({"latitude": True}, "A number."),
        ({"latitude": [1]}, "A number."),
        ({"organizations": None}, "A list of ids."),
        ({"organizations": [True]}, "A list of ids."),
        ({"violation_types": [{"code": "x"}]}, "A list of ids."),
    ],
    ids=repr,
)
def test_wrong_json_types_are_refused_before_any_value_is_read(
    editor_token_client, change, message
):
    # The bad date is not reported: nothing is read once a type is wrong.
    body = {**VALID, "occurred_on": "2999-01-01", **change}

    assert errors(post(editor_token_client, body)) == {next(iter(change)): [message]}


def test_null_is_empty_and_lists_take_ids_or_the_objects_a_get_shows(editor_token_client):
    organization = OrganizationFactory()
    violation = ViolationType.objects.create(code="ZZ-TEST", name="Test violation")
    body = {
        **VALID,
        "status": str(status(VALID["status"]).pk),  # by id, as text
        "slug": None,
        "narrative": None,
        "ended_on": None,
        "latitude": 42.87462149,  # rounded to the column's micro-degrees
        "longitude": "74.5697621",
        "organizations": [{"id": organization.pk, "name": "ignored"}],
        "violation_types": [violation.pk, violation.pk],
        "original_language": None,  # the default
    }

    response = post(editor_token_client, body)

    assert response.status_code == 201, response.content
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.slug == "journalist-detained-in-osh"
    assert incident.narrative == ""
    assert incident.ended_on is None
    assert incident.status.slug == VALID["status"]
    assert (incident.latitude, incident.longitude) == (Decimal("42.874621"), Decimal("74.569762"))
    assert list(incident.organizations.all()) == [organization]
    assert list(incident.violation_types.all()) == [violation]
    assert incident.original_language == "en"


def test_patch_is_read_over_the_stored_values(editor_token_client):
    draft = IncidentFactory(
        occurred_on=datetime.date(2024, 3, 2),
        date_precision=Incident.DatePrecision.MONTH,
        region="Chui",
        latitude=Decimal("42.1"),
        longitude=Decimal("74.5"),
    )
    before = every_case()

    # Checked against the stored date and coordinates, which the body leaves alone.
    assert errors(patch(editor_token_client, draft, {"ended_on": "2024-03-01"})) == {
        "ended_on": ["The end date cannot be before the date it happened."]
    }
    assert errors(patch(editor_token_client, draft, {"longitude": None})) == {
        "longitude": ["Give the longitude too, or leave both coordinates empty."]
    }
    assert every_case() == before

    response = patch(editor_token_client, draft, {"ended_on": "2024-03-05", "region": None})
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.ended_on == datetime.date(2024, 3, 5)
    assert draft.region == ""
    assert draft.date_precision == Incident.DatePrecision.MONTH
    assert draft.latitude == Decimal("42.1")


def test_put_leaves_out_as_empty_or_the_default(editor_token_client):
    organization = OrganizationFactory()
    draft = IncidentFactory(
        organizations=[organization],
        region="Chui",
        date_precision=Incident.DatePrecision.YEAR,
        original_language="fr",
        ended_on=datetime.date(2024, 1, 1),
    )

    response = put(editor_token_client, draft, VALID)

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.region == ""
    assert draft.ended_on is None
    assert list(draft.organizations.all()) == []
    assert draft.date_precision == Incident.DatePrecision.DAY
    assert draft.original_language == "en"


def test_the_original_language_cannot_become_a_translations(editor_token_client, editor):
    draft = IncidentFactory(original_language="fr")
    IncidentTranslation.objects.create(incident=draft, language="ru", title="T", summary="S")
    before = every_case()

    response = patch(editor_token_client, draft, {"original_language": "ru"})

    assert errors(response) == {
        "original_language": [
            "This case has a translation into that language. Delete the translation first, "
            "or keep the original language."
        ]
    }
    assert every_case() == before
    # Null (empty) keeps it, as the staff form does when it is left out.
    assert patch(editor_token_client, draft, {"original_language": None}).status_code == 200
    draft.refresh_from_db()
    assert draft.original_language == "fr"
