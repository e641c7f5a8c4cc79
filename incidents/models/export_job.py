"""A large export written in the background (incidents.export_jobs)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
