"""The demo loader: staff logins, two published cases and one draft, safe to rerun."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from appeals.models import Appeal
from incidents.management.commands.load_demo import BISHKEK_SLUG, DRAFT_SLUG, KAZAKHSTAN_SLUG
from incidents.models import (
    FacetCount,
    Figure,
    FigureTranslation,
    Incident,
    IncidentPerpetrator,
    IncidentTranslation,
    PublicationEvent,
    Source,
    Update,
    UpdateTranslation,
)
from organizations.models import (
    Organization,
    OrganizationTranslation,
    PerpetratorGroup,
    PerpetratorGroupTranslation,
)

pytestmark = pytest.mark.django_db

COUNTED = [
    User,
    Incident,
    Incident.history.model,
    Organization,
    Organization.history.model,
    PerpetratorGroup,
    PerpetratorGroup.history.model,
    IncidentPerpetrator,
    Source,
    Figure,
    Update,
    PublicationEvent,
    Incident.violation_types.through,
    Incident.organizations.through,
    User.groups.through,
    IncidentTranslation,
    IncidentTranslation.history.model,
    UpdateTranslation,
    FigureTranslation,
    OrganizationTranslation,
    PerpetratorGroupTranslation,
]


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED}


def test_running_twice_changes_nothing():
    load_demo()
    counts = row_counts()
    updated = dict(Incident.objects.values_list("slug", "updated_at"))
    password = User.objects.get(username="demo-editor").password

    load_demo()

    assert row_counts() == counts
    assert dict(Incident.objects.values_list("slug", "updated_at")) == updated
    assert User.objects.get(username="demo-editor").password == password


def test_loads_two_published_cases_and_one_draft():
    output = load_demo()

    published = set(Incident.objects.published().values_list("slug", flat=True))
    assert published == {BISHKEK_SLUG, KAZAKHSTAN_SLUG}
    assert Incident.objects.get(slug=DRAFT_SLUG).publication_state == Incident.State.DRAFT
    assert "2 published cases, 1 draft" in output
    assert "http://127.0.0.1:8000/en/accounts/login/" in output


def test_bishkek_case_is_reachable_at_its_slug(client):
    load_demo()

    response = client.get(Incident.objects.get(slug=BISHKEK_SLUG).get_absolute_url())

    assert response.status_code == 200
    assert "About <bdi>Coalition Against Torture</bdi>" in response.text
    assert "Kyrgyzstan Patriotic Youth Movement" in response.text
    assert "Кыргызстандын патриот жаштар кыймылы" in response.text
    assert 'id="urgent-appeal"' in response.text


def test_demo_draft_never_reaches_the_public_site(client):
    load_demo()
    draft = Incident.objects.get(slug=DRAFT_SLUG)
    draft_only_group = draft.perpetrator_groups.get()

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft_only_group.get_absolute_url()).status_code == 404
    assert draft.title not in client.get("/en/cases/").text


def test_publication_is_recorded_with_the_demo_reviewer_as_actor():
    load_demo()

    event = PublicationEvent.objects.get(
        incident__slug=BISHKEK_SLUG, action=PublicationEvent.Action.PUBLISHED
    )
    assert event.actor.username == "demo-reviewer"
    assert event.to_state == Incident.State.PUBLISHED
    assert not PublicationEvent.objects.filter(
        incident__slug=DRAFT_SLUG, action=PublicationEvent.Action.PUBLISHED
    ).exists()


def test_demo_users_get_their_roles_and_the_given_password():
    output = load_demo("--password", "another-demo-secret")

    for username, role in [
        ("demo-editor", "editor"),
        ("demo-reviewer", "reviewer"),
        ("demo-researcher", "researcher"),
    ]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.check_password("another-demo-secret")
    assert User.objects.get(username="demo-admin").is_superuser
    assert "demo-researcher" in output


def test_password_comes_from_demo_password_when_no_option(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment")

    load_demo()

    assert User.objects.get(username="demo-reviewer").check_password("from-the-environment")


def test_kazakhstan_figures_keep_who_gives_each_count():
    load_demo()

    figures = Figure.objects.filter(incident__slug=KAZAKHSTAN_SLUG)
    arrested = figures.get(counted=Figure.Counted.ARRESTED)
    killed = figures.get(counted=Figure.Counted.KILLED)
    assert (arrested.value, arrested.qualifier) == (2000, Figure.Qualifier.AT_LEAST)
    assert arrested.according_to == "the Ministry of Interior"
    assert (killed.value, killed.label) == (12, "members of the security forces")


@pytest.mark.parametrize(
    ("language", "title", "heading"),
    [
        ("fr", "Réunion de la Coalition contre la torture", "À propos de la situation"),
        ("ru", "Коалиции против пыток", "О ситуации"),
    ],
)
def test_the_bishkek_case_reads_fully_in_french_and_russian(client, language, title, heading):
    load_demo()

    text = client.get(f"/{language}/cases/{BISHKEK_SLUG}/").text

    assert title in text and heading in text
    # Every text of the case is in the reader's language: nothing falls back to English.
    assert "original-language" not in text and "translation-notice" not in text
    words = re.sub(r"<[^>]+>", " ", text.split("<main")[1].split("</main>")[0])
    for english in ("disrupted", "Coalition Against Torture", "Patriotic Youth", "complaint"):
        assert english not in words, english


def test_the_demo_cases_keep_their_historic_dates():
    load_demo()

    bishkek = Incident.objects.get(slug=BISHKEK_SLUG)
    published = datetime.datetime(2019, 5, 24, 12, tzinfo=datetime.UTC)
    assert bishkek.published_at == published
    assert bishkek.created_at == published - datetime.timedelta(hours=4)
    assert bishkek.events.get(action=PublicationEvent.Action.PUBLISHED).at == published
    appeal = Appeal.objects.get(incident=bishkek, publication_state=Appeal.State.PUBLISHED)
    assert appeal.reference == "KGZ 001 / 0519"
    assert appeal.published_at == datetime.datetime(2019, 5, 27, 9, tzinfo=datetime.UTC)


def test_the_demo_cases_are_counted_and_searchable_as_any_saved_case(client):
    load_demo()

    counted = FacetCount.objects.get(
        country="KG", status__slug="harassment-and-intimidation", year=2019
    )
    assert counted.count == 1
    # A word of the French translation only: found through the case's search vector.
    found = client.get("/fr/cases/", {"q": "Bichkek"}).text
    assert "Réunion de la Coalition contre la torture" in found
    assert "Arrestations massives" in client.get("/fr/cases/").text
    assert "Arrestations massives" not in found
