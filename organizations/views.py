"""Public pages for organizations and perpetrator groups.

An organization or group is public only through a published incident, and its page
lists published incidents only, for every visitor (staff use the staff screens): the
name of a group that appears only in a draft can reveal an investigation in progress.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render

from incidents.models import Incident

from .models import Organization, PerpetratorGroup


@login_not_required
def organization_detail(request, pk: int):
    organization = get_object_or_404(Organization.objects.published(), pk=pk)
    incidents = (
        Incident.objects.published()
        .filter(organizations=organization)
        .with_listing_data()
        .order_by("-occurred_on", "-pk")
    )
    return render(
        request,
        "organizations/public/organization_detail.html",
        {"organization": organization, "incidents": incidents},
    )


@login_not_required
def perpetrator_detail(request, pk: int):
    group = get_object_or_404(PerpetratorGroup.objects.published(), pk=pk)
    incidents = (
        Incident.objects.published()
        .filter(perpetrator_links__perpetrator_group=group)
        .with_listing_data()
        .order_by("-occurred_on", "-pk")
    )
    return render(
        request,
        "organizations/public/perpetrator_detail.html",
        {"group": group, "incidents": incidents},
    )
