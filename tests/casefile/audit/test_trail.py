"""What goes on the audit trail: each recorded action writes exactly the row expected, with
who, what, which object and from where, and never the words of the record."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.urls import reverse

from appeals.models import Appeal, AppealVersion
from casefile.audit.models import AuditEvent, AuditTrailIsAppendOnly
from casefile.audit.services import audit_record
from incidents import exports
from incidents.models import Incident, Source

from ...api.conftest import token_client
from ...factories import (
    AppealFactory,
    IncidentFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    SourceFactory,
    UserFactory,
)
from ...incidents.test_staff_views import form_post

pytestmark = pytest.mark.django_db

CANARY = "CANARY-7f3a-do-not-log"
# Behind one trusted proxy: the client is the address the proxy appended, not the claim
# the client itself put first.
PROXIED = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7"}


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = 1


# What this part of the trail records (accounts/ records logins and tokens on its own).
OURS = [
    AuditEvent.Action.PUBLISHED,
    AuditEvent.Action.WITHDRAWN,
    AuditEvent.Action.DELETED,
    AuditEvent.Action.EXPORTED,
    AuditEvent.Action.READ_UNPUBLISHED,
]


def recorded():
    return AuditEvent.objects.filter(action__in=OURS)


def the_event(**filters) -> AuditEvent:
    events = list(AuditEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


def assert_no_contents_anywhere(*secrets: str) -> None:
    dumped = json.dumps(list(AuditEvent.objects.values()), default=str)
    for secret in secrets:
        assert secret not in dumped


# Publish and withdraw.


def test_publishing_a_case_records_who_which_case_and_from_where(
    reviewer_client, reviewer, behind_proxy
):
    incident = IncidentFactory(in_review=True, title=CANARY, summary=CANARY)

    reviewer_client.post(
        reverse("incidents:transition", args=[incident.pk, "publish"]),
        {"publish-note": CANARY},
        **PROXIED,
    )

    event = the_event(action=AuditEvent.Action.PUBLISHED)
    assert (event.actor, event.actor_username) == (reviewer, reviewer.username)
    assert (event.object_type, event.object_id) == ("incidents.incident", str(incident.pk))
    assert event.client_address == "198.51.100.7"
    assert event.detail == {"from_state": "in_review"}
    assert_no_contents_anywhere(CANARY)


def test_withdrawing_a_case_is_recorded(reviewer_client, reviewer):
    incident = IncidentFactory(published=True)

    reviewer_client.post(
        reverse("incidents:transition", args=[incident.pk, "withdraw"]), {"withdraw-note": "x"}
    )

    event = the_event(action=AuditEvent.Action.WITHDRAWN)
    assert (event.actor, event.object_id, event.client_address) == (
        reviewer,
        str(incident.pk),
        "127.0.0.1",
    )


def test_submitting_or_sending_back_is_not_an_audit_event(editor_client, reviewer_client):
    draft = IncidentFactory()
    editor_client.post(reverse("incidents:transition", args=[draft.pk, "submit"]))

    assert not recorded().exclude(action=AuditEvent.Action.READ_UNPUBLISHED).exists()


def test_refused_publication_records_nothing(editor_client):
    incident = IncidentFactory(in_review=True)

    response = editor_client.post(reverse("incidents:transition", args=[incident.pk, "publish"]))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PUBLISHED).exists()


def test_publishing_and_withdrawing_an_appeal_are_recorded(reviewer_client, reviewer):
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW, text={"title": CANARY})

    reviewer_client.post(reverse("appeals:transition", args=[appeal.pk, "publish"]))
    reviewer_client.post(reverse("appeals:transition", args=[appeal.pk, "withdraw"]))

    published = the_event(action=AuditEvent.Action.PUBLISHED)
    withdrawn = the_event(action=AuditEvent.Action.WITHDRAWN)
    for event in (published, withdrawn):
        assert (event.actor, event.object_type, event.object_id) == (
            reviewer,
            "appeals.appeal",
            str(appeal.pk),
        )
    assert published.detail == {"from_state": "in_review"}
    assert withdrawn.detail == {"from_state": "published"}
    assert_no_contents_anywhere(CANARY)


def test_the_event_is_rolled_back_with_the_publication():
    incident = IncidentFactory(in_review=True)
    reviewer = UserFactory(roles=["reviewer"])
    from incidents.services import incident_publish

    with pytest.raises(RuntimeError), transaction.atomic():
        incident_publish(actor=reviewer, incident=incident)
        raise RuntimeError

    assert not recorded().exists()


# Deletions.


def test_removing_a_source_on_the_case_form_records_its_deletion(editor_client, editor):
    incident = IncidentFactory(title="Old title")
    source = SourceFactory(incident=incident, title=CANARY)
    data = form_post(
        title="New title",
        slug=incident.slug,
        rows={
            "sources": [
                {
                    "id": str(source.pk),
                    "kind": source.kind,
                    "title": source.title,
                    "reliability": source.reliability,
                    "DELETE": "on",
                }
            ]
        },
        initial={"sources": 1},
    )

    response = editor_client.post(reverse("incidents:edit", args=[incident.pk]), data)

    assert response.status_code == 302
    event = the_event(action=AuditEvent.Action.DELETED)
    assert (event.actor, event.object_type, event.object_id) == (
        editor,
        "incidents.source",
        str(source.pk),
    )
    assert event.client_address == "127.0.0.1"
    assert event.detail == {"incident": incident.pk}
    assert_no_contents_anywhere(CANARY)


@pytest.mark.parametrize(
    "make",
    [
        lambda: IncidentFactory(),
        lambda: OrganizationFactory(),
        lambda: PerpetratorGroupFactory(),
        lambda: AppealFactory(),
    ],
    ids=["incident", "organization", "perpetrator group", "appeal"],
)
def test_deleting_a_record_anywhere_is_recorded_by_type_and_id(make):
    record = make()
    label, pk = record._meta.label_lower, str(record.pk)

    record.delete()

    event = the_event(action=AuditEvent.Action.DELETED, object_type=label)
    assert event.object_id == pk
    # Outside a request: no user and no address, but the deletion is still there.
    assert (event.actor, event.client_address) == (None, None)


def test_deleting_an_appeal_version_is_recorded():
    appeal = AppealFactory()
    version = AppealVersion.objects.create(
        appeal=appeal, language="fr", number=1, content_hash="x", file_name="x.pdf"
    )

    pk = version.pk

    version.delete()

    event = the_event(action=AuditEvent.Action.DELETED, object_type="appeals.appealversion")
    assert (event.object_id, event.detail) == (str(pk), {"appeal": appeal.pk})


def test_a_case_deleted_in_the_admin_records_it_and_each_row_it_took_along(client):
    admin = UserFactory(username="ada.admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    incident = IncidentFactory(title=CANARY)
    sources = SourceFactory.create_batch(2, incident=incident)

    response = client.post(
        reverse("admin:incidents_incident_delete", args=[incident.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Incident.objects.filter(pk=incident.pk).exists()
    case = the_event(action=AuditEvent.Action.DELETED, object_type="incidents.incident")
    assert (case.actor, case.object_id) == (admin, str(incident.pk))
    rows = AuditEvent.objects.filter(object_type="incidents.source").order_by("object_id")
    assert [row.object_id for row in rows] == sorted(str(s.pk) for s in sources)
    assert {row.detail["cascade_from"] for row in rows} == {f"incidents.incident:{incident.pk}"}
    assert all(row.actor == admin for row in rows)
    assert_no_contents_anywhere(CANARY)


# Exports.


def rows_of_csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_anonymous_csv_export_records_address_format_filter_and_row_count(client, behind_proxy):
    IncidentFactory.create_batch(3, published=True, country="KG", title=CANARY)
    IncidentFactory(published=True, country="KZ")
    IncidentFactory(country="KG")  # a draft: never exported to the public

    response = client.get(reverse("incidents:export_csv") + "?country=KG", **PROXIED)
    rows = rows_of_csv(response)

    assert len(rows) == 3
    event = the_event(action=AuditEvent.Action.EXPORTED)
    assert (event.actor, event.actor_username) == (None, "")
    assert event.client_address == "198.51.100.7"
    assert event.object_type == "incidents.incident"
    assert event.detail == {
        "format": "csv",
        "via": "page",
        "filter": "country=KG",
        "rows": 3,
        "unpublished_rows": 0,
        "complete": True,
    }
    assert_no_contents_anywhere(CANARY)


def test_staff_api_json_export_records_the_user_and_unpublished_rows(researcher):
    IncidentFactory(published=True, country="KG")
    IncidentFactory(country="KG", title=CANARY)

    response = token_client(researcher).get("/api/v1/incidents/export.json?country=KG")
    rows = json.loads(b"".join(response.streaming_content))["incidents"]

    assert len(rows) == 2
    event = the_event(action=AuditEvent.Action.EXPORTED)
    assert event.actor == researcher
    assert event.detail["format"] == "json"
    assert event.detail["via"] == "api"
    assert event.detail["filter"] == "country=KG"
    assert (event.detail["rows"], event.detail["unpublished_rows"]) == (2, 1)
    assert event.detail["complete"] is True
    assert_no_contents_anywhere(CANARY)


def test_nothing_is_recorded_before_the_stream_is_read(client):
    IncidentFactory(published=True)

    client.get(reverse("incidents:export_csv"))

    assert not recorded().exists()


def test_a_cut_stream_records_what_was_sent_as_incomplete(rf, monkeypatch):
    IncidentFactory.create_batch(5, published=True)
    monkeypatch.setattr(exports, "CHUNK", 1)  # one row a chunk
    request = rf.get("/en/cases/export.csv?country=KG")
    request.user = AnonymousUser()

    response = exports.csv_response(Incident.objects.published(), request=request, via="page")
    chunks = iter(response.streaming_content)
    for _ in range(4):  # the byte order mark, the header, two rows
        next(chunks)
    # What the web server does when the client hangs up (without the end-of-request signal,
    # which would close the test's database connection).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    event = the_event(action=AuditEvent.Action.EXPORTED)
    assert (event.detail["rows"], event.detail["complete"]) == (2, False)
    assert event.detail["filter"] == "country=KG"


def test_the_recorded_filter_is_capped(client):
    IncidentFactory(published=True)
    query = "q=" + "a" * 150 + "&" + "&".join("country=KG" for _ in range(200))

    rows_of_csv(client.get(reverse("incidents:export_csv") + "?" + query))

    assert len(the_event(action=AuditEvent.Action.EXPORTED).detail["filter"]) == 500


def test_a_refused_export_records_nothing(client):
    response = client.get(reverse("incidents:export_csv") + "?year=nope")

    assert response.status_code == 400
    assert not recorded().exists()


# Staff reads of unpublished material.


@pytest.mark.parametrize("page", ["incidents:staff_detail", "incidents:edit"])
def test_staff_reading_a_draft_case_is_recorded(editor_client, editor, page):
    incident = IncidentFactory(title=CANARY)

    response = editor_client.get(reverse(page, args=[incident.pk]))

    assert response.status_code == 200
    event = the_event(action=AuditEvent.Action.READ_UNPUBLISHED)
    assert (event.actor, event.object_type, event.object_id) == (
        editor,
        "incidents.incident",
        str(incident.pk),
    )
    assert event.detail == {"view": page}
    assert_no_contents_anywhere(CANARY)


def test_staff_reading_a_published_case_is_not_recorded(researcher_client):
    incident = IncidentFactory(published=True)

    response = researcher_client.get(reverse("incidents:staff_detail", args=[incident.pk]))

    assert response.status_code == 200

    assert not recorded().exists()


def test_a_case_under_embargo_counts_as_unpublished(researcher_client):
    import datetime

    from django.utils import timezone

    incident = IncidentFactory(
        publication_state=Incident.State.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )

    researcher_client.get(reverse("incidents:staff_detail", args=[incident.pk]))

    assert the_event(action=AuditEvent.Action.READ_UNPUBLISHED).object_id == str(incident.pk)


def test_a_refused_read_records_nothing(client, outsider):
    client.force_login(outsider)
    incident = IncidentFactory()

    assert client.get(reverse("incidents:staff_detail", args=[incident.pk])).status_code == 404

    assert not recorded().exists()


@pytest.mark.parametrize("page", ["appeals:staff_detail", "appeals:edit"])
def test_staff_reading_a_draft_appeal_is_recorded(reviewer_client, reviewer, page):
    appeal = AppealFactory(text={"title": CANARY})

    assert reviewer_client.get(reverse(page, args=[appeal.pk])).status_code == 200

    event = the_event(action=AuditEvent.Action.READ_UNPUBLISHED)
    assert (event.actor, event.object_type, event.object_id, event.detail) == (
        reviewer,
        "appeals.appeal",
        str(appeal.pk),
        {"view": page},
    )
    assert_no_contents_anywhere(CANARY)


def test_previewing_a_draft_appeal_is_recorded(researcher_client):
    appeal = AppealFactory()

    response = researcher_client.get(reverse("appeals:staff_preview", args=[appeal.pk, "fr"]))

    assert response.status_code == 200
    assert the_event(action=AuditEvent.Action.READ_UNPUBLISHED).detail == {
        "view": "appeals:staff_preview"
    }


def test_a_published_appeal_of_a_draft_case_counts_as_unpublished(researcher_client):
    appeal = AppealFactory(published=True, incident=IncidentFactory())

    researcher_client.get(reverse("appeals:staff_detail", args=[appeal.pk]))

    assert the_event(action=AuditEvent.Action.READ_UNPUBLISHED).object_id == str(appeal.pk)


def test_staff_reading_a_public_appeal_or_polling_render_status_is_not_recorded(
    researcher_client,
):
    public = AppealFactory(published=True)
    draft = AppealFactory()

    researcher_client.get(reverse("appeals:staff_detail", args=[public.pk]))
    researcher_client.get(reverse("appeals:render_status", args=[draft.pk]))

    assert not recorded().exists()


def test_api_detail_of_a_draft_case_and_appeal_is_recorded(researcher):
    incident = IncidentFactory(title=CANARY)
    appeal = AppealFactory(incident=incident)
    api = token_client(researcher)

    assert api.get(f"/api/v1/incidents/{incident.pk}/").status_code == 200
    assert api.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 200

    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ_UNPUBLISHED)
    assert sorted((e.object_type, e.object_id, e.actor_id) for e in reads) == [
        ("appeals.appeal", str(appeal.pk), researcher.pk),
        ("incidents.incident", str(incident.pk), researcher.pk),
    ]
    assert_no_contents_anywhere(CANARY)


def test_api_detail_of_a_public_case_is_not_recorded(researcher, client):
    incident = IncidentFactory(published=True)

    token_client(researcher).get(f"/api/v1/incidents/{incident.pk}/")
    client.get(f"/api/v1/incidents/{incident.pk}/")

    assert not recorded().filter(action=AuditEvent.Action.READ_UNPUBLISHED).exists()


# The public site writes nothing.


def test_anonymous_public_pages_write_no_audit_rows(client):
    incident = IncidentFactory(published=True)
    appeal = AppealFactory(published=True, incident=incident)

    for url in (
        reverse("incidents:home"),
        reverse("incidents:list"),
        incident.get_absolute_url(),
        reverse("incidents:statistics"),
        appeal.get_public_url(),
        "/api/v1/incidents/",
        f"/api/v1/incidents/{incident.pk}/",
        f"/api/v1/appeals/{appeal.pk}/",
    ):
        assert client.get(url).status_code == 200, url

    assert not AuditEvent.objects.exists()


# The trail cannot be changed.


def test_an_event_cannot_be_changed_or_deleted_through_the_model():
    event = audit_record(action=AuditEvent.Action.EXPORTED, username="someone")

    event.action = AuditEvent.Action.DELETED
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="deleted")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.get().action == AuditEvent.Action.EXPORTED


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET actor_username = 'someone else'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_raw_changes(statement):
    from django.db import DatabaseError

    audit_record(action=AuditEvent.Action.EXPORTED, username="someone")

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert AuditEvent.objects.get().actor_username == "someone"


def test_the_admin_offers_no_way_to_change_the_trail(client):
    admin = UserFactory(username="ada.admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    event = audit_record(action=AuditEvent.Action.EXPORTED, username="someone")

    change = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"actor_username": "x"}
    )
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "y"})

    assert change.status_code == 403
    assert delete.status_code == 403
    assert AuditEvent.objects.get().actor_username == "someone"


def test_source_model_is_deleted_once_per_row():
    # Guards the receiver's dispatch_uid: connecting twice would record each row twice.
    source = SourceFactory()

    Source.objects.filter(pk=source.pk).delete()

    assert AuditEvent.objects.filter(object_type="incidents.source").count() == 1
