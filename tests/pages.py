"""Every page template, one address each, for the checks that read whole pages.

The HTML validity test (tests/test_html_valid.py) and the accessibility test
(tests/browser/test_accessibility.py) both walk these pages, in every interface language,
as a visitor and as each staff role. The material is built as tests/test_draft_never_public.py
builds its published side: a published case with an organization, a perpetrator group, a
source, a figure, an update and an issued appeal.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from casefile.roles import STAFF_ROLES
from incidents.models import ExportJob

from .factories import (
    AddresseeFactory,
    AppealFactory,
    FigureFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    SourceFactory,
    UpdateFactory,
    UserFactory,
)

LANGUAGES = [code for code, _ in settings.LANGUAGES]
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *STAFF_ROLES]
PASSWORD = "a long enough passphrase"


@dataclass(frozen=True)
class Page:
    template: str
    name: str
    kwargs: tuple = ()
    query: str = ""

    def path(self, language: str) -> str:
        with translation.override(language):
            return reverse(self.name, kwargs=dict(self.kwargs)) + self.query


def material() -> dict:
    """One of everything a page shows, published, and a user for each staff role."""
    organization = OrganizationFactory(name="Coalition Against Torture", acronym="CAT")
    group = PerpetratorGroupFactory(name="Kyrk Choro")
    incident = IncidentFactory(published=True, organizations=[organization])
    IncidentPerpetratorFactory(incident=incident, perpetrator_group=group)
    source = SourceFactory(incident=incident)
    FigureFactory(incident=incident, source=source)
    UpdateFactory(incident=incident)
    appeal = AppealFactory(incident=incident, published=True)
    addressee = AddresseeFactory()
    now = timezone.now()
    job = ExportJob.objects.create(
        token="t" * 43,
        key="k" * 64,
        export_format="csv",
        via="page",
        query="country=KG",
        language="en",
        state="running",
        attempts=1,
        started_at=now,
        progress_at=now,
        rows_written=12_500,
        estimated_total=50_000,
        expires_at=now + datetime.timedelta(hours=1),
    )
    users = {
        role: UserFactory(username=f"{role}-of-pages", password=PASSWORD, roles=[role])
        for role in STAFF_ROLES
    }
    return {
        "incident": incident,
        "organization": organization,
        "group": group,
        "appeal": appeal,
        "addressee": addressee,
        "export_job": job,
        "users": users,
    }


def public_pages(m: dict) -> list[Page]:
    incident, appeal = m["incident"], m["appeal"]
    return [
        Page("incidents/public/home.html", "incidents:home"),
        Page("incidents/public/case_list.html", "incidents:list"),
        Page("incidents/public/case_list.html (filtered)", "incidents:list", (), "?country=KG"),
        Page("incidents/public/statistics.html", "incidents:statistics"),
        Page("incidents/public/case_detail.html", "incidents:detail", (("slug", incident.slug),)),
        Page("incidents/public/export_job.html", "incidents:export_job", (("token", "t" * 43),)),
        Page(
            "organizations/public/organization_detail.html",
            "organizations:detail",
            (("pk", m["organization"].pk),),
        ),
        Page(
            "organizations/public/perpetrator_detail.html",
            "organizations:perpetrator_detail",
            (("pk", m["group"].pk),),
        ),
        Page(
            "appeals/public/appeal_detail.html",
            "appeals:public_detail",
            (("slug", appeal.reference_slug),),
        ),
        Page("account/login.html", "account_login"),
        # 404.html: a case that does not exist.
        Page("404.html", "incidents:detail", (("slug", "no-such-case"),)),
    ]


def staff_pages(m: dict) -> list[Page]:
    """Every staff screen; a role sees those it may open (the others answer 403 or 404)."""
    incident = (("pk", m["incident"].pk),)
    organization = (("pk", m["organization"].pk),)
    group = (("pk", m["group"].pk),)
    appeal = (("pk", m["appeal"].pk),)
    return [
        Page("incidents/staff/dashboard.html", "incidents:dashboard"),
        Page("incidents/staff/form.html (new)", "incidents:create"),
        Page("incidents/staff/detail.html", "incidents:staff_detail", incident),
        Page("incidents/staff/form.html (edit)", "incidents:edit", incident),
        Page(
            "incidents/staff/translate.html",
            "incidents:translate",
            (*incident, ("language", "ru")),
        ),
        Page("audit/history.html (case)", "incidents:history", incident),
        Page("organizations/staff/organization_list.html", "organizations:staff_list"),
        Page("organizations/staff/organization_form.html (new)", "organizations:create"),
        Page("organizations/staff/organization_form.html", "organizations:edit", organization),
        Page(
            "organizations/staff/translate.html",
            "organizations:translate",
            (*organization, ("language", "ru")),
        ),
        Page("organizations/staff/perpetrator_list.html", "organizations:perpetrator_staff_list"),
        Page("organizations/staff/perpetrator_form.html (new)", "organizations:perpetrator_create"),
        Page("organizations/staff/perpetrator_form.html", "organizations:perpetrator_edit", group),
        Page(
            "organizations/staff/translate.html (group)",
            "organizations:perpetrator_translate",
            (*group, ("language", "ru")),
        ),
        Page(
            "appeals/staff/appeal_form.html (new)",
            "appeals:create",
            (("incident_pk", m["incident"].pk),),
        ),
        Page("appeals/staff/detail.html", "appeals:staff_detail", appeal),
        Page("appeals/staff/appeal_form.html", "appeals:edit", appeal),
        Page("appeals/staff/text_form.html", "appeals:text", (*appeal, ("language", "en"))),
        Page("appeals/pdf/appeal.html", "appeals:staff_preview", (*appeal, ("language", "fr"))),
        Page("audit/history.html (appeal)", "appeals:history", appeal),
        Page("appeals/staff/addressee_list.html", "appeals:addressee_list"),
        Page("appeals/staff/addressee_form.html (new)", "appeals:addressee_create"),
        Page(
            "appeals/staff/addressee_form.html",
            "appeals:addressee_edit",
            (("pk", m["addressee"].pk),),
        ),
        Page("audit/trail.html", "audit:trail"),
        Page("accounts/security.html", "accounts:security"),
        Page("allauth/layouts/base.html (two factors)", "mfa_index"),
        Page("allauth/layouts/base.html (password)", "account_change_password"),
    ]
