"""The reviewers' audit trail screen: who may read it, its filters and its pages."""

import datetime

import pytest
from django.urls import reverse

from casefile.audit.models import AuditEvent

from ...factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("audit:trail")


def event(**fields) -> AuditEvent:
    fields.setdefault("action", AuditEvent.Action.EXPORTED)
    if actor := fields.get("actor"):
        fields.setdefault("actor_username", actor.username)
    return AuditEvent.objects.create(**fields)


def shown_ids(response) -> list[int]:
    return [row["event"].pk for row in response.context["rows"]]


def test_reviewer_reads_the_trail_newest_first_in_utc(reviewer_client, reviewer):
    older = event(
        actor_username="someone",
        occurred_at=datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC),
    )
    newer = event(actor=reviewer, object_type="incidents.incident", object_id="7")

    response = reviewer_client.get(URL)

    assert response.status_code == 200
    shown = shown_ids(response)
    assert shown.index(newer.pk) < shown.index(older.pk)
    html = response.text
    assert "Time (UTC)" in html
    assert "2026-03-01 09:30:00" in html
    assert "<caption" in html and '<th scope="col">' in html
    assert response["Cache-Control"].count("no-store") == 1


def test_superuser_reads_the_trail(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["editor_client", "researcher_client"])
def test_editors_and_researchers_are_refused(request, persona):
    client = request.getfixturevalue(persona)

    assert client.get(URL).status_code == 403


def test_logged_in_users_without_a_role_are_refused(client, outsider):
    client.force_login(outsider)

    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_screen_changes_nothing(reviewer_client):
    event(actor_username="someone")

    assert reviewer_client.post(URL, {"action": "deleted"}).status_code == 405
    assert AuditEvent.objects.filter(actor_username="someone").count() == 1


def test_dashboard_links_reviewers_to_the_trail(reviewer_client, client, editor):
    assert URL in reviewer_client.get(reverse("incidents:dashboard")).text
    client.force_login(editor)
    assert URL not in client.get(reverse("incidents:dashboard")).text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "published"}, {"published"}),
        ({"actor": "ELENA.editor"}, {"exported by elena"}),
        ({"object_type": "appeals.appeal"}, {"published"}),
        ({"object_type": "incidents.incident", "object_id": "8"}, {"deleted 8"}),
        ({"client_address": "198.51.100.7"}, {"deleted 8"}),
        ({"occurred_after": "2026-02-01"}, {"published", "deleted 8", "exported by elena"}),
        ({"occurred_before": "2026-01-31"}, {"old read"}),
        ({"occurred_after": "2026-01-31", "occurred_before": "2026-01-31"}, {"old read"}),
    ],
)
def test_filters(reviewer_client, editor, query, expected):
    now = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    names = {
        event(
            action="published",
            actor_username="r",
            object_type="appeals.appeal",
            object_id="1",
            occurred_at=now,
        ).pk: "published",
        event(actor=editor, occurred_at=now).pk: "exported by elena",
        event(
            action="deleted",
            actor_username="r",
            object_type="incidents.incident",
            object_id="8",
            client_address="198.51.100.7",
            occurred_at=now,
        ).pk: "deleted 8",
        event(
            action="read_unpublished",
            actor_username="r",
            object_type="incidents.incident",
            object_id="9",
            occurred_at=datetime.datetime(2026, 1, 31, 23, 59, 59, tzinfo=datetime.UTC),
        ).pk: "old read",
    }

    response = reviewer_client.get(URL, query)

    assert {names[pk] for pk in shown_ids(response)} == expected


def test_a_bad_filter_value_shows_its_error_and_no_rows(reviewer_client):
    event(actor_username="someone")

    response = reviewer_client.get(URL, {"client_address": "not-an-address"})

    assert response.status_code == 200
    assert shown_ids(response) == []
    assert "Correct the filter" in response.text
    assert 'aria-invalid="true"' in response.text


def test_pages_walk_every_event_once(reviewer_client):
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    # Pairs of events at the same instant: the id breaks the tie across the page boundary.
    made = [
        event(actor_username="u", occurred_at=start + datetime.timedelta(seconds=n // 2)).pk
        for n in range(121)
    ]
    event(actor_username="someone else")

    seen, query, pages = [], "actor=u", 0
    while query is not None:
        response = reviewer_client.get(f"{URL}?{query}")
        seen += shown_ids(response)
        pages += 1
        query = response.context["older_query"] or None

    assert pages == 3
    assert seen == sorted(made, key=lambda pk: (made.index(pk) // 2, pk), reverse=True)


def test_a_bad_cursor_gives_the_first_page(reviewer_client):
    first = event(actor_username="u")

    response = reviewer_client.get(URL, {"before": "yesterday~x"})

    assert shown_ids(response)[0] == first.pk
