"""Keep the public file location in step with what is published.

The public location holds only versions of appeals the public may see, under
content-hashed names, so a web server can serve them with immutable caching and no Python.
Whenever an appeal or its incident changes state, ``sync_public_files`` copies the ready
versions in or deletes them; the stable download URL calls it too, which covers an embargo
that lapsed with no one acting.
"""

from __future__ import annotations

import logging

from django.core.files.storage import storages

from .models import Appeal, AppealVersion

log = logging.getLogger(__name__)


def public_storage():
    return storages["public_appeals"]


def sync_public_files(appeal: Appeal) -> None:
    storage = public_storage()
    is_public = Appeal.objects.published().filter(pk=appeal.pk).exists()
    for version in AppealVersion.objects.ready().filter(appeal=appeal).select_related("appeal"):
        if is_public:
            publish_version_file(version)
        elif appeal.reference_slug:
            name = version.public_name
            if storage.exists(name):
                storage.delete(name)
                log.info("Removed %s from the public location", name)


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
