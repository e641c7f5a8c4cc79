"""Appeal references: format, per-country sequence, follow-up suffixes, no duplicates."""

import datetime
import threading
import time
import traceback

import pytest
from django.db import connection, transaction

from appeals.models import Appeal, ReferenceCounter
from appeals.references import allocate_reference
from tests.factories import AppealFactory, IncidentFactory

MAY_2019 = datetime.date(2019, 5, 27)
JULY_2019 = datetime.date(2019, 7, 1)


def issue(appeal, on=MAY_2019):
    with transaction.atomic():
        allocate_reference(appeal, issued_on=on)
        appeal.save()
    return appeal.reference


@pytest.mark.django_db
def test_references_count_per_country_and_carry_month_and_year():
    assert issue(AppealFactory(incident__country="KG")) == "KGZ 001 / 0519"
    assert issue(AppealFactory(incident__country="KG"), datetime.date(2020, 1, 3)) == (
        "KGZ 002 / 0120"
    )
    assert issue(AppealFactory(incident__country="KZ")) == "KAZ 001 / 0519"


@pytest.mark.django_db
def test_a_follow_up_carries_the_original_reference_with_a_suffix():
    incident = IncidentFactory(published=True)
    original = AppealFactory(incident=incident)
    issue(original)
    first = AppealFactory(incident=incident, kind="new_information", follows=original)
    second = AppealFactory(incident=incident, kind="case_closed", follows=original)

    assert issue(first, datetime.date(2019, 7, 1)) == "KGZ 001 / 0519.1"
    assert issue(second, datetime.date(2020, 2, 1)) == "KGZ 001 / 0519.2"
    assert second.reference_slug == "kgz-001-0519-2"


@pytest.mark.django_db
def test_a_reference_is_never_reallocated():
    appeal = AppealFactory()
    issue(appeal)
    assert issue(appeal, datetime.date(2024, 1, 1)) == "KGZ 001 / 0519"


def run_at_once(*calls):
    """Run each call in its own thread, all released together; return what they raised.

    An exception in a thread would otherwise only be printed, and the test pass.
    """
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as error:  # Whatever it is, the test reports it.
            errors.append("".join(traceback.format_exception(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return errors


def issue_slowly(appeal, on=MAY_2019):
    """Issue as the publishing transaction does: the reference is allocated first, and the
    transaction goes on for a moment (saving, the audit rows, the renders) before it commits.
    """
    with transaction.atomic():
        allocate_reference(appeal, issued_on=on)
        time.sleep(0.3)
        appeal.save()
    return appeal.reference


@pytest.mark.postgres
def test_concurrent_publications_get_distinct_numbers(seeded_transactional_db):
    appeals = [AppealFactory(incident__country="KG") for _ in range(6)]

    errors = run_at_once(*[lambda appeal=appeal: issue_slowly(appeal) for appeal in appeals])

    assert errors == [], "\n".join(errors)
    references = sorted(Appeal.objects.values_list("reference", flat=True))
    assert references == [f"KGZ {n:03d} / 0519" for n in range(1, 7)]


@pytest.mark.postgres
def test_first_appeals_of_a_country_issued_at_once_share_one_counter(seeded_transactional_db):
    appeals = [AppealFactory(incident__country="UZ") for _ in range(3)]
    assert not ReferenceCounter.objects.filter(country="UZB").exists()

    errors = run_at_once(*[lambda appeal=appeal: issue_slowly(appeal) for appeal in appeals])

    assert errors == [], "\n".join(errors)
    assert sorted(Appeal.objects.values_list("reference", flat=True)) == [
        f"UZB {n:03d} / 0519" for n in range(1, 4)
    ]
    assert ReferenceCounter.objects.get(country="UZB").last_sequence == 3


@pytest.mark.postgres
def test_concurrent_follow_ups_get_distinct_suffixes(seeded_transactional_db):
    original = AppealFactory(incident__country="KG")
    issue(original)
    follow_ups = [
        AppealFactory(incident=original.incident, kind="new_information", follows=original)
        for _ in range(2)
    ]

    errors = run_at_once(
        *[lambda appeal=appeal: issue_slowly(appeal, JULY_2019) for appeal in follow_ups]
    )

    assert errors == [], "\n".join(errors)
    issued = Appeal.objects.filter(follows=original).order_by("follow_up_number")
    assert [(a.follow_up_number, a.reference) for a in issued] == [
        (1, "KGZ 001 / 0519.1"),
        (2, "KGZ 001 / 0519.2"),
    ]
