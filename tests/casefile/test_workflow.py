"""The shared workflow and publication gate, tested on their own (cases stand in for any
record plugged in: appeals' side effects are tested in tests/appeals)."""

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from casefile import workflow
from casefile.audit.models import AuditEvent
from casefile.publication import PublicationState
from casefile.rows import Row, save_rows, set_fields
from incidents.models import Incident, PublicationEvent

from ..factories import IncidentFactory, UpdateFactory

pytestmark = pytest.mark.django_db

D, R, P, W = (
    PublicationState.DRAFT,
    PublicationState.IN_REVIEW,
    PublicationState.PUBLISHED,
    PublicationState.WITHDRAWN,
)


@pytest.mark.parametrize(
    ("step", "start", "end"),
    [("submit", D, R), ("publish", R, P), ("send_back", R, D), ("withdraw", P, W)],
)
def test_each_step_moves_the_record_and_logs_it(reviewer, step, start, end):
    incident = IncidentFactory(publication_state=start, published_at=timezone.now())

    workflow.transition(actor=reviewer, record=incident, step=step, note="Checked.")

    incident.refresh_from_db()
    assert incident.publication_state == end
    event = PublicationEvent.objects.get(incident=incident)
    assert (event.from_state, event.to_state, event.note) == (start, end, "Checked.")
    assert event.actor == reviewer
    audited = AuditEvent.objects.filter(object_id=str(incident.pk)).exists()
    assert audited == (workflow.STEPS[step].audit is not None)


def test_a_step_from_a_state_it_does_not_start_from_is_refused(reviewer):
    incident = IncidentFactory()  # a draft

    with pytest.raises(PermissionDenied):
        workflow.transition(actor=reviewer, record=incident, step="publish")

    incident.refresh_from_db()
    assert incident.publication_state == D
    assert not PublicationEvent.objects.filter(incident=incident).exists()


def test_the_first_publication_time_is_kept_when_published_again(reviewer):
    first = timezone.now() - datetime.timedelta(days=30)
    incident = IncidentFactory(publication_state=W, published_at=first)

    workflow.transition(actor=reviewer, record=incident, step="publish")

    incident.refresh_from_db()
    assert incident.publication_state == P and incident.published_at == first


def test_every_step_of_every_registered_model_is_a_permission():
    for step in workflow.STEPS:
        perm = workflow.permission(Incident, step)
        assert perm == f"incidents.{step}_incident"
        assert rules.perm_exists(perm)


def test_the_public_sees_only_what_is_published_and_whose_time_has_come(editor):
    now = timezone.now()
    public = IncidentFactory(published=True)
    embargoed = IncidentFactory(publication_state=P, published_at=now + datetime.timedelta(hours=1))
    draft = IncidentFactory()
    withdrawn = IncidentFactory(withdrawn=True)

    seen = set(Incident.objects.visible_to(AnonymousUser()).values_list("pk", flat=True))
    staff = set(Incident.objects.visible_to(editor).values_list("pk", flat=True))

    assert seen == {public.pk}
    assert staff == {public.pk, embargoed.pk, draft.pk, withdrawn.pk}
    assert [i.is_published for i in (public, embargoed, draft, withdrawn)] == [
        True,
        False,
        False,
        False,
    ]


def test_a_save_may_not_set_what_only_the_workflow_writes():
    incident = IncidentFactory()

    with pytest.raises(ValueError, match="publication_state"):
        set_fields(incident, {"publication_state": P}, allowed={"title"})


def test_a_row_of_another_record_is_never_changed():
    incident, other = IncidentFactory(), IncidentFactory()
    foreign = UpdateFactory(incident=other, title="Theirs")

    with pytest.raises(PermissionDenied):
        save_rows(incident, "updates", [Row(foreign.pk, {"title": "Mine"})])

    foreign.refresh_from_db()
    assert foreign.title == "Theirs" and foreign.incident == other
