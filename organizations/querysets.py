"""Who may see which organizations and perpetrator groups.

An organization or group is public only through a published incident: a group named
only in a draft must not become visible (its mere existence can reveal an
investigation in progress).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from casefile.publication import PublicOrStaffQuerySet

# What is published is decided by the incidents app, one floor up, which this app must not
# import: at start-up it registers, for each model here, the ids named by published
# incidents (IncidentsConfig.ready). Until it has, nothing here is public.
_published_ids: dict[str, Callable[[], models.QuerySet]] = {}


def register_published_ids(model: type[models.Model], ids: Callable[[], models.QuerySet]) -> None:
    """Say which rows of ``model`` are public: ``ids()`` gives their ids as a subquery."""
    _published_ids[model._meta.label] = ids


def _public_ids(model: type[models.Model]) -> models.QuerySet:
    try:
        return _published_ids[model._meta.label]()
    except KeyError:
        raise ImproperlyConfigured(
            f"No app has said which {model._meta.verbose_name_plural} are public."
        ) from None


class VisibleThroughIncidents(PublicOrStaffQuerySet):
    # visible_to(user): casefile.publication.

    def published(self):
        return self.filter(pk__in=_public_ids(self.model))


class OrganizationQuerySet(VisibleThroughIncidents):
    def search(self, term: str) -> OrganizationQuerySet:
        term = term.strip()
        if not term:
            return self
        return self.filter(models.Q(name__icontains=term) | models.Q(acronym__icontains=term))


class PerpetratorGroupQuerySet(VisibleThroughIncidents):
    def search(self, term: str) -> PerpetratorGroupQuerySet:
        term = term.strip()
        if not term:
            return self
        return self.filter(models.Q(name__icontains=term) | models.Q(aliases__icontains=term))
