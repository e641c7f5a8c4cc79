"""Periodic upkeep of incident data (Celery beat), and large exports (thin wrappers, ids)."""

from celery import shared_task

from casefile import queue

from . import export_jobs
from .facets import refresh_facet_counts


@shared_task
def refresh_all_facet_counts() -> None:
    """Recount every facet: catches embargoes that lapsed since the last change."""
    refresh_facet_counts()


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
