"""What of the appeals the public may see: a published appeal of a published incident."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

from casefile.publication import PublicationQuerySet

if TYPE_CHECKING:
    pass


class AppealQuerySet(PublicationQuerySet):
    # visible_to(user) and in_state(state): casefile.publication.

    def published(self) -> AppealQuerySet:
        from incidents.models import Incident

        # An issued appeal (with its reference) of a public case.
        return (
            super()
            .published()
            .filter(reference__isnull=False, incident__in=Incident.objects.published())
        )

    def with_public_flag(self) -> AppealQuerySet:
        """Annotate ``is_public``: whether ``published()`` holds each appeal (for staff lists)."""
        public = self.model.objects.published().filter(pk=OuterRef("pk"))
        return self.annotate(is_public=Exists(public))


class AppealVersionQuerySet(models.QuerySet):
    def ready(self) -> AppealVersionQuerySet:
        return self.filter(ready_at__isnull=False)

    def published(self) -> AppealVersionQuerySet:
        from .models import Appeal

        return self.ready().filter(appeal__in=Appeal.objects.published())


class AddresseeQuerySet(models.QuerySet):
    def search(self, term: str) -> AddresseeQuerySet:
        """Addressees whose name, position or institution holds ``term``, or of that
        country code: the picker's search, with and without JavaScript."""
        if not term:
            return self
        return self.filter(
            Q(name__icontains=term)
            | Q(position__icontains=term)
            | Q(institution__icontains=term)
            | Q(country__iexact=term)
        )
