"""The publication gate for cases.

``Incident.objects.published()`` (``casefile.publication.PublicationQuerySet``) is the one
place that decides what the public may see. Every public page, API endpoint, feed, sitemap
and PDF starts from it (or from ``visible_to(user)``, which falls back to it for anyone who
is not staff).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, FilteredRelation, OuterRef, Q, StringAgg, Subquery, Value

from casefile.publication import PublicationQuerySet

if TYPE_CHECKING:
    pass


# Joins names in one column; a control character no name contains.
LIST_SEPARATOR = "\x1f"


class IncidentQuerySet(PublicationQuerySet):
    # published(), visible_to(user) and in_state(state): casefile.publication.

    def with_listing_data(self) -> IncidentQuerySet:
        """Status, targeted organizations' names and the reader's translation of the title
        and summary, in the same query as the incidents.

        The names come from a correlated subquery, evaluated for the page's rows only: a
        list page stays one query however many incidents or organizations there are.
        """
        from casefile.translatable import in_reader_language
        from organizations.models import Organization, OrganizationTranslation

        shown = in_reader_language(
            OrganizationTranslation.objects.all(),
            "name",
            owner="organization",
            record="pk",
            original="name",
        )
        names = (
            Organization.objects.filter(incidents=OuterRef("pk"))
            .order_by()
            .values("incidents")
            # Unordered (SQLite cannot order inside an aggregate); sorted when read.
            .annotate(names=StringAgg(shown, delimiter=Value(LIST_SEPARATOR)))
            .values("names")
        )
        return (
            self.select_related("status")
            .defer("narrative", "search_vector")
            .annotate(organization_names=Subquery(names))
            .with_reader_translation()
        )

    def with_reader_translation(self) -> IncidentQuerySet:
        """The reader's translation of the title and summary, joined (one row at most), and
        the languages the incident is translated into: for lists, without a query more."""
        from casefile.translatable import reader_language

        from .models import IncidentTranslation

        language = reader_language()
        languages = (
            IncidentTranslation.objects.filter(incident=OuterRef("pk"))
            .order_by()
            .values("incident")
            .annotate(codes=StringAgg("language", delimiter=Value(",")))
            .values("codes")
        )
        return self.annotate(
            reader_translation=FilteredRelation(
                "translations", condition=Q(translations__language=language)
            ),
            listing_language=Value(language),
            translated_title=F("reader_translation__title"),
            translated_summary=F("reader_translation__summary"),
            translated_region=F("reader_translation__region"),
            translated_place=F("reader_translation__place"),
            translation_languages=Subquery(languages),
        )


class ChildOfIncidentQuerySet(models.QuerySet):
    """Sources, figures and updates are public exactly when their incident is."""

    def published(self) -> ChildOfIncidentQuerySet:
        from .models import Incident

        return self.filter(incident__in=Incident.objects.published())
