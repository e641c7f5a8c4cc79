"""Texts written in one language and translated into others.

A translatable record (an incident, an update, an organization...) keeps its words in its
own fields, in its ``original_language``. Each translation is a row of its own model (for
example ``IncidentTranslation``), one per language, holding the same fields. Readers get
``record.localized()``: each field in their language when translated, else the original,
marked as such (``Text.is_fallback``) so pages can say "original in French" and give the
text its own ``lang`` attribute.

The original can be in any ISO 639-1 language (``casefile.languages``); translations are into
the interface languages (``LANGUAGE_CODES``) only, the ones a reader can ask for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.functional import lazy
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from casefile import languages

# The interface languages: what pages are shown in and what texts are translated into.
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# What a text can be written in: any ISO 639-1 language, the interface languages first.
ORIGINAL_LANGUAGE_CODES = languages.menu_order(LANGUAGE_CODES)


def reader_language() -> str:
    """The active interface language, reduced to one Casefile offers."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def in_reader_language(
    translations: models.QuerySet, field: str, *, owner: str, record: str, original: str
) -> Coalesce:
    """SQL for a text in the reader's language: the translation's when it has one, else the
    original. ``owner``: the translation's foreign key to its record; ``record``: the outer
    query's reference to the record's id; ``original``: the outer query's original text."""
    translated = translations.filter(**{owner: OuterRef(record), "language": reader_language()})
    return Coalesce(NullIf(Subquery(translated.values(field)[:1]), Value("")), F(original))


def language_name(code: str) -> str:
    """The language's name in the reader's language ("es" -> "Spanish"), for any ISO 639-1
    code; else Django's name for it, else the code."""
    name = languages.name_in(code, reader_language())
    if name:
        return name
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def text_direction(code: str) -> str:
    """ "rtl" for a language written right to left (Arabic, Persian, Hebrew...), "auto" for
    one written both ways (Kurdish), else "ltr"."""
    return languages.direction(code)


def _choice_label(code: str) -> str:
    # The autonym, which a writer of the language knows it by, with the reader's name for
    # it, which the person filling in the form may know it by instead.
    own, name = languages.autonym(code), language_name(code)
    return own if own.casefold() == name.casefold() else f"{own} ({name})"


choice_label = lazy(_choice_label, str)


def original_language_choices() -> list[tuple[str, Any]]:
    """Every language a text can be written in: "Español (Spanish)", the interface languages
    first. A callable, so migrations refer to it rather than copy the list."""
    return [(code, choice_label(code)) for code in ORIGINAL_LANGUAGE_CODES]


def original_language_field() -> models.CharField:
    return models.CharField(
        _("original language"),
        max_length=8,
        choices=original_language_choices,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the texts are written in; translations are added beside."),
    )


@dataclass(frozen=True)
class Text:
    """One text as shown: its words and the language they are in.

    ``is_fallback``: the reader's language has no translation, so this is the original.
    """

    value: str
    language: str
    is_fallback: bool = False

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


class Localized:
    """The translatable fields of one record, each as a ``Text`` in the reader's language.

    Fields are read when asked for, so a list that never shows a narrative never loads it.
    """

    def __init__(self, record: Translatable, translation: Any | None, language: str):
        self._record = record
        self._translation = translation
        self.language = language
        self.original_language = record.source_language

    def __getattr__(self, name: str) -> Text:
        if name.startswith("_") or name not in self._record.translatable_fields:
            raise AttributeError(name)
        value = getattr(self._translation, name, "") if self._translation is not None else ""
        if value:
            return Text(value, self.language)
        # Not translated: the original, marked when it is not what the reader asked for.
        original = self.original_language
        return Text(getattr(self._record, name), original, is_fallback=self.language != original)

    def untranslated_fields(self, names: tuple[str, ...] | None = None) -> list[str]:
        """The (non-empty) texts shown in the original for want of a translation."""
        names = names or self._record.translatable_fields
        return [
            name for name in names if getattr(self, name).value and getattr(self, name).is_fallback
        ]

    @property
    def has_fallback(self) -> bool:
        """Some non-empty text is shown in the original rather than the reader's language."""
        return bool(self.untranslated_fields())


class TranslationBase(models.Model):
    """A translation row: the fields of its record, in one language."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class Translatable:
    """Mixed into a model with ``translatable_fields`` and a ``translations`` relation."""

    translatable_fields: tuple[str, ...] = ()

    @property
    def source_language(self) -> str:
        return self.original_language

    def translation_in(self, language: str) -> Any | None:
        """The translation row in ``language``, from a prefetch when there is one."""
        for translation in self.translations.all():
            if translation.language == language:
                return translation
        return None

    def available_languages(self) -> list[str]:
        """The original language first, then every language translated into."""
        translated = sorted(t.language for t in self.translations.all())
        return [
            self.source_language,
            *[code for code in translated if code != self.source_language],
        ]

    def localized(self, language: str | None = None) -> Localized:
        language = language or reader_language()
        translation = None if language == self.source_language else self.translation_in(language)
        return Localized(self, translation, language)
