"""Slugs that read well in an address bar, in every script.

Latin letters lose their accents ("Berta Cáceres" gives ``berta-caceres``, not
``berta-c%C3%A1ceres`` once a browser or a mail client has encoded it). Letters of other
scripts are kept whole, marks included: in Russian "й" is a letter of its own, not an
accented "и".
"""

from __future__ import annotations

import unicodedata

from django.utils.text import slugify


def readable_slug(text: str) -> str:
    kept: list[str] = []
    for character in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(character) and kept and kept[-1].isascii():
            continue  # an accent on a Latin letter
        kept.append(character)
    return slugify(unicodedata.normalize("NFKC", "".join(kept)), allow_unicode=True)
