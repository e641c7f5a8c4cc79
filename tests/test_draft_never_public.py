"""Nothing unpublished reaches an anonymous visitor, on any public URL.

Public URLs are found, not listed: every URL pattern whose view is marked
``login_not_required`` is walked, in every language, with the ids and slugs of
unpublished material. A new public pattern with a parameter this test does not know
how to fill makes it fail, so the walk cannot silently miss a page.
"""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from appeals.models import Appeal, AppealVersion
from incidents.models import ExportJob, Incident

from .factories import (
    AppealFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    SourceFactory,
    UpdateFactory,
    UserFactory,
)

# Parts of Django itself that are public but show no case data.
IGNORED_NAMESPACES = {"admin"}
EXPECTED_PUBLIC_PAGES = {
    "incidents:home",
    "incidents:list",
    "incidents:detail",
    "organizations:detail",
    "organizations:perpetrator_detail",
    "appeals:public_detail",
    "appeal_files:latest_pdf",
    "appeal_files:latest_pdf_in",
    "appeal_files:version_pdf",
    "appeal_files:public_file",
    "incidents:statistics",
    "incidents:feed",
    "incidents:export_csv",
    "incidents:export_json",
    "sitemap",
    "sitemap_pages",
    "sitemap_section",
}
APPEAL_URLS = {
    "appeals:public_detail": lambda v: {"slug": v.appeal.reference_slug},
    "appeal_files:latest_pdf": lambda v: {"slug": v.appeal.reference_slug},
    "appeal_files:latest_pdf_in": lambda v: {"slug": v.appeal.reference_slug, "language": "fr"},
    "appeal_files:version_pdf": lambda v: {
        "slug": v.appeal.reference_slug,
        "language": v.language,
        "number": v.number,
    },
    "appeal_files:public_file": lambda v: {"name": v.public_name},
}


# The API (config/api_urls.py). Its routes are regular expressions, whose parameters the
# walk cannot see: they are filled by name here, and a new API route fails the walk too.
API_LISTS = {
    "api:api-root": [""],
    "api:incident-list": [
        "",
        "?q=SECRET",
        "?q=SECRETDRAFT&ordering=relevance",
        "?country=KG&year=2019",
        "?status=harassment-and-intimidation",
        "?ordering=date",
        "?page_size=200",
    ],
    "api:incident-export-csv": ["", "?q=SECRET", "?country=KG"],
    "api:incident-export-json": ["", "?q=SECRET", "?country=KG"],
    "api:organization-list": ["", "?q=SECRET"],
    "api:perpetrator-group-list": ["", "?q=SECRET"],
    "api:status-list": [""],
    "api:appeal-list": ["", "?page_size=200"],
    "api:schema": ["", "?format=json"],
    "api:docs": ["", "?script="],
    # POST only; GET answers 405, or 401 where a token is required first.
    "api:token": [""],
    "api:token-logout": [""],
    "api:token-logout-all": [""],
}
API_DETAILS = {
    "api:incident-detail": lambda m: [value for i in m["incidents"] for value in (i.pk, i.slug)],
    "api:organization-detail": lambda m: [o.pk for o in m["organizations"]],
    "api:perpetrator-group-detail": lambda m: [g.pk for g in m["groups"]],
    "api:appeal-detail": lambda m: [
        value for v in m["appeal_versions"] for value in (v.appeal.pk, v.appeal.reference_slug)
    ],
    "api:status-detail": lambda m: ["secret-status"],
}
API_LOOKUPS = {"api:incident-detail": "id", "api:status-detail": "slug"}
# Logging out of the API needs a token: 401 before anything else.
EXTRA_STATUSES = {"api:token-logout": {401}, "api:token-logout-all": {401}}
# API lists whose filters name records: an unpublished one is refused (400) like an unknown.
API_FILTERED = {"api:incident-list", "api:incident-export-csv", "api:incident-export-json"}


def public_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in IGNORED_NAMESPACES:
                continue
            child = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_patterns(entry, child)
        elif entry.name and getattr(entry.callback, "login_required", True) is False:
            yield f"{namespace}{entry.name}", sorted(entry.pattern.converters)


@pytest.fixture
def unpublished_material():
    """One of each way of not being public, each with a secret marker in its text."""
    states = {
        "DRAFT": {},
        "INREVIEW": {"in_review": True},
        "WITHDRAWN": {"withdrawn": True},
        "EMBARGOED": {
            "publication_state": Incident.State.PUBLISHED,
            "published_at": timezone.now() + datetime.timedelta(days=3),
        },
    }
    incidents, organizations, groups = [], [], []
    for marker, traits in states.items():
        secret = f"SECRET{marker}"
        organization = OrganizationFactory(name=f"{secret} organization", acronym=secret)
        incident = IncidentFactory(
            title=f"{secret} case",
            slug=f"secret-{marker.lower()}",
            summary=f"{secret} summary",
            organizations=[organization],
            **traits,
        )
        group = PerpetratorGroupFactory(name=f"{secret} group")
        IncidentPerpetratorFactory(incident=incident, perpetrator_group=group)
        SourceFactory(incident=incident, title=f"{secret} source")
        UpdateFactory(incident=incident, title=f"{secret} update")
        incidents.append(incident)
        organizations.append(organization)
        groups.append(group)
    # A published case next to them, sharing a perpetrator group with nothing secret in it.
    published = IncidentFactory(published=True, title="Public case", slug="public-case")
    IncidentPerpetratorFactory(incident=published)
    # Appeals: issued appeals of each unpublished incident, and a draft, an in-review and a
    # withdrawn appeal of the published one; each with a ready PDF version.
    appeals = [AppealFactory(incident=incident, published=True) for incident in incidents]
    for state in (Appeal.State.DRAFT, Appeal.State.IN_REVIEW, Appeal.State.WITHDRAWN):
        appeal = AppealFactory(incident=published, published=True)
        Appeal.objects.filter(pk=appeal.pk).update(publication_state=state)
        appeals.append(appeal)
    versions = [ready_version(appeal) for appeal in appeals]
    return {
        "incidents": incidents,
        "organizations": organizations,
        "groups": groups,
        "appeal_versions": versions,
        "export_job": staff_export_job(),
    }


def staff_export_job():
    """A staff member's large API export, ready: its file holds unpublished cases."""
    content = b"id,title\r\n1,SECRETDRAFT case\r\n"
    name = storages["exports"].save("1-1.csv", ContentFile(content))
    return ExportJob.objects.create(
        token="s" * 43,
        key="0" * 64,
        export_format="csv",
        via="api",
        language="en",
        owner=UserFactory(roles=["researcher"]),
        state="ready",
        attempts=1,
        rows_written=1,
        unpublished_rows=1,
        file_name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )


def ready_version(appeal):
    """A stored, hashed PDF version, as a render would leave it."""
    content = b"%PDF-1.7 SECRETPDF"
    name = storages["appeals"].save(f"{appeal.pk}/fr/v1.pdf", ContentFile(content))
    return AppealVersion.objects.create(
        appeal=appeal,
        language="fr",
        number=1,
        file_name=name,
        content_hash="0" * 64,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        page_count=1,
        ready_at=timezone.now(),
    )


def argument_values(name, converters, material):
    """Every way to point this URL at unpublished material."""
    if name in APPEAL_URLS:
        return [
            (reverse(name, kwargs=APPEAL_URLS[name](version)), "")
            for version in material["appeal_versions"]
        ]
    if name in API_LISTS:
        hidden = [
            f"?organization={material['organizations'][0].pk}",
            f"?perpetrator={material['groups'][0].pk}",
        ]
        extra = hidden if name in API_FILTERED else []
        return [(reverse(name), query) for query in API_LISTS[name] + extra]
    if name in API_DETAILS:
        return [
            (reverse(name, kwargs={API_LOOKUPS.get(name, "pk"): value}), "")
            for value in API_DETAILS[name](material)
        ]
    if name == "api:not-found":
        return [(reverse(name, kwargs={"path": "v1/secret-draft/"}), "")]
    if not converters:
        queries = ["", "?country=KG", "?year=2019", "?status=harassment-and-intimidation"]
        # Research filters: searches that match the secret texts, and the ids of
        # organizations and groups known only from unpublished cases.
        queries += [
            "?q=case",
            "?q=summary&ordering=relevance",
            "?ordering=date",
            "?has_appeal=true",
        ]
        queries += ["?appeal_language=fr", "?perpetrator_kind=non_state", "?country=KG&cursor=x"]
        queries += [f"?organization={o.pk}" for o in material["organizations"]]
        queries += [f"?perpetrator={g.pk}" for g in material["groups"]]
        return [(reverse(name), query) for query in queries]
    if name == "sitemap_section":
        from casefile.sitemaps import SECTIONS

        return [
            (reverse(name, kwargs={"section": section, "number": 1}), "") for section in SECTIONS
        ]
    if converters == ["slug"]:
        return [(reverse(name, kwargs={"slug": i.slug}), "") for i in material["incidents"]]
    if converters == ["token"]:  # a large export's page, progress, status and file
        return [(reverse(name, kwargs={"token": material["export_job"].token}), "")]
    if converters == ["pk"]:
        objects = material["incidents"] + material["organizations"] + material["groups"]
        return [(reverse(name, kwargs={"pk": obj.pk}), "") for obj in objects]
    pytest.fail(f"public URL {name} takes {converters}: teach this test to fill them")


def test_walk_finds_every_public_page():
    assert {name for name, _ in public_patterns()} >= EXPECTED_PUBLIC_PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_no_public_url_shows_unpublished_material(client, unpublished_material, language):
    checked = 0
    with translation.override(language):
        for name, converters in public_patterns():
            for path, query in argument_values(name, converters, unpublished_material):
                response = client.get(path + query)
                # 400: a filter naming something unknown or unpublished (exports, the feed).
                allowed = {200, 302, 400, 404, 405} | EXTRA_STATUSES.get(name, set())
                assert response.status_code in allowed, (path, response.status_code)
                content = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                body = content.decode() + response.get("Location", "")
                assert "SECRET" not in body, f"{path}{query} shows unpublished material"
                # Addresses give a case away too (the sitemap lists them).
                assert "secret-" not in body, f"{path}{query} shows an unpublished address"
                by_record = converters in (["slug"], ["token"])
                if by_record or name in APPEAL_URLS or name in API_DETAILS:
                    assert response.status_code == 404, path
                checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_organization_and_group_pages_of_unpublished_material_are_404(client, unpublished_material):
    for organization in unpublished_material["organizations"]:
        assert client.get(organization.get_absolute_url()).status_code == 404
    for group in unpublished_material["groups"]:
        assert client.get(group.get_absolute_url()).status_code == 404
    for incident in unpublished_material["incidents"]:
        assert client.get(incident.get_absolute_url()).status_code == 404
