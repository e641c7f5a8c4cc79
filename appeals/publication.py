"""Keep the public file location in step with what is published.

The public location holds only versions of appeals the public may see, under
content-hashed names, so a web server can serve them with immutable caching and no Python.
``sync_public_files`` copies an appeal's ready versions in or deletes them. It runs on the
write path: after an appeal's transition commits (``appeals.workflow``), after a render
stores a version (``appeals.jobs``), and when an incident's publication changes (the
``publication_changed`` signal). An embargo that lapses is no write: for that, Celery beat
runs ``publish_lapsed_embargoes`` every minute (``CELERY_BEAT_SCHEDULE``). Reading never
writes here.
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.storage import storages
from django.db.models import Q
from django.utils import timezone

from .models import Appeal, AppealVersion

log = logging.getLogger(__name__)

# How far back publish_lapsed_embargoes looks for appeals that went public. It runs every
# minute; a week also covers a beat, broker or worker stopped over a long weekend, while
# each run stays a look at the few appeals that went public lately. Until the copy is made,
# the stable URL sends readers to the version's own URL, which Django serves (views.py).
LAPSED_WITHIN = datetime.timedelta(days=7)


def public_storage():
    return storages["public_appeals"]


def sync_public_files(appeal: Appeal) -> None:
    """Copy the appeal's ready versions to the public location if it is public; else remove
    them from there."""
    if _is_public(appeal):
        for version in _ready_versions(appeal):
            publish_version_file(version)
        # A withdrawal (of the appeal or its incident) that committed during the copy may
        # have run its own sync before a copy landed: look again, and take them out if so.
        if _is_public(appeal):
            return
    if appeal.reference_slug:
        storage = public_storage()
        for version in _ready_versions(appeal):
            name = version.public_name
            if storage.exists(name):
                storage.delete(name)
                log.info("Removed %s from the public location", name)


def _is_public(appeal: Appeal) -> bool:
    return Appeal.objects.published().filter(pk=appeal.pk).exists()


def _ready_versions(appeal: Appeal):
    return AppealVersion.objects.ready().filter(appeal=appeal).select_related("appeal")


def publish_version_file(version: AppealVersion) -> None:
    """Copy one ready version to the public location, if it is not there yet."""
    storage = public_storage()
    name = version.public_name
    if storage.exists(name):
        return
    with version.open() as source:
        saved = storage.save(name, source)
    if saved != name:  # Someone else copied it in the meantime; keep one.
        storage.delete(saved)


def on_incident_publication_changed(sender, incident, **kwargs) -> None:
    for appeal in Appeal.objects.filter(incident=incident, reference_slug__isnull=False):
        sync_public_files(appeal)


def publish_lapsed_embargoes() -> list[int]:
    """Sync the appeals public now that went public lately, by their own publication time
    or their incident's passing (an embargo lapsing, or a publication); return their ids."""
    since = timezone.now() - LAPSED_WITHIN
    appeals = (
        Appeal.objects.published()
        .filter(Q(published_at__gt=since) | Q(incident__published_at__gt=since))
        .filter(pk__in=AppealVersion.objects.ready().values("appeal"))
        .order_by("pk")
    )
    synced = []
    for appeal in appeals:
        sync_public_files(appeal)
        synced.append(appeal.pk)
    return synced
