"""Public pages for organizations and perpetrator groups.

An organization or group is public only through a published incident, and its page
lists published incidents only, for every visitor (staff use the staff screens): the
name of a group that appears only in a draft can reveal an investigation in progress.
"""

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from incidents.models import Incident, IncidentPerpetrator

from .models import Organization, PerpetratorGroup

# The newest cases only: a group such as a national police force can have thousands. The
# page links to the case list, filtered, for all of them.
NEWEST_CASES = 20


def _newest(incidents: QuerySet[Incident], filter_name: str, pk: int) -> dict:
    newest = list(incidents.with_listing_data().order_by("-occurred_on", "-pk")[: NEWEST_CASES + 1])
    return {
        "incidents": newest[:NEWEST_CASES],
        "more_cases": len(newest) > NEWEST_CASES,
        "all_cases_url": reverse("incidents:list") + "?" + urlencode({filter_name: pk}),
    }


@login_not_required
def organization_detail(request, pk: int):
    organization = get_object_or_404(
        Organization.objects.published().prefetch_related("translations"), pk=pk
    )
    incidents = Incident.objects.published().filter(organizations=organization)
    return render(
        request,
        "organizations/public/organization_detail.html",
        {"organization": organization, **_newest(incidents, "organization", organization.pk)},
    )


@login_not_required
def perpetrator_detail(request, pk: int):
    group = get_object_or_404(
        PerpetratorGroup.objects.published().prefetch_related("translations"), pk=pk
    )
    incidents = Incident.objects.published().filter(
        pk__in=IncidentPerpetrator.objects.filter(perpetrator_group=group).values("incident")
    )
    return render(
        request,
        "organizations/public/perpetrator_detail.html",
        {"group": group, **_newest(incidents, "perpetrator", group.pk)},
    )
