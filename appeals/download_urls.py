"""Download URLs: no language prefix, so a reference's URL is the same for every reader."""

from django.conf import settings
from django.urls import path, re_path

from casefile.translatable import LANGUAGE_CODES

from . import views

LANGUAGE = "|".join(LANGUAGE_CODES)
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"

app_name = "appeal_files"

urlpatterns = [
    re_path(rf"^appeals/(?P<slug>{SLUG})\.pdf$", views.latest_pdf, name="latest_pdf"),
    re_path(
        rf"^appeals/(?P<slug>{SLUG})\.(?P<language>{LANGUAGE})\.pdf$",
        views.latest_pdf,
        name="latest_pdf_in",
    ),
    re_path(
        rf"^appeals/(?P<slug>{SLUG})/(?P<language>{LANGUAGE})/v(?P<number>[0-9]{{1,6}})\.pdf$",
        views.version_pdf,
        name="version_pdf",
    ),
    path(
        settings.PUBLIC_APPEALS_URL.lstrip("/") + "<str:name>",
        views.public_file,
        name="public_file",
    ),
]
