"""The sitemap of public pages, in every language with hreflang alternates.

Each section starts from a ``published()`` queryset: a sitemap that listed a draft's
address would announce the case even though its page answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse

from appeals.models import Appeal
from organizations.models import Organization, PerpetratorGroup

from .models import Incident


class PublicSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["incidents:home", "incidents:list", "incidents:statistics"]

    def location(self, item: str) -> str:
        return reverse(item)


class IncidentSitemap(PublicSitemap):
    def items(self):
        return Incident.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item: Incident):
        return item.updated_at


class OrganizationSitemap(PublicSitemap):
    def items(self):
        return Organization.objects.published().order_by("pk").only("pk")


class PerpetratorGroupSitemap(PublicSitemap):
    def items(self):
        return PerpetratorGroup.objects.published().order_by("pk").only("pk")


class AppealSitemap(PublicSitemap):
    def items(self):
        return Appeal.objects.published().order_by("pk")

    def location(self, item: Appeal) -> str:
        # get_absolute_url is the staff page; the sitemap lists the public one.
        return item.get_public_url()


SITEMAPS = {
    "pages": PageSitemap,
    "cases": IncidentSitemap,
    "organizations": OrganizationSitemap,
    "perpetrators": PerpetratorGroupSitemap,
    "appeals": AppealSitemap,
}


@login_not_required
def sitemap(request):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS)
