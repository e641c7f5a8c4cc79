"""An embargo lapses with no write: a periodic task does what a publication's write does.

The case becomes public on its own (``published()`` compares with the clock), but the
facet counts, the cached statistics and its appeals' public files are kept by writes. The
task ``count_lapsed_embargoes`` (Celery beat, every minute) catches the cases whose
publication time has just come.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from incidents.facets import refresh_facet_counts
from incidents.models import FacetCount, Incident
from incidents.tasks import count_lapsed_embargoes
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def embargoed_case_that_just_lapsed() -> Incident:
    incident = IncidentFactory(published=True)
    # Published with a time ahead (an embargo), counted then, and the time has now come.
    Incident.objects.filter(pk=incident.pk).update(
        published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    refresh_facet_counts()
    Incident.objects.filter(pk=incident.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=30)
    )
    return incident


def counted(incident: Incident) -> int:
    row = FacetCount.objects.filter(
        country=incident.country.code, status=incident.status, year=incident.occurred_on.year
    ).first()
    return row.count if row else 0


def test_a_case_whose_embargo_lapsed_is_counted_by_the_next_run():
    incident = embargoed_case_that_just_lapsed()
    assert counted(incident) == 0

    assert count_lapsed_embargoes() == [incident.pk]

    assert counted(incident) == 1


def test_the_other_apps_hear_of_it_as_of_a_publication():
    from incidents.signals import publication_changed

    heard = []

    def listener(sender, incident, **kwargs):
        heard.append(incident.pk)

    publication_changed.connect(listener)
    try:
        incident = embargoed_case_that_just_lapsed()
        count_lapsed_embargoes()
    finally:
        publication_changed.disconnect(listener)

    assert heard == [incident.pk]


def test_a_case_still_under_embargo_or_published_long_ago_is_left_alone():
    now = timezone.now()
    for published_at in (now + datetime.timedelta(hours=1), now - datetime.timedelta(minutes=5)):
        incident = IncidentFactory(published=True)
        Incident.objects.filter(pk=incident.pk).update(published_at=published_at)

    assert count_lapsed_embargoes() == []


def test_celery_beat_runs_it_every_minute():
    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert entries["incidents.tasks.count_lapsed_embargoes"] == 60.0
