from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casefile.publication import PublicationState, Publishable
from casefile.text import refuse_bidi_controls
from casefile.translatable import Translatable, TranslationBase, original_language_field
from organizations.models import Organization, PerpetratorGroup

from .querysets import ChildOfIncidentQuerySet, IncidentQuerySet


class Status(Translatable, models.Model):
    """Where a case stands ("arbitrary detention", "sentenced"): a controlled vocabulary."""

    translatable_fields = ("name", "description")

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, validators=[refuse_bidi_controls])
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "position"), default=0)
    original_language = original_language_field()

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language, from the cached vocabulary (no query)."""
        from .vocabulary import statuses

        return statuses().get(self.slug, self.name)


class StatusTranslation(TranslationBase):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=120, validators=[refuse_bidi_controls])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("status translation")
        verbose_name_plural = _("status translations")
        constraints = [
            models.UniqueConstraint(fields=["status", "language"], name="one_status_translation")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class ViolationType(models.Model):
    """What was done, from the HURIDOCS Events Standard Formats "types of acts"."""

    code = models.CharField(_("HURIDOCS code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=160, validators=[refuse_bidi_controls])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language when it is a seeded term (a VIOLATION_TYPE_NAMES
        entry of incidents.vocabulary)."""
        return gettext(self.name)


class Incident(Publishable, Translatable, models.Model):
    """One documented attack on human rights defenders: a case."""

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
        from .querysets import LIST_SEPARATOR

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


class IncidentPerpetrator(models.Model):
    """A perpetrator group's part in an incident, with how sure we are of it."""

    class Involvement(models.TextChoices):
        CARRIED_OUT = "carried_out", _("Carried out")
        ORDERED = "ordered", _("Ordered")
        SUSPECTED = "suspected", _("Suspected")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="perpetrator_links"
    )
    perpetrator_group = models.ForeignKey(
        PerpetratorGroup,
        verbose_name=_("perpetrator group"),
        on_delete=models.PROTECT,
        related_name="incident_links",
    )
    involvement = models.CharField(
        _("degree of involvement"),
        max_length=12,
        choices=Involvement.choices,
        default=Involvement.CARRIED_OUT,
    )

    objects = ChildOfIncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "perpetrator_group"], name="incident_perpetrator_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.perpetrator_group} ({self.get_involvement_display()})"


class Source(models.Model):
    """Where a fact comes from."""

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("Press release")
        NEWS_REPORT = "news_report", _("News report")
        WITNESS_TESTIMONY = "witness_testimony", _("Witness testimony")
        OFFICIAL_STATEMENT = "official_statement", _("Official statement")
        NGO_REPORT = "ngo_report", _("NGO report")
        COURT_DOCUMENT = "court_document", _("Court document")
        SOCIAL_MEDIA = "social_media", _("Social media post")
        OTHER = "other", _("Other")

    class Reliability(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed by other sources")
        PROBABLE = "probable", _("Probably true")
        UNVERIFIED = "unverified", _("Not verified")
        DOUBTFUL = "doubtful", _("Doubtful")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300, validators=[refuse_bidi_controls])
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True, validators=[refuse_bidi_controls]
    )
    published_on = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True, help_text=_("Language code, e.g. fr, ru, ar.")
    )
    reliability = models.CharField(
        _("reliability"),
        max_length=12,
        choices=Reliability.choices,
        default=Reliability.UNVERIFIED,
    )

    objects = ChildOfIncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["published_on", "pk"]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}" if self.publisher else self.title


class Figure(Translatable, models.Model):
    """A count (detained, injured, killed...) as one source gives it.

    Sources disagree; each count is its own row so the conflicting figures stand side by
    side instead of one overwriting the other.
    """

    translatable_fields = ("label",)

    class Counted(models.TextChoices):
        DETAINED = "detained", pgettext_lazy("people", "Detained")
        ARRESTED = "arrested", pgettext_lazy("people", "Arrested")
        INJURED = "injured", pgettext_lazy("people", "Injured")
        KILLED = "killed", pgettext_lazy("people", "Killed")
        DISAPPEARED = "disappeared", pgettext_lazy("people", "Disappeared")
        CHARGED = "charged", pgettext_lazy("people", "Charged")
        SENTENCED = "sentenced", pgettext_lazy("people", "Sentenced")
        DISPLACED = "displaced", pgettext_lazy("people", "Displaced")
        OTHER = "other", _("Other")

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("Exact")
        ESTIMATE = "estimate", _("Estimate")
        AT_LEAST = "at_least", _("At least")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="figures")
    counted = models.CharField(_("what is counted"), max_length=12, choices=Counted.choices)
    label = models.CharField(
        _("label"),
        max_length=120,
        blank=True,
        help_text=_("e.g. members of security forces."),
        validators=[refuse_bidi_controls],
    )
    value = models.PositiveIntegerField(_("number"))
    qualifier = models.CharField(
        _("exactness"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    according_to = models.CharField(
        _("according to"),
        max_length=200,
        blank=True,
        help_text=_("Who gives this number, e.g. the Ministry of Interior."),
        validators=[refuse_bidi_controls],
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="figures",
    )

    objects = ChildOfIncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        ordering = ["counted", "as_of", "pk"]

    def __str__(self) -> str:
        return f"{self.get_counted_display()}: {self.value_display}"

    @property
    def source_language(self) -> str:
        return self.incident.original_language

    def clean(self) -> None:
        if self.source_id and self.incident_id and self.source.incident_id != self.incident_id:
            raise ValidationError({"source": _("Cite a source of the same incident.")})

    @property
    def value_display(self) -> str:
        if self.qualifier == self.Qualifier.AT_LEAST:
            return _("at least %(n)s") % {"n": self.value}
        if self.qualifier == self.Qualifier.ESTIMATE:
            return _("about %(n)s") % {"n": self.value}
        return str(self.value)


class FigureTranslation(TranslationBase):
    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="translations")
    label = models.CharField(_("label"), max_length=120, validators=[refuse_bidi_controls])

    class Meta:
        verbose_name = _("figure translation")
        verbose_name_plural = _("figure translations")
        constraints = [
            models.UniqueConstraint(fields=["figure", "language"], name="one_figure_translation")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.language})"


class IncidentTranslation(TranslationBase):
    """An incident's title, summary and narrative in a language other than its original."""

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


class Update(Translatable, models.Model):
    """A dated entry in a case's timeline; its status keeps the status history."""

    translatable_fields = ("title", "body")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300, validators=[refuse_bidi_controls])
    body = models.TextField(_("text"), blank=True)
    status = models.ForeignKey(
        Status,
        verbose_name=_("status at this date"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ChildOfIncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["incident", "-date"], name="update_incident_date_idx")]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"

    @property
    def source_language(self) -> str:
        # Updates are written in their incident's language.
        return self.incident.original_language


class UpdateTranslation(TranslationBase):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=300, validators=[refuse_bidi_controls])
    body = models.TextField(_("text"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("update translation")
        verbose_name_plural = _("update translations")
        constraints = [
            models.UniqueConstraint(fields=["update", "language"], name="one_update_translation")
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


class ExportJob(models.Model):
    """A large export written to a file by the worker, then downloaded (incidents.export_jobs).

    Reached by its unguessable ``token``, never by its id. While live (queued, running, or
    ready and not yet expired) one job serves every identical request: same format, way in,
    filter, scope and language (``key``). ``owner`` is set when the file may hold unpublished
    cases: then only that user may see the job or its file.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Writing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    class Via(models.TextChoices):
        PAGE = "page", _("case list")
        API = "api", _("API")

    LIVE_STATES = (State.QUEUED, State.RUNNING, State.READY)
    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    token = models.CharField(max_length=64, unique=True, editable=False)
    key = models.CharField(max_length=64, editable=False)
    export_format = models.CharField(_("format"), max_length=4, choices=Format)
    via = models.CharField(max_length=4, choices=Via)
    # The cleaned filter as a canonical query string: the worker rebuilds the queryset from it.
    query = models.TextField(_("filter"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    rows_written = models.PositiveBigIntegerField(_("rows written"), default=0)
    estimated_total = models.PositiveBigIntegerField(_("estimated total"), null=True, blank=True)
    unpublished_rows = models.PositiveBigIntegerField(default=0)
    # A name in the private "exports" storage (settings.STORAGES).
    file_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # The worker's heartbeat: moved with every progress report.
    progress_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "expires_at"], name="export_job_state_expiry")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(state__in=["queued", "running", "ready"]),
                name="one_live_export_per_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ready")
                | (
                    ~models.Q(file_name="")
                    & ~models.Q(sha256="")
                    & models.Q(size__isnull=False, expires_at__isnull=False)
                ),
                name="ready_export_has_its_file",
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.export_format}): {self.state}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:export_job", args=[self.token])

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    def is_downloadable(self, now: datetime.datetime | None = None) -> bool:
        return self.state == self.State.READY and self.expires_at > (now or timezone.now())

    @property
    def download_name(self) -> str:
        return f"casefile-incidents.{self.export_format}"
