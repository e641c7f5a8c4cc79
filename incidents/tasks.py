"""Periodic upkeep of incident data (Celery beat), and large exports (thin wrappers, ids)."""

import datetime

from celery import shared_task
from django.utils import timezone

from casefile import queue

from . import export_jobs
from .facets import facet_key, refresh_facet_counts
from .models import Incident
from .signals import publication_changed

# How far back count_lapsed_embargoes looks: a little more than its one-minute schedule. A
# beat stopped for longer is covered by the ten-minute full recount.
LAPSE_WINDOW = datetime.timedelta(seconds=90)


@shared_task
def refresh_all_facet_counts() -> None:
    """Recount every facet: catches embargoes that lapsed since the last change."""
    refresh_facet_counts()


@shared_task
def count_lapsed_embargoes() -> list[int]:
    """Cases whose publication time has just come: an embargo lapses with no write, so no
    service recounts their facets or tells the other apps (appeals' files, statistics).
    Returns their ids."""
    lapsed = list(
        Incident.objects.published()
        .filter(published_at__gt=timezone.now() - LAPSE_WINDOW)
        .only("pk", "country", "status_id", "occurred_on")
    )
    if lapsed:
        refresh_facet_counts([facet_key(incident) for incident in lapsed])
        for incident in lapsed:
            publication_changed.send(sender=Incident, incident=incident)
    return [incident.pk for incident in lapsed]


# acks_late with reject_on_worker_lost: a worker killed mid-export gives the message back.
# The claim (a conditional update) makes a second delivery of a job already taken a no-op;
# the sweeper queues again a job whose worker stopped reporting.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_incidents(job_id: int) -> str:
    """Write the export job's file (incidents.export_jobs); returns what happened."""
    return export_jobs.run(job_id)


@shared_task
def sweep_export_jobs() -> list[int]:
    """Delete expired export files and leftovers; send again the jobs that were lost.
    Returns the ids sent."""
    sent = []
    for job_id in export_jobs.sweep():
        if not queue.send(export_incidents, job_id):
            break  # The broker is down: the jobs stay queued for the next sweep.
        sent.append(job_id)
    return sent
