"""Bidirectional control characters: refused in one-line texts, closed in long ones.

An embedding, override or isolate (U+202A-U+202E, U+2066-U+2069) changes the order in which
everything after it is displayed, up to its matching pop or the end of the paragraph:
"TXT.EXE" with a RIGHT-TO-LEFT OVERRIDE reads "EXE.TXT". Titles, names and references have
no use for them (a right-to-left title displays right to left without them), so forms and
the API refuse them there. Long texts keep what their authors typed, but each is shown
with whatever it leaves open closed at its end, so it cannot reorder what follows it on a
page or in a PDF. The invisible marks (U+200E, U+200F, U+061C), which reorder nothing
beyond their neighbours, stay allowed.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POP_EMBEDDING = "\u202c"  # POP DIRECTIONAL FORMATTING
POP_ISOLATE = "\u2069"  # POP DIRECTIONAL ISOLATE
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
BIDI_CONTROLS = EMBEDDINGS | ISOLATES | {POP_EMBEDDING, POP_ISOLATE}


def bidi_controls_in(value: str) -> list[str]:
    """The bidirectional control characters in ``value``, in order of first appearance."""
    return list(dict.fromkeys(char for char in value if char in BIDI_CONTROLS))


def refuse_bidi_controls(value: str) -> None:
    """Validator for one-line texts: no embedding, override or isolate characters."""
    if not isinstance(value, str):
        return
    found = bidi_controls_in(value)
    if found:
        char = found[0]
        raise ValidationError(
            _(
                "Remove the invisible direction control character (%(character)s) from this "
                "field: it changes the order in which the text is displayed."
            ),
            code="bidi_control",
            params={"character": f"U+{ord(char):04X} {unicodedata.name(char)}"},
        )


def close_bidi_controls(text: str) -> str:
    """``text`` followed by the pops that close whatever it leaves open, innermost first.

    Follows the matching rules of the Unicode Bidirectional Algorithm (X6a, X7): a pop
    isolate closes the last open isolate and the embeddings opened inside it; a pop
    formatting closes the last embedding unless an isolate was opened after it; unmatched
    pops do nothing. Paragraph ends are not counted: a pop with nothing open is ignored, so
    closing too much is harmless.
    """
    if not text:
        return text
    open_: list[str] = []
    for char in text:
        if char in EMBEDDINGS:
            open_.append(POP_EMBEDDING)
        elif char in ISOLATES:
            open_.append(POP_ISOLATE)
        elif char == POP_EMBEDDING:
            if open_ and open_[-1] == POP_EMBEDDING:
                open_.pop()
        elif char == POP_ISOLATE and POP_ISOLATE in open_:
            while open_.pop() != POP_ISOLATE:
                pass
    return text + "".join(reversed(open_))
