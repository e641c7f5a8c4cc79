"""Appeal references in the style of defenders' organizations: ``KGZ 001 / 0519``.

ISO alpha-3 country code, a sequence number per country, the month and year of first
issue; a follow-up carries its original's reference with a suffix: ``KGZ 001 / 0519.1``.
A reference is allocated once, when the appeal is first published, inside the publishing
transaction: the per-country counter row (or, for a follow-up, the original appeal) is
locked so two reviewers publishing at once never get the same number.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from casefile.workflow import StepRefused

from .models import Appeal, ReferenceCounter


def format_reference(*, country: str, sequence: int, issued_on: datetime.date) -> str:
    return f"{country} {sequence:03d} / {issued_on:%m%y}"


def reference_slug(reference: str) -> str:
    return slugify(reference.replace(".", "-"))


def allocate_reference(appeal: Appeal, *, issued_on: datetime.date) -> None:
    """Give ``appeal`` its reference (no-op if it has one). Call inside a transaction.

    A follow-up before its original has a reference is refused (``StepRefused``): its
    reference is built on the original's."""
    if appeal.reference:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Allocate a reference inside the publishing transaction.")
    if appeal.follows_id:
        original = Appeal.objects.select_for_update().get(pk=appeal.follows_id)
        if not original.reference:
            # Read on the locked row: the original cannot be withdrawn or sent back meanwhile.
            raise StepRefused(
                _(
                    "Publish the urgent appeal this one follows up on first: "
                    "its reference comes first."
                )
            )
        last = original.follow_ups.aggregate(last=Max("follow_up_number"))["last"] or 0
        appeal.follow_up_number = last + 1
        appeal.reference = f"{original.reference}.{appeal.follow_up_number}"
    else:
        country = appeal.incident.country.alpha3 or "XXX"
        # Create the counter if this is the country's first appeal; a concurrent creator
        # loses quietly and both then queue on the row lock.
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(country=country)], ignore_conflicts=True
        )
        counter = ReferenceCounter.objects.select_for_update().get(country=country)
        counter.last_sequence += 1
        counter.save(update_fields=["last_sequence"])
        appeal.reference = format_reference(
            country=country, sequence=counter.last_sequence, issued_on=issued_on
        )
    appeal.reference_slug = reference_slug(appeal.reference)
    appeal.issued_on = issued_on
