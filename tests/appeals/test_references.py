"""Appeal references: format, per-country sequence, follow-up suffixes, no duplicates."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from appeals.models import Appeal
from appeals.references import allocate_reference
from tests.factories import AppealFactory, IncidentFactory

MAY_2019 = datetime.date(2019, 5, 27)


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


@pytest.mark.postgres
def test_concurrent_publications_get_distinct_numbers(seeded_transactional_db):
    appeals = [AppealFactory(incident__country="KG") for _ in range(6)]
    barrier = threading.Barrier(len(appeals))

    def publish(appeal):
        barrier.wait()
        try:
            issue(appeal)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(a,)) for a in appeals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    references = sorted(Appeal.objects.values_list("reference", flat=True))
    assert references == [f"KGZ {n:03d} / 0519" for n in range(1, 7)]
