"""Precomputed counts of the public cases per filter value (incidents.facets)."""

from __future__ import annotations

from django.db import models

from .vocabulary import Status


class FacetCount(models.Model):
    """How many published incidents share a country, status and year: facet counts at scale.

    Kept by ``incidents.facets.refresh_facet_counts`` in the same transaction as every
    change to a published incident (and in full by a periodic task, which also catches
    embargoes that lapse). Only published, unembargoed incidents are ever counted.
    """

    country = models.CharField(max_length=2)
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country", "status", "year"], name="facet_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.status_id} {self.year}: {self.count}"
