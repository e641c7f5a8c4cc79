"""Change history pages: each version of a case or an appeal, and what changed in it."""

import pytest
from django.urls import reverse

from appeals.models import AppealText
from casefile.audit.history import text_diff
from casefile.audit.models import AuditEvent
from incidents.models import Status

from ...appeals.test_forms import text_data
from ...factories import AppealFactory, IncidentFactory
from ...incidents.test_staff_views import form_post

pytestmark = pytest.mark.django_db


def history_url(incident):
    return reverse("incidents:history", args=[incident.pk])


def edit_case(client, incident, **changes):
    data = form_post(slug=incident.slug, **changes)
    response = client.post(reverse("incidents:edit", args=[incident.pk]), data)
    assert response.status_code == 302, response.context and response.context["error_summary"]


def test_the_history_shows_who_changed_what_with_a_word_diff(editor_client, editor):
    incident = IncidentFactory(
        title="Seminar broken up in Osh",
        summary="Men in plain clothes stopped a seminar.",
        place="Osh",
    )
    detained = Status.objects.exclude(pk=incident.status_id).first()
    edit_case(
        editor_client,
        incident,
        summary="Men in police uniform stopped a seminar.",
        status=str(detained.pk),
    )

    response = editor_client.get(history_url(incident))

    assert response.status_code == 200
    latest = response.context["versions"][0]
    assert (latest.kind, latest.who) == ("changed", editor.username)
    changes = {change.label: change for change in latest.changes}
    # Labels, not column names; the word that changed, not the whole text.
    summary = changes["About the situation"]
    assert ("delete", "plain clothes") in summary.segments
    assert ("insert", "police uniform") in summary.segments
    # A related record by its name, not its id.
    assert (changes["Current status"].old, changes["Current status"].new) == (
        incident.status.name,
        detained.name,
    )
    assert "Title" not in changes  # unchanged fields are not listed
    html = response.text
    # Marked for screen readers too, not by colour and strike-through alone.
    assert '[removed: </span>plain clothes<span class="visually-hidden">]</span></del>' in html
    assert '[added: </span>police uniform<span class="visually-hidden">]</span></ins>' in html
    assert "UTC" in html


def test_the_case_page_links_to_its_history(researcher_client):
    incident = IncidentFactory()

    response = researcher_client.get(incident.get_staff_url())

    assert history_url(incident) in response.text


def test_the_history_of_a_draft_is_404_without_a_role(client, outsider):
    client.force_login(outsider)
    incident = IncidentFactory()

    assert client.get(history_url(incident)).status_code == 404


def test_reading_the_history_of_a_draft_is_audited(researcher_client, researcher):
    incident = IncidentFactory()

    researcher_client.get(history_url(incident))

    event = AuditEvent.objects.get(action=AuditEvent.Action.READ_UNPUBLISHED)
    assert (event.actor, event.object_id, event.detail) == (
        researcher,
        str(incident.pk),
        {"view": "incidents:history"},
    )


def test_the_first_version_lists_what_the_case_was_created_with(researcher_client):
    incident = IncidentFactory(title="Seminar broken up in Osh")

    versions = researcher_client.get(history_url(incident)).context["versions"]

    assert [version.kind for version in versions] == ["created"]
    titles = [change for change in versions[0].changes if change.label == "Title"]
    assert [(t.old, t.new) for t in titles] == [("", "Seminar broken up in Osh")]


def test_the_history_pages_compare_across_the_page_boundary(editor_client):
    incident = IncidentFactory(title="Version 0")
    for number in range(1, 22):  # 22 versions: a full page of 20, then 2
        edit_case(editor_client, incident, title=f"Version {number}")

    first = editor_client.get(history_url(incident)).context
    second = editor_client.get(history_url(incident), {"page": 2}).context

    assert len(first["versions"]) == 20
    oldest_on_first = first["versions"][-1]
    title = next(c for c in oldest_on_first.changes if c.label == "Title")
    assert (title.old, title.new) == ("Version 1", "Version 2")
    assert [version.kind for version in second["versions"]] == ["changed", "created"]


def test_appeal_text_history_has_its_own_track(reviewer_client):
    appeal = AppealFactory(original_language="en", text={"language": "en", **text_data()})
    response = reviewer_client.post(
        reverse("appeals:text", args=[appeal.pk, "en"]),
        text_data(actions_requested="Guarantee their safety\nRelease Ms Ivanova"),
    )
    assert response.status_code == 302

    url = reverse("appeals:history", args=[appeal.pk])
    page = reviewer_client.get(url, {"track": "text-en"})

    assert page.status_code == 200
    assert [track.key for track in page.context["tracks"]] == ["appeal", "text-en"]
    change = next(c for c in page.context["versions"][0].changes if c.label == "Actions requested")
    assert ("equal", "Guarantee their safety\n") in change.segments
    assert ("delete", "Investigate the attack") in change.segments
    assert ("insert", "Release Ms Ivanova") in change.segments
    assert url in reviewer_client.get(reverse("appeals:staff_detail", args=[appeal.pk])).text
    assert AppealText.history.filter(appeal_id=appeal.pk).count() == 2


def test_an_unknown_track_shows_the_record_itself(reviewer_client):
    appeal = AppealFactory()

    page = reviewer_client.get(reverse("appeals:history", args=[appeal.pk]), {"track": "nope"})

    assert page.context["track"].key == "appeal"


def test_the_history_escapes_what_was_typed(editor_client):
    incident = IncidentFactory(summary="Plain words.")
    edit_case(editor_client, incident, summary="<script>alert(1)</script> words.")

    html = editor_client.get(history_url(incident)).text

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_text_diff_keeps_unchanged_lines_whole_and_marks_changed_words():
    old = "First line stays.\nThe meeting was in Osh.\nLast line."
    new = "First line stays.\nThe meeting was in Bishkek.\nLast line.\nAdded."

    segments = text_diff(old, new)

    assert segments[:3] == [
        ("equal", "First line stays.\nThe meeting was in "),
        ("delete", "Osh."),
        ("insert", "Bishkek."),
    ]
    # Nothing is lost: the old text without insertions, the new one without deletions.
    assert "".join(text for op, text in segments if op != "insert") == old
    assert "".join(text for op, text in segments if op != "delete") == new


def test_a_huge_rewrite_is_shown_replaced_whole():
    old, new = " ".join(["old"] * 3000), " ".join(["new"] * 3000)

    assert text_diff(old, new) == [("delete", old), ("insert", new)]
