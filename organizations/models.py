from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from casefile.text import refuse_bidi_controls
from casefile.translatable import Translatable, TranslationBase, original_language_field

from .querysets import OrganizationQuerySet, PerpetratorGroupQuerySet


class Organization(Translatable, models.Model):
    """A civil-society group targeted by an incident."""

    translatable_fields = ("name", "about")

    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organization")
        COALITION = "coalition", _("Coalition or network")
        LAWYERS = "lawyers", _("Lawyers' association")
        MEDIA = "media", _("Media outlet")
        COMMUNITY = "community", _("Community group")
        TRADE_UNION = "trade_union", _("Trade union")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=300, validators=[refuse_bidi_controls])
    acronym = models.CharField(
        _("acronym"), max_length=40, blank=True, validators=[refuse_bidi_controls]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(
        _("city"), max_length=120, blank=True, validators=[refuse_bidi_controls]
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    member_organizations = models.PositiveIntegerField(
        _("number of member organizations"),
        null=True,
        blank=True,
        help_text=_("For coalitions and networks."),
    )
    about = models.TextField(_("about the organization"), blank=True)
    original_language = original_language_field()
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [models.Index(fields=["country"], name="organization_country_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        """The name in the reader's language (from a ``shown_name`` annotation if any)."""
        return getattr(self, "shown_name", None) or self.localized().name.value


class PerpetratorGroup(Translatable, models.Model):
    """An actor held responsible for incidents: a state body, a group, a company."""

    translatable_fields = ("name", "description")

    class Kind(models.TextChoices):
        POLICE = "police", _("State actor: police")
        SECURITY_SERVICES = "security_services", _("State actor: security services")
        JUDICIARY = "judiciary", _("State actor: judiciary")
        MILITARY = "military", _("State actor: military")
        OFFICIALS = "officials", _("State actor: officials")
        PRO_GOVERNMENT = "pro_government", _("Pro-government or nationalist group")
        ARMED_GROUP = "armed_group", _("Armed group")
        COMPANY = "company", _("Company")
        UNKNOWN = "unknown", _("Unknown")

    STATE_KINDS = frozenset(
        {Kind.POLICE, Kind.SECURITY_SERVICES, Kind.JUDICIARY, Kind.MILITARY, Kind.OFFICIALS}
    )
    # "Unknown" is neither: counting it as non-state would blame a court entered in a hurry
    # on a militia.
    NON_STATE_KINDS = frozenset({Kind.PRO_GOVERNMENT, Kind.ARMED_GROUP, Kind.COMPANY})

    name = models.CharField(_("name"), max_length=300, validators=[refuse_bidi_controls])
    aliases = models.TextField(
        _("aliases"), blank=True, help_text=_("Other names, one per line, in any language.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.UNKNOWN)
    country = CountryField(_("country"), blank=True)
    description = models.TextField(_("description"), blank=True)
    original_language = original_language_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PerpetratorGroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perpetrator group")
        verbose_name_plural = _("perpetrator groups")
        ordering = ["name"]
        indexes = [models.Index(fields=["country", "kind"], name="perpetrator_country_kind_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:perpetrator_detail", kwargs={"pk": self.pk})

    @property
    def display_name(self) -> str:
        """The name in the reader's language (from a ``shown_name`` annotation if any)."""
        return getattr(self, "shown_name", None) or self.localized().name.value

    @property
    def is_state_actor(self) -> bool:
        return self.kind in self.STATE_KINDS

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class OrganizationTranslation(TranslationBase):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the name as written."),
        validators=[refuse_bidi_controls],
    )
    about = models.TextField(_("about the organization"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("organization translation")
        verbose_name_plural = _("organization translations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "language"], name="one_organization_translation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.language})"


class PerpetratorGroupTranslation(TranslationBase):
    group = models.ForeignKey(
        PerpetratorGroup, on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(
        _("name"),
        max_length=300,
        blank=True,
        help_text=_("Empty: the name as written."),
        validators=[refuse_bidi_controls],
    )
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("perpetrator group translation")
        verbose_name_plural = _("perpetrator group translations")
        constraints = [
            models.UniqueConstraint(fields=["group", "language"], name="one_group_translation")
        ]

    def __str__(self) -> str:
        return f"{self.group} ({self.language})"
