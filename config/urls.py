from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from accounts.urls import allauth_patterns
from accounts.views import admin_login, admin_password_change
from casefile.sitemaps import sitemap_index, sitemap_pages, sitemap_section
from incidents.converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon">.
    # The hashed name is looked up per request: the manifest may not exist at import.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    # The admin's own login form knows no second factor: everyone logs in through ours.
    path("admin/login/", admin_login),
    path("admin/password_change/", admin_password_change),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    # Visitors choose their language without an account.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Appeal PDFs: /appeals/<reference>.pdf, the same for readers of every language.
    path("", include("appeals.download_urls")),
    path("favicon.ico", favicon),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-pages.xml", sitemap_pages, name="sitemap_pages"),
    path("sitemap-<slug:section>-<int:number>.xml", sitemap_section, name="sitemap_section"),
]

# Public pages and staff screens carry the language in the URL: /en/cases/..., /fr/cases/...
urlpatterns += i18n_patterns(
    path("", include("incidents.urls")),
    path("", include("organizations.urls")),
    path("", include("appeals.urls")),
    path("", include("casefile.audit.urls")),
    path("accounts/", include(allauth_patterns)),
    path("accounts/", include("accounts.urls")),
)
