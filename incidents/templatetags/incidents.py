"""Case cards for the lists of cases, rendered once and kept; the cases of an organization
or a perpetrator group on its public page (the organizations app is a floor below, so its
pages get their cases from here)."""

import hashlib
from collections.abc import Iterable

from django import template
from django.core.cache import caches
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from incidents.models import Incident, IncidentPerpetrator
from incidents.vocabulary import statuses
from organizations.models import Organization, PerpetratorGroup

register = template.Library()

CASE_CARD = "incidents/public/case_list.html#case-card"


@register.simple_tag
def case_cards(incidents: Iterable) -> SafeString:
    """The cards of a list of cases (``with_listing_data()``), rendered once and kept.

    Rendering a card costs a millisecond; a page shows 50. Each card is kept in the
    ``fragments`` cache under a key made of everything it shows: the case's loaded row
    (its texts in the reader's language, organization names, state and update time), its
    status's name, the language, and the card's template and words. Any change gives a new
    key, so a kept card is never out of date, and nothing needs forgetting. Only published
    cases are kept: a draft's card is rendered and never stored (and its key, made of a
    draft's row, could never be a published case's).
    """
    incidents = list(incidents)
    if not incidents:
        return SafeString("")
    card = get_template(CASE_CARD)
    version = _card_version(card)
    status_names = statuses()
    keys = [_card_key(incident, version, status_names) for incident in incidents]
    fragments = caches["fragments"]
    kept = fragments.get_many([key for key in keys if key])
    cards, fresh = [], {}
    for key, incident in zip(keys, incidents, strict=True):
        html = kept.get(key) if key else None
        if html is None:
            html = card.render({"incident": incident})
            if key:
                fresh[key] = html
        cards.append(html)
    if fresh:
        fragments.set_many(fresh)
    return mark_safe("".join(cards))  # noqa: S308 (rendered by our template, autoescaped)


def _card_version(card) -> str:
    """What every card of this request shares: language, template, words, URL prefix."""
    # The whole page's template (a partial keeps no source), from the engine's cached loader.
    source = get_template(card.template.origin.template_name).template.source
    shared = (
        get_language(),
        source,
        gettext("Targeted:"),
        gettext("Original in %(language)s"),
        reverse("incidents:list"),
    )
    return hashlib.blake2b(repr(shared).encode(), digest_size=12).hexdigest()


def _card_key(incident, version: str, status_names: dict[str, str]) -> str | None:
    if not incident.is_published:
        return None
    # The loaded row: every field and annotation, in the query's order.
    row = tuple(value for name, value in vars(incident).items() if name[0] != "_")
    status = status_names.get(incident.status.slug, incident.status.name)
    digest = hashlib.blake2b(repr((row, status)).encode(), digest_size=16).hexdigest()
    updated = incident.updated_at.timestamp()
    return f"incidents:card:{get_language()}:{incident.pk}:{updated}:{version}:{digest}"


# The newest cases only: a group such as a national police force can have thousands. The
# page links to the case list, filtered, for all of them.
NEWEST_CASES = 20


@register.simple_tag
def newest_cases_of(record: Organization | PerpetratorGroup) -> dict:
    """The newest published cases of an organization or a perpetrator group, whether there
    are more, and the address of the case list filtered on it."""
    if isinstance(record, Organization):
        incidents, filter_name = Incident.objects.filter(organizations=record), "organization"
    else:
        links = IncidentPerpetrator.objects.filter(perpetrator_group=record)
        incidents = Incident.objects.filter(pk__in=links.values("incident"))
        filter_name = "perpetrator"
    newest = list(
        incidents.published()
        .with_listing_data()
        .order_by("-occurred_on", "-pk")[: NEWEST_CASES + 1]
    )
    return {
        "incidents": newest[:NEWEST_CASES],
        "more": len(newest) > NEWEST_CASES,
        "all_cases_url": reverse("incidents:list") + "?" + urlencode({filter_name: record.pk}),
    }
