"""An appeal's long texts as paragraphs that each take their own direction.

An appeal in Arabic may quote a paragraph in English (and the other way round). Laid out
in the page's direction, "The incident took place in Bishkek." prints with its full stop
at the wrong end. Browsers settle that with ``dir="auto"``, but WeasyPrint ignores it and
``unicode-bidi: plaintext``, so the direction each paragraph would get from ``dir="auto"``
(its first strong letter, Unicode rule P2) is worked out here and written as ``dir="ltr"``
or ``dir="rtl"``: the PDF and the public page then read the same.
"""

from __future__ import annotations

import re
import unicodedata

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from casefile.text import POP_ISOLATE, close_bidi_controls

register = template.Library()

ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


@register.filter
def text_dir(value: str) -> str:
    """ "ltr" or "rtl" from the first strong letter of ``value`` (skipping isolated runs,
    as the Unicode rule does), else "auto": what ``dir="auto"`` gives it in a browser."""
    depth = 0
    for char in str(value or ""):
        if char in ISOLATE_OPENERS:
            depth += 1
        elif char == POP_ISOLATE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kind = unicodedata.bidirectional(char)
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
    return "auto"


@register.filter(needs_autoescape=True)
def paragraphs(value: str, autoescape: bool = True) -> SafeString:
    """``linebreaks`` with a direction per paragraph: ``<p dir="...">`` for each block
    separated by a blank line, ``<br>`` within one. Direction controls a paragraph leaves
    open are closed at its end, so they reorder nothing after it."""
    text = normalize_newlines(str(value or "")).strip("\n")
    if not text:
        return mark_safe("")
    escape = conditional_escape if autoescape else str
    blocks = [close_bidi_controls(block) for block in PARAGRAPH_BREAK.split(text)]
    return format_html_join(
        "\n",
        '<p dir="{}">{}</p>',
        (
            (text_dir(block), mark_safe("<br>".join(escape(line) for line in block.split("\n"))))  # noqa: S308 (each line escaped)
            for block in blocks
        ),
    )
