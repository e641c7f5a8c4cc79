"""Public pages: the home page, the case list and the case page.

Every query here starts from ``Incident.objects.published()``, for every visitor, staff
included. A staff member who opens the public address of a draft gets the same 404 as
anyone else: a public page that renders unpublished material for some users is one
template mistake (a cached fragment, a shared link, a screenshot) away from leaking it.
Staff read unpublished cases on their own page, ``incidents:staff_detail``.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .filters import IncidentFilter
from .models import Incident

HOME_CASES = 10
CASES_PER_PAGE = 20


def _get_public_incident(slug: str) -> Incident:
    return get_object_or_404(Incident.objects.published().select_related("status"), slug=slug)


@login_not_required
def home(request):
    incidents = (Incident.objects.published().with_listing_data().order_by("-published_at", "-pk"))[
        :HOME_CASES
    ]
    return render(
        request,
        "incidents/public/home.html",
        {"incidents": incidents, "published_count": Incident.objects.published().count()},
    )


@login_not_required
def case_list(request):
    # The public list shows what an anonymous visitor sees, whoever asks (see above).
    incident_filter = IncidentFilter(
        request.GET, queryset=Incident.objects.published(), request=request
    )
    incidents = incident_filter.qs.with_listing_data().order_by("-occurred_on", "-pk")
    page = Paginator(incidents, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/public/case_list.html",
        {
            "filter": incident_filter,
            "page_obj": page,
            "incidents": page.object_list,
            "is_filtered": any(
                value for name in incident_filter.filters for value in request.GET.getlist(name)
            ),
        },
    )


@login_not_required
def case_detail(request, slug: str):
    incident = _get_public_incident(slug)
    # Related rows are read through the incident that passed the gate above.
    return render(
        request,
        "incidents/public/case_detail.html",
        {
            "incident": incident,
            "organizations": incident.organizations.all(),
            "perpetrator_links": incident.perpetrator_links.select_related("perpetrator_group"),
            "violation_types": incident.violation_types.all(),
            "figures": incident.figures.select_related("source").order_by("counted", "as_of", "pk"),
            "updates": incident.updates.select_related("status").order_by("-date", "-pk"),
            "sources": incident.sources.all(),
        },
    )
