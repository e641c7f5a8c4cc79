"""Build an appeal's printable HTML from templates, and the PDF from that HTML.

Everything the PDF needs from the database (the letterhead's logo included) is read here,
so ``appeals.pdf`` gets HTML and bytes and touches no model.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language_info

from casefile.translatable import text_direction

from .models import SECTION_MAX_LENGTH, TEXT_SECTIONS, Appeal, AppealText, Letterhead
from .pdf import LOGO_PATH, Logo, RenderedPDF, html_to_pdf

TEMPLATE = "appeals/pdf/appeal.html"
log = logging.getLogger(__name__)


class AppealNotRenderable(Exception):
    """The appeal cannot be rendered as it stands; the message is for staff."""


@dataclass
class PrintableAppeal:
    html: str
    title: str
    subject: str
    author: str
    language: str
    logo: Logo | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.html.encode()).hexdigest()


def printable_appeal(appeal: Appeal, language: str, *, for_screen: bool = False) -> PrintableAppeal:
    text = appeal.texts.filter(language=language).first()
    if text is None:
        raise AppealNotRenderable(
            f"The appeal has no text in {get_language_info(language)['name']}."
        )
    _check_sizes(text)
    letterhead = Letterhead.current()
    # The logo is served to the PDF renderer only, not to browsers.
    logo = _read_logo(letterhead) if letterhead.logo and not for_screen else None
    incident = appeal.incident
    with translation.override(language):
        case_url = settings.SITE_URL + incident.get_absolute_url()
        context = {
            **text_context(appeal, text),
            "incident": incident,
            "language": language,
            "direction": text_direction(language),
            "letterhead": letterhead,
            "logo_url": LOGO_PATH if logo is not None else "",
            "organizations": list(incident.organizations.all()),
            "perpetrators": list(incident.perpetrator_links.select_related("perpetrator_group")),
            "violation_types": list(incident.violation_types.all()),
            "case_url": case_url,
            "issued_on": appeal.issued_on or timezone.localdate(),
            "for_screen": for_screen,
        }
        html = render_to_string(TEMPLATE, context)
    return PrintableAppeal(
        html=html,
        title=f"{appeal.reference or 'DRAFT'} {text.title}",
        subject=text.summary[:300],
        author=letterhead.organization_name,
        language=language,
        logo=logo,
    )


def text_context(appeal: Appeal, text: AppealText) -> dict[str, object]:
    """What ``appeals/_appeal_sections.html`` shows of one text: the printed appeal and the
    public page both carry the sections from it."""
    return {
        "appeal": appeal,
        "text": text,
        "addressees": [
            link.addressee for link in appeal.addressee_links.select_related("addressee")
        ],
    }


def render_pdf(printable: PrintableAppeal) -> RenderedPDF:
    return html_to_pdf(
        printable.html,
        title=printable.title,
        author=printable.author,
        subject=printable.subject,
        language=printable.language,
        logo=printable.logo,
    )


def _read_logo(letterhead: Letterhead) -> Logo | None:
    try:
        with letterhead.logo.open("rb") as logo:
            return Logo(name=letterhead.logo.name, content=logo.read())
    except OSError as error:
        # As when WeasyPrint itself failed to load it: the appeal prints, without the logo.
        log.warning("The letterhead logo %s could not be read: %s", letterhead.logo.name, error)
        return None


def _check_sizes(text: AppealText) -> None:
    for field in TEXT_SECTIONS:
        if len(getattr(text, field)) > SECTION_MAX_LENGTH:
            label = AppealText._meta.get_field(field).verbose_name
            raise AppealNotRenderable(
                f"The section “{label}” is longer than {SECTION_MAX_LENGTH} characters."
            )
