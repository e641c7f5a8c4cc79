"""Who may see which organizations and perpetrator groups.

An organization or group is public only through a published incident: a group named
only in a draft must not become visible (its mere existence can reveal an
investigation in progress).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def _is_staff_reader(user: AbstractBaseUser | AnonymousUser) -> bool:
    # Imported late: incidents depends on organizations, not the reverse.
    from incidents.roles import can_read_unpublished

    return can_read_unpublished(user)


class OrganizationQuerySet(models.QuerySet):
    def published(self) -> OrganizationQuerySet:
        from incidents.models import Incident

        return self.filter(pk__in=Incident.objects.published().values("organizations"))

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> OrganizationQuerySet:
        return self.all() if _is_staff_reader(user) else self.published()

    def search(self, term: str) -> OrganizationQuerySet:
        term = term.strip()
        if not term:
            return self
        return self.filter(models.Q(name__icontains=term) | models.Q(acronym__icontains=term))


class PerpetratorGroupQuerySet(models.QuerySet):
    def published(self) -> PerpetratorGroupQuerySet:
        from incidents.models import Incident

        return self.filter(
            pk__in=Incident.objects.published().values("perpetrator_links__perpetrator_group")
        )

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> PerpetratorGroupQuerySet:
        return self.all() if _is_staff_reader(user) else self.published()

    def search(self, term: str) -> PerpetratorGroupQuerySet:
        term = term.strip()
        if not term:
            return self
        return self.filter(models.Q(name__icontains=term) | models.Q(aliases__icontains=term))
