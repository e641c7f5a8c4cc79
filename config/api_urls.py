"""The API: /api/v1/ (one router), its schema and docs, and API tokens.

Not language-prefixed: an API client's URLs do not change with the reader's language.
DRF marks its views ``login_not_required``; each endpoint decides who sees what.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from accounts.api_tokens import TokenCreateView, TokenLogoutAllView, TokenLogoutView
from appeals.api import AppealViewSet
from casefile.api.responses import not_found
from incidents.api.export_jobs import ExportJobDownloadView, ExportJobStatusView
from incidents.api.exports import IncidentExportView
from incidents.api.statuses import StatusViewSet
from incidents.api.views import IncidentViewSet
from organizations.api import OrganizationViewSet, PerpetratorGroupViewSet

app_name = "api"


# Swagger UI's page (drf-spectacular's template) carries one small inline <style> block;
# our policy allows exactly that block, by its hash, on this one view. Everything else it
# loads comes from our own static files (drf-spectacular-sidecar), never a CDN.
SWAGGER_INLINE_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
DOCS_CSP = {
    **settings.SECURE_CSP,
    "style-src": [*settings.SECURE_CSP["style-src"], SWAGGER_INLINE_STYLE],
}


class APIRootView(routers.APIRootView):
    """The endpoints of version 1 (see /api/docs/ for all of them)."""

    permission_classes = [AllowAny]
    schema = None


router = DefaultRouter()
router.APIRootView = APIRootView
router.register("incidents", IncidentViewSet, basename="incident")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("perpetrator-groups", PerpetratorGroupViewSet, basename="perpetrator-group")
router.register("statuses", StatusViewSet, basename="status")
router.register("appeals", AppealViewSet, basename="appeal")

urlpatterns = [
    # Before the router, whose incident detail route would take "export.csv" for a slug.
    path(
        "v1/incidents/export.csv",
        IncidentExportView.as_view(export_format="csv"),
        name="incident-export-csv",
    ),
    path(
        "v1/incidents/export.json",
        IncidentExportView.as_view(export_format="json"),
        name="incident-export-json",
    ),
    path(
        "v1/incidents/exports/<slug:token>/",
        ExportJobStatusView.as_view(),
        name="incident-export-job",
    ),
    path(
        "v1/incidents/exports/<slug:token>/download",
        ExportJobDownloadView.as_view(),
        name="incident-export-job-download",
    ),
    path("v1/auth/token/", TokenCreateView.as_view(), name="token"),
    path("v1/auth/logout/", TokenLogoutView.as_view(), name="token-logout"),
    path("v1/auth/logoutall/", TokenLogoutAllView.as_view(), name="token-logout-all"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        csp_override(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    # Anything else under /api/: a JSON 404 rather than the site's HTML page.
    re_path(r"^(?P<path>.*)$", login_not_required(not_found), name="not-found"),
]
