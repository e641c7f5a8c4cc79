"""The rows of a case: who acted, its sources, its figures and its dated updates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from casefile.text import refuse_bidi_controls
from casefile.translatable import Translatable, TranslationBase
from organizations.models import PerpetratorGroup

from ..querysets import ChildOfIncidentQuerySet
from .incident import Incident
from .vocabulary import Status


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
    # Named from the package, as callers import it: simple_history then puts the history
    # model (HistoricalIncident...) in incidents.models, where Django's shell finds it.
    __module__ = "incidents.models"

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
