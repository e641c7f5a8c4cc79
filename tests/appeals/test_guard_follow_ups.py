"""Guard: follow-ups published on the staff page, one after another, each under a lock on
the original appeal's row (issue 12's second test for the rule; test_references.py races
two follow-ups through the reference service).

While a follow-up's publishing transaction is open, another connection asks for the
original's row with ``FOR NO KEY UPDATE NOWAIT``: refused at once if the row is locked
``FOR UPDATE``, granted otherwise. No timing is involved. (Not ``FOR UPDATE``: that also
waits on the key-share lock a foreign key check takes, which proves nothing.)
"""

import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from appeals import workflow
from appeals.models import Appeal
from tests.factories import AppealFactory, UserFactory

LOCK_NOT_AVAILABLE = "55P03"


def row_is_locked(pk: int) -> bool:
    """Whether another connection, now, is refused the appeal row ``pk`` for update."""
    outcome = []

    def probe():
        try:
            with transaction.atomic():
                rows = Appeal.objects.select_for_update(nowait=True, no_key=True).filter(pk=pk)
                assert [row.pk for row in rows] == [pk]
            outcome.append(False)
        except OperationalError as error:
            assert getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE, error
            outcome.append(True)
        except BaseException as error:  # Reported below; a thread's error is only printed.
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the probe is still waiting"
    assert outcome and isinstance(outcome[0], bool), outcome
    return outcome[0]


@pytest.mark.postgres
def test_follow_ups_published_one_after_another_lock_the_original_and_count_on(
    seeded_transactional_db, monkeypatch
):
    reviewer = UserFactory(username="ruslan.reviewer", roles=["reviewer"])
    original = AppealFactory(published=True, incident__country="KG")
    follow_ups = [
        AppealFactory(
            incident=original.incident,
            kind="new_information",
            follows=original,
            publication_state=Appeal.State.IN_REVIEW,
        )
        for _ in range(3)
    ]
    assert not row_is_locked(original.pk)  # the probe can answer "free"

    locked_while_issuing = []
    allocate_reference = workflow.allocate_reference

    def allocate_and_probe(appeal, **kwargs):
        allocate_reference(appeal, **kwargs)
        locked_while_issuing.append(row_is_locked(original.pk))

    monkeypatch.setattr(workflow, "allocate_reference", allocate_and_probe)
    # The PDFs a publication queues again (seconds each) are not what this test is about.
    renders = []
    monkeypatch.setattr(workflow, "appeal_request_render", lambda **kwargs: renders.append(kwargs))
    staff = Client()
    staff.force_login(reviewer)
    for appeal in follow_ups:
        url = reverse("appeals:transition", kwargs={"pk": appeal.pk, "action": "publish"})
        assert staff.post(url, {"publish-note": "New information."}).status_code == 302

    assert locked_while_issuing == [True, True, True]
    assert [render["appeal"].pk for render in renders] == [appeal.pk for appeal in follow_ups]
    assert not row_is_locked(original.pk)
    issued = Appeal.objects.filter(follows=original).order_by("follow_up_number")
    assert [(a.pk, a.follow_up_number, a.reference) for a in issued] == [
        (appeal.pk, n, f"{original.reference}.{n}") for n, appeal in enumerate(follow_ups, 1)
    ]
    page = Client().get(original.get_public_url())
    assert page.status_code == 200
    assert f"{original.reference}.3" in page.text  # "superseded by" the latest
