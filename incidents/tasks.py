"""Periodic upkeep of incident data (Celery beat)."""

from celery import shared_task

from .facets import refresh_facet_counts


@shared_task
def refresh_all_facet_counts() -> None:
    """Recount every facet: catches embargoes that lapsed since the last change."""
    refresh_facet_counts()
