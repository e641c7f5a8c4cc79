"""A case (``Incident``), its translations and the log of its publication steps."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casefile.publication import PublicationState, Publishable
from casefile.text import refuse_bidi_controls
from casefile.translatable import Translatable, TranslationBase, original_language_field
from organizations.models import Organization, PerpetratorGroup

from ..querysets import IncidentQuerySet
from .vocabulary import Status, ViolationType


class Incident(Publishable, Translatable, models.Model):
    """One documented attack on human rights defenders: a case."""

    # Named from the package, as callers import it: simple_history then puts the history
    # model (HistoricalIncident...) in incidents.models, where Django's shell finds it.
    __module__ = "incidents.models"

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Exact day")
        MONTH = "month", _("Month only")
        YEAR = "year", _("Year only")
        ESTIMATE = "estimate", _("Estimate")

    class LocationPrecision(models.TextChoices):
        EXACT = "exact", _("Exact spot")
        PLACE = "place", _("Town or village")
        REGION = "region", _("Region")
        COUNTRY = "country", _("Country only")

    translatable_fields = ("title", "summary", "narrative", "region", "place")

    original_language = original_language_field()
    title = models.CharField(_("title"), max_length=300, validators=[refuse_bidi_controls])
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(
        _("about the situation"), help_text=_("A short summary shown at the top of the case.")
    )
    narrative = models.TextField(_("full narrative"), blank=True)

    occurred_on = models.DateField(_("date it happened"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    ended_on = models.DateField(_("end date"), null=True, blank=True)

    country = CountryField(_("country"))
    region = models.CharField(
        _("region"), max_length=120, blank=True, validators=[refuse_bidi_controls]
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, validators=[refuse_bidi_controls]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=10,
        choices=LocationPrecision.choices,
        default=LocationPrecision.PLACE,
    )

    status = models.ForeignKey(
        Status, verbose_name=_("current status"), on_delete=models.PROTECT, related_name="+"
    )
    violation_types = models.ManyToManyField(
        ViolationType, verbose_name=_("violation types"), blank=True, related_name="incidents"
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("targeted organizations"),
        blank=True,
        related_name="incidents",
    )
    perpetrator_groups = models.ManyToManyField(
        PerpetratorGroup,
        through="IncidentPerpetrator",
        verbose_name=_("perpetrator groups"),
        blank=True,
        related_name="incidents",
    )

    publication_state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Full-text search (PostgreSQL): title, summary, narrative and updates, kept current by
    # incidents.search.refresh_search_vectors; its GIN index is made by migration 0004.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = IncidentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "search_vector"])

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            # Filtered lists walk these newest first; the id makes the order unique.
            models.Index(
                fields=["country", "-occurred_on", "-id"], name="incident_country_date_id_idx"
            ),
            models.Index(
                fields=["status", "-occurred_on", "-id"], name="incident_status_date_id_idx"
            ),
            # Newest first, ties broken by id: the keyset order of every list and the API.
            models.Index(fields=["-occurred_on", "-id"], name="incident_date_id_idx"),
            models.Index(
                fields=["publication_state", "-published_at"], name="incident_publication_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("occurred_on")),
                name="incident_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(publication_state="published")
                | models.Q(published_at__isnull=False),
                name="incident_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="incident_coordinates_in_pairs",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("incidents:detail", kwargs={"slug": self.slug})

    def translation_in(self, language: str):
        if self._has_listing_translation(language):
            # Joined by with_reader_translation(): the title and summary, all a list shows.
            return SimpleNamespace(
                title=self.translated_title or "",
                summary=self.translated_summary or "",
                narrative="",
                region=self.translated_region or "",
                place=self.translated_place or "",
            )
        return super().translation_in(language)

    def translated_languages(self) -> list[str]:
        """The languages this incident is translated into, besides its original."""
        if self._has_listing_translation():
            codes = (self.translation_languages or "").split(",")
            return sorted(code for code in codes if code and code != self.original_language)
        return self.available_languages()[1:]

    def _has_listing_translation(self, language: str | None = None) -> bool:
        if "translations" in getattr(self, "_prefetched_objects_cache", {}):
            return False  # every translation is at hand: use them
        listed = getattr(self, "listing_language", None)
        return listed is not None and (language is None or listed == language)

    def get_staff_url(self) -> str:
        return reverse("incidents:staff_detail", kwargs={"pk": self.pk})

    @property
    def organization_name_list(self) -> list[str]:
        """Targeted organizations' names, from ``with_listing_data()`` (no extra query)."""
        from ..querysets import LIST_SEPARATOR

        names = getattr(self, "organization_names", None)
        if names is None and not hasattr(self, "organization_names"):
            return [organization.name for organization in self.organizations.all()]
        return sorted(names.split(LIST_SEPARATOR)) if names else []

    @property
    def occurred_display(self) -> str:
        return format_fuzzy_date(self.occurred_on, self.date_precision)

    @property
    def place_display(self) -> str:
        """Place, region and country, in the reader's language where translated."""
        text = self.localized()
        parts = [text.place.value, text.region.value, self.country.name if self.country else ""]
        return ", ".join(part for part in parts if part)


def format_fuzzy_date(value: datetime.date, precision: str) -> str:
    """Show a date no more precisely than it is known."""
    if precision == Incident.DatePrecision.YEAR:
        return str(value.year)
    if precision == Incident.DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if precision == Incident.DatePrecision.ESTIMATE:
        return _("around %(date)s") % {"date": date_format(value, "YEAR_MONTH_FORMAT")}
    return date_format(value, "DATE_FORMAT")


class IncidentTranslation(TranslationBase):
    """An incident's title, summary and narrative in a language other than its original."""

    # Named from the package, as callers import it: simple_history then puts the history
    # model (HistoricalIncident...) in incidents.models, where Django's shell finds it.
    __module__ = "incidents.models"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=300, validators=[refuse_bidi_controls])
    summary = models.TextField(_("about the situation"))
    narrative = models.TextField(_("full narrative"), blank=True)
    region = models.CharField(
        _("region"), max_length=120, blank=True, validators=[refuse_bidi_controls]
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, validators=[refuse_bidi_controls]
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("incident translation")
        verbose_name_plural = _("incident translations")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "language"], name="one_incident_translation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class PublicationEvent(models.Model):
    """Who moved an incident through the workflow, when, and why: the audit trail."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        SENT_BACK = "sent_back", _("Sent back to draft")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    from_state = models.CharField(max_length=10, choices=Incident.State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=Incident.State.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"
