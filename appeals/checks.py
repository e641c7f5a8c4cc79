"""What an appeal still needs before it is published, in the words the reviewer reads.

One rule, asked in two places: the staff appeal page shows it as a checklist before the
reviewer clicks "Publish", and the workflow (``appeals.workflow``) refuses the step while
anything is missing, so no path (page, API, admin, command) publishes a half-written appeal.

An appeal is ready when it has an addressee, a deadline after the day it is published, and,
in each language it is written in, a title, a summary, the actions requested and every
section any of its languages has: a reader in Russian gets the whole appeal, not the
sections someone happened to translate.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from casefile.translatable import language_name

from .models import TEXT_SECTIONS, Appeal, AppealText

# The text's parts in the order they print; each language needs these whatever the others say.
SECTIONS = ("title", *TEXT_SECTIONS)
ALWAYS_NEEDED = frozenset({"title", "summary", "actions_requested"})


@dataclass(frozen=True)
class LanguageGaps:
    code: str
    name: str
    missing: list[str]


@dataclass(frozen=True)
class PublicationGaps:
    """What is missing: for the whole appeal, then per language (the original first)."""

    general: list[str] = field(default_factory=list)
    languages: list[LanguageGaps] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.general) or any(language.missing for language in self.languages)

    def messages(self) -> list[str]:
        """Each missing item as one line, the language named where it is one language's."""
        lines = list(self.general)
        for language in self.languages:
            lines += [
                _("%(language)s: %(item)s") % {"language": language.name, "item": item}
                for item in language.missing
            ]
        return lines


def section_label(name: str) -> str:
    return str(capfirst(AppealText._meta.get_field(name).verbose_name))


def publication_gaps(
    appeal: Appeal,
    *,
    on: datetime.date | None = None,
    texts: Iterable[AppealText] | None = None,
) -> PublicationGaps:
    """What ``appeal`` lacks to be published on the day ``on`` (today when left out).

    ``texts``: the appeal's texts when the caller has them loaded already.
    """
    on = on or timezone.localdate()
    general = []
    if not appeal.addressee_links.exists():
        general.append(_("Add at least one addressee: the authority the appeal is sent to."))
    if appeal.deadline is None:
        general.append(_("Set a deadline for action."))
    elif appeal.deadline <= on:
        general.append(
            _("The deadline for action (%(date)s) is not in the future: set a later one.")
            % {"date": date_format(appeal.deadline, "DATE_FORMAT")}
        )
    texts = {text.language: text for text in (appeal.texts.all() if texts is None else texts)}
    if appeal.original_language not in texts:
        general.append(
            _("Write the text in %(language)s, the appeal's original language.")
            % {"language": language_name(appeal.original_language)}
        )
    # A section written in any language is owed in every language of the appeal.
    needed = set(ALWAYS_NEEDED)
    for text in texts.values():
        needed |= {name for name in SECTIONS if getattr(text, name).strip()}
    languages = []
    # The original first: the checklist reads like the texts list on the appeal's page.
    for code in sorted(texts, key=lambda code: (code != appeal.original_language, code)):
        text = texts[code]
        missing = [
            _("write “%(section)s”") % {"section": section_label(name)}
            for name in SECTIONS
            if name in needed and not getattr(text, name).strip()
        ]
        languages.append(LanguageGaps(code, language_name(code), missing))
    return PublicationGaps(general, languages)


def language_gaps(appeal: Appeal, language: str) -> list[str]:
    """What the text in ``language`` lacks (its part of ``publication_gaps``)."""
    gaps = publication_gaps(appeal)
    return next((gap.missing for gap in gaps.languages if gap.code == language), [])


def refusal_message(gaps: PublicationGaps) -> str:
    """The one message a refused publication gives: every missing item, in order."""
    return _("The appeal cannot be published yet. Missing: %(items)s.") % {
        "items": "; ".join(gaps.messages())
    }
