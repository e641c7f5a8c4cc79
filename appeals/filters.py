"""Filters on cases by their urgent appeals, for the case list, its API and statistics.

The incidents app, a floor below, cannot import appeals: ``AppealsConfig.ready`` adds these
to its FilterSet through ``incidents.hooks``, with their fields on the case list's form
(``appeals/public/_case_filters.html``, under "More filters").
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Appeal, AppealVersion


def filter_has_appeal(queryset: QuerySet, name: str, value: str) -> QuerySet:
    if not value:
        return queryset
    appeals = Appeal.objects.published().filter(incident=OuterRef("pk"))
    return queryset.filter(Exists(appeals) if value == "true" else ~Exists(appeals))


def filter_appeal_language(queryset: QuerySet, name: str, value: str) -> QuerySet:
    if not value:
        return queryset
    versions = AppealVersion.objects.published().filter(
        appeal__incident=OuterRef("pk"), language=value
    )
    return queryset.filter(Exists(versions))


def case_filters() -> dict[str, django_filters.Filter]:
    return {
        "has_appeal": django_filters.ChoiceFilter(
            label=_("Has an urgent appeal"),
            choices=[("true", _("Yes")), ("false", _("No"))],
            method=filter_has_appeal,
            empty_label=_("Either"),
            help_text=_("true or false."),
        ),
        "appeal_language": django_filters.ChoiceFilter(
            label=_("Appeal available in"),
            choices=settings.LANGUAGES,
            method=filter_appeal_language,
            help_text=_("Language code of a downloadable appeal PDF."),
        ),
    }
