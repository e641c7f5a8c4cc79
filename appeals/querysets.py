"""What of the appeals the public may see: a published appeal of a published incident."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class AppealQuerySet(models.QuerySet):
    def published(self) -> AppealQuerySet:
        from incidents.models import Incident

        return self.filter(
            state=self.model.State.PUBLISHED,
            published_at__isnull=False,
            published_at__lte=timezone.now(),
            reference__isnull=False,
            incident__in=Incident.objects.published(),
        )

    def with_public_flag(self) -> AppealQuerySet:
        """Annotate ``is_public``: whether ``published()`` holds each appeal (for staff lists)."""
        public = self.model.objects.published().filter(pk=OuterRef("pk"))
        return self.annotate(is_public=Exists(public))

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> AppealQuerySet:
        from casefile.roles import can_read_unpublished

        return self.all() if can_read_unpublished(user) else self.published()


class AppealVersionQuerySet(models.QuerySet):
    def ready(self) -> AppealVersionQuerySet:
        return self.filter(ready_at__isnull=False)

    def published(self) -> AppealVersionQuerySet:
        from .models import Appeal

        return self.ready().filter(appeal__in=Appeal.objects.published())
