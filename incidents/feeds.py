"""The Atom feed of newly published cases, optionally for some countries or statuses."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from casefile.text import close_bidi_controls

from . import vocabulary
from .filters import IncidentFilter
from .models import Incident

FEED_ITEMS = 50
# The feed follows a country or a status; the other filters belong to the case list.
FEED_FILTERS = ("country", "status")


class LatestCasesFeed(Feed):
    feed_type = Atom1Feed
    # A feed is public like the case list (LoginRequiredMiddleware reads this attribute).
    login_required = False
    description = gettext_lazy("Cases of attacks on human rights defenders, newest first.")

    def get_object(self, request: HttpRequest, *args, **kwargs) -> IncidentFilter:
        data = QueryDict(mutable=True)
        for name in FEED_FILTERS:
            data.setlist(name, request.GET.getlist(name))
        incident_filter = IncidentFilter(
            data, queryset=Incident.objects.published(), request=request
        )
        if not incident_filter.is_valid():
            raise BadRequest(incident_filter.form.errors.as_text())
        return incident_filter

    def _query(self, incident_filter: IncidentFilter) -> str:
        query = incident_filter.form.data.urlencode()
        return f"?{query}" if query else ""

    def title(self, incident_filter: IncidentFilter) -> str:
        cleaned = incident_filter.form.cleaned_data
        names = [str(countries.name(code)) for code in cleaned.get("country") or []]
        names += [vocabulary.statuses().get(slug, slug) for slug in cleaned.get("status") or []]
        if names:
            return _("Casefile: newly published cases (%(filter)s)") % {"filter": ", ".join(names)}
        return _("Casefile: newly published cases")

    def link(self, incident_filter: IncidentFilter) -> str:
        return reverse("incidents:list") + self._query(incident_filter)

    def feed_url(self, incident_filter: IncidentFilter) -> str:
        return reverse("incidents:feed") + self._query(incident_filter)

    def items(self, incident_filter: IncidentFilter):
        newest = incident_filter.matching.select_related("status").with_reader_translation()
        return newest.order_by("-published_at", "-pk")[:FEED_ITEMS]

    def item_title(self, item: Incident) -> str:
        return item.localized().title.value

    def item_description(self, item: Incident) -> str:
        # Atom readers treat the summary as HTML: the plain text is escaped first.
        return linebreaks(close_bidi_controls(item.localized().summary.value), autoescape=True)

    def item_link(self, item: Incident) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Incident):
        return item.published_at

    def item_updateddate(self, item: Incident):
        return max(item.published_at, item.updated_at)

    def item_categories(self, item: Incident) -> list[str]:
        return [item.status.display_name, str(item.country.name)]
