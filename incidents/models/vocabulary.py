"""The controlled vocabularies a case is described with: statuses and violation types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from casefile.text import refuse_bidi_controls
from casefile.translatable import Translatable, TranslationBase, original_language_field


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
        from ..vocabulary import statuses

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
