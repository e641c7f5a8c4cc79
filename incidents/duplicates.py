"""Possible duplicates of a case being filed: the same event entered twice.

Staff file the same event from different reports (a news item today, an NGO's statement a
week later). Before a new case is saved, the editor sees the cases in the same country
within ``WINDOW_DAYS`` whose title or summary reads alike, drafts included, and decides.

On PostgreSQL "alike" is trigram similarity (``pg_trgm``, migration 0014): it tolerates
word order, endings and transliteration ("Bishkek", "Bichkek"). On SQLite (the zero-setup
run) the same window is compared with ``difflib`` in Python.
"""

from __future__ import annotations

import datetime
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models.functions import Greatest

from .models import Incident

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

WINDOW_DAYS = 60
# pg_trgm's own default threshold for "similar"; difflib's ratio runs higher for unrelated
# texts of one language, so the fallback asks for more.
SIMILARITY = 0.3
FALLBACK_SIMILARITY = 0.6
SHOWN = 5


def possible_duplicates(
    *,
    user: AbstractBaseUser,
    title: str,
    summary: str,
    country: str,
    occurred_on: datetime.date,
    exclude_pk: int | None = None,
) -> list[Incident]:
    """Up to ``SHOWN`` cases this user may see that may be the same event, most alike first."""
    window = datetime.timedelta(days=WINDOW_DAYS)
    nearby = (
        Incident.objects.visible_to(user)
        .filter(country=country, occurred_on__range=(occurred_on - window, occurred_on + window))
        .exclude(pk=exclude_pk)
    )
    if connection.vendor == "postgresql":
        return list(
            nearby.annotate(
                likeness=Greatest(
                    TrigramSimilarity("title", title),
                    TrigramSimilarity("summary", summary or title),
                )
            )
            .filter(likeness__gte=SIMILARITY)
            .order_by("-likeness", "-occurred_on")[:SHOWN]
        )
    scored = []
    for incident in nearby.only("pk", "title", "summary", "occurred_on", "slug")[:500]:
        likeness = max(_ratio(title, incident.title), _ratio(summary or title, incident.summary))
        if likeness >= FALLBACK_SIMILARITY:
            scored.append((likeness, incident))
    scored.sort(key=lambda pair: -pair[0])
    return [incident for _likeness, incident in scored[:SHOWN]]


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio() if a and b else 0.0
