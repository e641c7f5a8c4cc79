"""Public pages for organizations and perpetrator groups.

An organization or group is public only through a published incident
(``OrganizationQuerySet.published``). Its page lists its newest published cases for every
visitor (staff use the staff screens); the list comes from the incidents app, one floor up,
through its ``newest_cases_of`` template tag.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render

from .models import Organization, PerpetratorGroup


@login_not_required
def organization_detail(request, pk: int):
    organization = get_object_or_404(
        Organization.objects.published().prefetch_related("translations"), pk=pk
    )
    return render(
        request, "organizations/public/organization_detail.html", {"organization": organization}
    )


@login_not_required
def perpetrator_detail(request, pk: int):
    group = get_object_or_404(
        PerpetratorGroup.objects.published().prefetch_related("translations"), pk=pk
    )
    return render(request, "organizations/public/perpetrator_detail.html", {"group": group})
