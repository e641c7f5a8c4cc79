from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casefile.publication import PublicationState, Publishable
from casefile.text import refuse_bidi_controls
from incidents.models import Incident

from .querysets import AddresseeQuerySet, AppealQuerySet, AppealVersionQuerySet

# A cap on each section keeps a pathological appeal from tying up a worker for minutes.
SECTION_MAX_LENGTH = 20_000
# An appeal text's long parts, in the order they print (its title comes first).
TEXT_SECTIONS = (
    "summary",
    "situation",
    "about_defenders",
    "background",
    "concerns",
    "actions_requested",
    "model_letter",
)


def section_field(label, *, blank: bool = True, help_text: str = ""):
    return models.TextField(
        label, blank=blank, help_text=help_text, validators=[MaxLengthValidator(SECTION_MAX_LENGTH)]
    )


class Letterhead(models.Model):
    """The sign-off block of every appeal: who is writing. One row, edited by an admin."""

    organization_name = models.CharField(
        _("organization name"), max_length=200, validators=[refuse_bidi_controls]
    )
    address = models.TextField(_("postal address"), blank=True)
    contact = models.TextField(_("contact"), blank=True, help_text=_("Email, phone, Signal."))
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="letterhead/", blank=True)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterhead")

    def __str__(self) -> str:
        return self.organization_name

    @classmethod
    def current(cls) -> Letterhead:
        letterhead = cls.objects.order_by("pk").first()
        return letterhead or cls(organization_name=settings.SITE_NAME)


class Addressee(models.Model):
    """An authority appeals are addressed to; the same minister is written to many times."""

    honorific = models.CharField(
        _("honorific"), max_length=60, blank=True, validators=[refuse_bidi_controls]
    )
    name = models.CharField(_("name"), max_length=200, validators=[refuse_bidi_controls])
    position = models.CharField(
        _("position"), max_length=200, blank=True, validators=[refuse_bidi_controls]
    )
    institution = models.CharField(
        _("institution"), max_length=200, blank=True, validators=[refuse_bidi_controls]
    )
    country = models.CharField(_("country code"), max_length=2, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    fax = models.CharField(_("fax"), max_length=60, blank=True, validators=[refuse_bidi_controls])
    salutation = models.CharField(
        _("salutation"),
        max_length=200,
        blank=True,
        help_text=_("For example: Your Excellency,"),
        validators=[refuse_bidi_controls],
    )

    objects = AddresseeQuerySet.as_manager()

    class Meta:
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        ordering = ["name"]

    def __str__(self) -> str:
        label = " ".join(part for part in (self.honorific, self.name) if part)
        return f"{label}, {self.position}" if self.position else label


class ReferenceCounter(models.Model):
    """The last appeal sequence number used for a country (ISO alpha-3)."""

    country = models.CharField(max_length=3, primary_key=True)
    last_sequence = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.country} {self.last_sequence:03d}"


class Appeal(Publishable, models.Model):
    """An urgent appeal about one incident; its texts, one per language, are AppealText."""

    class Kind(models.TextChoices):
        URGENT_APPEAL = "urgent_appeal", _("Urgent appeal")
        NEW_INFORMATION = "new_information", _("New information")
        CASE_CLOSED = "case_closed", _("Case closed")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="appeals"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.URGENT_APPEAL)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows up on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text=_("The urgent appeal this one updates."),
    )
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES
    )
    # Allocated on first publication: "KGZ 001 / 0519", a follow-up "KGZ 001 / 0519.1".
    # NULL until issued: unique among issued appeals, any number of drafts without one.
    reference = models.CharField(  # noqa: DJ001
        _("reference"), max_length=40, unique=True, null=True, validators=[refuse_bidi_controls]
    )
    reference_slug = models.SlugField(max_length=40, unique=True, null=True)  # noqa: DJ001
    follow_up_number = models.PositiveSmallIntegerField(default=0)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    deadline = models.DateField(_("deadline for action"), null=True, blank=True)
    addressees = models.ManyToManyField(
        Addressee, verbose_name=_("addressees"), through="AppealAddressee", blank=True
    )
    publication_state = models.CharField(
        _("publication state"),
        max_length=20,
        choices=PublicationState,
        default=PublicationState.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["publication_state", "published_at"])]

    def __str__(self) -> str:
        return self.reference or _("Appeal (draft) about %(incident)s") % {
            "incident": self.incident.title
        }

    def get_absolute_url(self) -> str:
        return reverse("appeals:staff_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("appeals:public_detail", args=[self.reference_slug])

    @property
    def root(self) -> Appeal:
        return self.follows or self

    @property
    def is_published(self) -> bool:
        """What ``AppealQuerySet.published()`` says of this appeal, from loaded fields.

        Reads ``self.incident``: load it with the appeal (``select_related``).
        """
        return super().is_published and self.reference is not None and self.incident.is_published


class AppealText(models.Model):
    """An appeal's words in one language, section by section, in the order they print."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300, validators=[refuse_bidi_controls])
    summary = section_field(_("summary"), blank=False)
    situation = section_field(
        _("the situation"), help_text=_("For new information: what has happened since.")
    )
    about_defenders = section_field(_("about the defenders or organization at risk"))
    background = section_field(_("background"))
    concerns = section_field(_("concerns"))
    actions_requested = section_field(
        _("actions requested"),
        help_text=_("One demand per line, in order: what to ask the authorities for."),
    )
    model_letter = section_field(_("model letter"))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal text")
        verbose_name_plural = _("appeal texts")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "language"], name="one_text_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    @property
    def requested_actions(self) -> list[str]:
        return [line.strip() for line in self.actions_requested.splitlines() if line.strip()]


class AppealAddressee(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="addressee_links")
    addressee = models.ForeignKey(
        Addressee, verbose_name=_("addressee"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "addressee"], name="addressee_once_per_appeal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.addressee}"


class AppealEvent(models.Model):
    """Who moved an appeal through the workflow, or asked for a PDF, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        SUBMITTED = "submitted", _("submitted for review")
        PUBLISHED = "published", _("published")
        SENT_BACK = "sent_back", _("sent back")
        WITHDRAWN = "withdrawn", _("withdrawn")
        RENDER_REQUESTED = "render_requested", _("PDF requested")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
    from_state = models.CharField(max_length=20, choices=Appeal.State, blank=True)
    to_state = models.CharField(max_length=20, choices=Appeal.State, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class AppealVersion(models.Model):
    """One rendered PDF of an appeal in one language. Old versions stay downloadable."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="versions")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    number = models.PositiveIntegerField(_("version"))
    # A name in the private "appeals" storage (settings.STORAGES), looked up at each use.
    file_name = models.CharField(max_length=200)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the rendered HTML.")
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    # Set in the same transaction as sha256, after the stored bytes were read back and hashed.
    ready_at = models.DateTimeField(null=True, blank=True)

    objects = AppealVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "language", "number"], name="version_number_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal} {self.language} v{self.number}"

    def open(self):
        return storages["appeals"].open(self.file_name, "rb")

    @property
    def public_name(self) -> str:
        """The content-hashed file name in the public location (served by the web server)."""
        return f"{self.appeal.reference_slug}-{self.language}-v{self.number}-{self.sha256[:16]}.pdf"

    @property
    def download_name(self) -> str:
        reference = (self.appeal.reference or "appeal").replace(" / ", "-").replace(" ", "-")
        return f"{reference}-{self.language}-v{self.number}.pdf"

    def get_public_url(self) -> str:
        return reverse(
            "appeal_files:version_pdf",
            args=[self.appeal.reference_slug, self.language, self.number],
        )


class RenderJob(models.Model):
    """A request to render one appeal in one language; the Celery task only gets its id."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    ACTIVE_STATES = (State.QUEUED, State.RENDERING)

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="render_jobs")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    state = models.CharField(max_length=12, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    version = models.ForeignKey(
        AppealVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "queued_at"])]
        constraints = [
            # At most one queued or rendering job per appeal and language.
            models.UniqueConstraint(
                fields=["appeal", "language"],
                condition=models.Q(state__in=["queued", "rendering"]),
                name="one_active_render_per_language",
            )
        ]

    def __str__(self) -> str:
        return f"render {self.appeal_id}/{self.language}: {self.state}"
