"""The appeal workflow as staff walk it: what each role's click does, and what it must not.

The role rules themselves are in test_roles.py; here their effect is seen where it
matters: the appeal's state, its reference, the public site and the render queue. The
services decide on the row as it stands in the database, locked, never on the copy the
caller loaded, so a click on a page that is out of date cannot act on the old state.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from appeals.models import Appeal, AppealEvent, RenderJob
from appeals.services import appeal_publish, appeal_send_back, appeal_submit, appeal_withdraw
from casefile import workflow
from incidents.models import Incident, PublicationEvent
from incidents.services import incident_publish, incident_send_back, incident_withdraw

from ..factories import AppealFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db

D, R, P, W = (
    Appeal.State.DRAFT,
    Appeal.State.IN_REVIEW,
    Appeal.State.PUBLISHED,
    Appeal.State.WITHDRAWN,
)


def transition_url(appeal, action):
    return reverse("appeals:transition", kwargs={"pk": appeal.pk, "action": action})


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def appeal_in(state):
    if state in (P, W):
        appeal = AppealFactory(published=True)
        if state == W:
            Appeal.objects.filter(pk=appeal.pk).update(publication_state=W)
    else:
        appeal = AppealFactory(publication_state=state)
    return Appeal.objects.get(pk=appeal.pk)


def assert_untouched(appeal, before):
    """The appeal is as it was: same state and reference, no event, no render queued."""
    appeal.refresh_from_db()
    assert appeal.publication_state == before.publication_state
    assert appeal.reference == before.reference
    assert appeal.published_at == before.published_at
    assert not appeal.events.exists()
    assert not RenderJob.objects.filter(appeal=appeal).exists()


def test_reviewer_cannot_publish_a_draft_that_was_never_reviewed(
    reviewer, django_capture_on_commit_callbacks
):
    appeal = appeal_in(D)
    before = Appeal.objects.get(pk=appeal.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(reviewer).post(
            transition_url(appeal, "publish"), {"publish-note": "Go."}
        )

    assert response.status_code == 403
    assert_untouched(appeal, before)
    assert appeal.publication_state == D
    assert appeal.reference is None and appeal.reference_slug is None
    assert not Appeal.objects.published().filter(pk=appeal.pk).exists()
    case_page = Client().get(appeal.incident.get_absolute_url()).content.decode()
    assert "Download the urgent appeal" not in case_page
    assert "No urgent appeal is available for this case yet." in case_page


def test_the_publish_service_refuses_a_draft_too(reviewer):
    appeal = appeal_in(D)

    with pytest.raises(PermissionDenied):
        appeal_publish(actor=reviewer, appeal=appeal)

    appeal.refresh_from_db()
    assert appeal.publication_state == D and appeal.reference is None
    assert not RenderJob.objects.filter(appeal=appeal).exists()


def test_editor_cannot_publish_an_appeal_in_review(editor):
    appeal = appeal_in(R)

    response = logged_in(editor).post(transition_url(appeal, "publish"), {"publish-note": "Go."})

    assert response.status_code == 403
    assert_untouched(appeal, Appeal.objects.get(pk=appeal.pk))
    assert appeal.publication_state == R
    with pytest.raises(PermissionDenied):
        appeal_publish(actor=editor, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.reference is None


# (role, state the appeal is in, action) that the role rules refuse.
REFUSED = [
    ("editor", P, "withdraw"),
    ("editor", R, "send-back"),
    ("editor", W, "publish"),
    ("researcher", D, "submit"),
    ("researcher", R, "publish"),
    ("reviewer", P, "publish"),
    ("reviewer", D, "send-back"),
    ("reviewer", R, "withdraw"),
    ("reviewer", W, "withdraw"),
    ("reviewer", R, "submit"),
]


@pytest.mark.parametrize(("role", "state", "action"), REFUSED)
def test_a_refused_click_changes_nothing(role, state, action):
    appeal = appeal_in(state)
    before = Appeal.objects.get(pk=appeal.pk)

    response = logged_in(UserFactory(roles=[role])).post(transition_url(appeal, action))

    assert response.status_code == 403
    assert_untouched(appeal, before)


def test_the_whole_walk_draft_review_publish_withdraw_publish_again(
    editor, reviewer, django_capture_on_commit_callbacks
):
    editor_client, reviewer_client, client = logged_in(editor), logged_in(reviewer), Client()
    appeal = appeal_in(D)

    editor_client.post(transition_url(appeal, "submit"))
    appeal.refresh_from_db()
    assert appeal.publication_state == R
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(transition_url(appeal, "publish"))
    appeal.refresh_from_db()
    assert appeal.publication_state == P
    reference = appeal.reference
    assert reference
    assert client.get(appeal.get_public_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(transition_url(appeal, "withdraw"))
    appeal.refresh_from_db()
    assert appeal.publication_state == W
    assert client.get(appeal.get_public_url()).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(transition_url(appeal, "publish"))
    appeal.refresh_from_db()
    # Published again under the reference it was first issued with.
    assert appeal.publication_state == P and appeal.reference == reference
    assert client.get(appeal.get_public_url()).status_code == 200
    assert list(appeal.events.order_by("at", "pk").values_list("action", flat=True)) == [
        AppealEvent.Action.SUBMITTED,
        AppealEvent.Action.PUBLISHED,
        AppealEvent.Action.WITHDRAWN,
        AppealEvent.Action.PUBLISHED,
    ]


# A copy loaded before someone else changed the appeal: the service decides on the row.


def test_publishing_a_stale_copy_of_an_appeal_sent_back_meanwhile_is_refused(reviewer):
    stale = Appeal.objects.get(pk=appeal_in(R).pk)  # the page a reviewer still has open
    appeal_send_back(actor=reviewer, appeal=Appeal.objects.get(pk=stale.pk), note="Dates.")
    assert stale.publication_state == R

    with pytest.raises(PermissionDenied):
        appeal_publish(actor=reviewer, appeal=stale)

    appeal = Appeal.objects.get(pk=stale.pk)
    assert appeal.publication_state == D
    assert appeal.reference is None and appeal.published_at is None
    assert not RenderJob.objects.filter(appeal=appeal).exists()
    assert list(appeal.events.values_list("action", flat=True)) == [AppealEvent.Action.SENT_BACK]


def test_withdrawing_a_stale_copy_of_an_appeal_withdrawn_meanwhile_is_refused(reviewer):
    stale = Appeal.objects.get(pk=appeal_in(P).pk)
    appeal_withdraw(actor=reviewer, appeal=Appeal.objects.get(pk=stale.pk))

    with pytest.raises(PermissionDenied):
        appeal_withdraw(actor=reviewer, appeal=stale)

    appeal = Appeal.objects.get(pk=stale.pk)
    assert appeal.publication_state == W
    assert list(appeal.events.values_list("action", flat=True)) == [AppealEvent.Action.WITHDRAWN]


def test_submitting_a_stale_draft_already_published_is_refused(editor, reviewer):
    stale = Appeal.objects.get(pk=appeal_in(D).pk)
    fresh = appeal_submit(actor=editor, appeal=Appeal.objects.get(pk=stale.pk))
    appeal_publish(actor=reviewer, appeal=fresh)

    with pytest.raises(PermissionDenied):
        appeal_submit(actor=editor, appeal=stale)

    appeal = Appeal.objects.get(pk=stale.pk)
    assert appeal.publication_state == P
    assert appeal.reference


def test_publishing_a_stale_copy_of_an_incident_sent_back_meanwhile_is_refused(reviewer):
    incident = IncidentFactory(in_review=True)
    stale = Incident.objects.get(pk=incident.pk)
    incident_send_back(actor=reviewer, incident=Incident.objects.get(pk=incident.pk), note="Dates.")
    assert stale.publication_state == Incident.State.IN_REVIEW

    with pytest.raises(PermissionDenied):
        incident_publish(actor=reviewer, incident=stale)

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.DRAFT
    assert incident.published_at is None
    assert not Incident.objects.published().filter(pk=incident.pk).exists()
    assert list(incident.events.values_list("action", flat=True)) == [
        PublicationEvent.Action.SENT_BACK
    ]


def test_withdrawing_a_stale_copy_of_an_incident_withdrawn_meanwhile_is_refused(reviewer):
    incident = IncidentFactory(published=True)
    stale = Incident.objects.get(pk=incident.pk)
    incident_withdraw(actor=reviewer, incident=Incident.objects.get(pk=incident.pk))

    with pytest.raises(PermissionDenied):
        incident_withdraw(actor=reviewer, incident=stale)

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.WITHDRAWN
    assert incident.events.count() == 1


# Django's User.has_perm answers yes to a superuser before any rule is asked: the workflow
# asks the rules themselves, so the states hold for the site's administrators too.
@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_superuser=True, is_staff=True)


def test_an_administrator_cannot_publish_a_draft_appeal_either(administrator):
    appeal = appeal_in(D)
    before = Appeal.objects.get(pk=appeal.pk)

    page = logged_in(administrator).get(reverse("appeals:staff_detail", kwargs={"pk": appeal.pk}))
    response = logged_in(administrator).post(
        transition_url(appeal, "publish"), {"publish-note": "Go."}
    )

    assert page.status_code == 200 and not page.context["can_publish"]
    assert response.status_code == 403
    assert_untouched(appeal, before)
    with pytest.raises(PermissionDenied):
        appeal_publish(actor=administrator, appeal=appeal)


def test_an_administrator_cannot_publish_or_withdraw_a_draft_incident(administrator):
    incident = IncidentFactory()

    with pytest.raises(PermissionDenied):
        incident_publish(actor=administrator, incident=incident)
    with pytest.raises(PermissionDenied):
        incident_withdraw(actor=administrator, incident=incident)

    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.DRAFT
    assert not Incident.objects.published().filter(pk=incident.pk).exists()
    assert not PublicationEvent.objects.filter(incident=incident).exists()


def test_an_administrator_clicking_publish_on_a_draft_case_page_publishes_nothing(
    administrator,
):
    incident = IncidentFactory()

    response = logged_in(administrator).post(
        reverse("incidents:transition", kwargs={"pk": incident.pk, "action": "publish"}),
        {"publish-note": "Straight out."},
    )

    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.DRAFT
    assert Client().get(incident.get_absolute_url()).status_code == 404


def test_an_administrator_publishes_what_is_in_review(administrator):
    appeal = appeal_in(R)

    appeal_publish(actor=administrator, appeal=appeal)

    appeal.refresh_from_db()
    assert appeal.publication_state == P and appeal.reference


def test_a_follow_up_is_not_published_before_the_appeal_it_follows(reviewer):
    original = AppealFactory()
    follow_up = AppealFactory(
        incident=original.incident,
        kind=Appeal.Kind.NEW_INFORMATION,
        follows=original,
        publication_state=R,
    )
    before = Appeal.objects.get(pk=follow_up.pk)

    response = logged_in(reviewer).post(transition_url(follow_up, "publish"), follow=True)

    assert "Publish the urgent appeal this one follows up on first" in response.text
    assert_untouched(follow_up, before)
    with pytest.raises(workflow.StepRefused):
        appeal_publish(actor=reviewer, appeal=follow_up)
    assert_untouched(follow_up, before)


@pytest.mark.parametrize("record", ["appeal", "incident"])
def test_sending_back_needs_a_note_for_the_editor(reviewer, record):
    if record == "appeal":
        obj = appeal_in(R)
        url = transition_url(obj, "send-back")
    else:
        obj = IncidentFactory(in_review=True)
        url = reverse("incidents:transition", kwargs={"pk": obj.pk, "action": "send-back"})

    response = logged_in(reviewer).post(url, {"send-back-note": "  "}, follow=True)

    assert "Say what needs to change" in response.text
    obj.refresh_from_db()
    assert obj.publication_state == R
    send_back = appeal_send_back if record == "appeal" else incident_send_back
    with pytest.raises(workflow.StepRefused):
        send_back(actor=reviewer, **{record: obj})
    obj.refresh_from_db()
    assert obj.publication_state == R
