"""A case filed twice: the editor sees the possible duplicates before anything is saved."""

import datetime

import pytest
from django.urls import reverse

from incidents.models import Incident

from ..factories import IncidentFactory
from .test_staff_views import form_post

pytestmark = pytest.mark.django_db

BISHKEK = "Réunion de la Coalition contre la torture perturbée à Bichkek"


@pytest.fixture
def filed():
    return IncidentFactory(
        title=BISHKEK,
        summary="Des jeunes ont interrompu la réunion de la Coalition.",
        country="KG",
        occurred_on=datetime.date(2019, 5, 23),
    )


def refiling(**overrides):
    values = {
        "title": "Reunion de la coalition contre la torture perturbee a Bishkek",
        "summary": "Un groupe de jeunes a interrompu une réunion de la Coalition.",
        "country": "KG",
        "occurred_on": "2019-05-24",
    }
    return form_post(**{**values, **overrides})


def test_refiling_an_event_shows_the_filed_case_and_saves_nothing(editor_client, filed):
    response = editor_client.post(reverse("incidents:create"), refiling())

    assert response.status_code == 200
    assert response.context["duplicates"] == [filed]
    assert "This case may already be filed" in response.text
    assert filed.get_staff_url() in response.text
    assert 'name="duplicates_seen" value="1"' in response.text
    assert Incident.objects.count() == 1


def test_the_editor_who_has_seen_the_list_may_go_on(editor_client, filed):
    response = editor_client.post(
        reverse("incidents:create"), {**refiling(), "duplicates_seen": "1"}
    )

    assert response.status_code == 302
    assert Incident.objects.count() == 2


@pytest.mark.parametrize(
    "overrides",
    [
        {"country": "KZ"},
        {"occurred_on": "2019-08-01"},
        {"title": "Journalist detained at the airport", "summary": "Held for nine hours."},
    ],
    ids=["other country", "more than 60 days later", "another event"],
)
def test_other_events_are_saved_at_once(editor_client, filed, overrides):
    response = editor_client.post(reverse("incidents:create"), refiling(**overrides))

    assert response.status_code == 302
    assert Incident.objects.count() == 2


def test_editing_a_case_does_not_ask_about_duplicates(editor_client, filed):
    twin = IncidentFactory(title=BISHKEK, country="KG", occurred_on=filed.occurred_on)
    data = refiling(title=BISHKEK, slug=twin.slug, occurred_on="2019-05-23")

    response = editor_client.post(reverse("incidents:edit", kwargs={"pk": twin.pk}), data)

    assert response.status_code == 302
