"""The audit trail links an event to its record's staff page, as each app registered it
(casefile.audit.pages, filled in AppConfig.ready): the audit trail names no app."""

import pytest
from django.urls import reverse

from casefile.audit.models import AuditEvent
from casefile.audit.pages import object_pages

pytestmark = pytest.mark.django_db


def test_the_trail_links_cases_and_appeals_to_their_staff_pages(reviewer_client):
    for object_type, object_id in [
        ("incidents.incident", "7"),
        ("appeals.appeal", "8"),
        ("organizations.organization", "9"),
        ("appeals.appeal", "not-a-number"),
    ]:
        AuditEvent.objects.create(
            action=AuditEvent.Action.DELETED, object_type=object_type, object_id=object_id
        )

    rows = reviewer_client.get(reverse("audit:trail")).context["rows"]

    pages = {(row["event"].object_type, row["event"].object_id): row["object_page"] for row in rows}
    assert pages == {
        ("incidents.incident", "7"): reverse("incidents:staff_detail", args=[7]),
        ("appeals.appeal", "8"): reverse("appeals:staff_detail", args=[8]),
        ("organizations.organization", "9"): "",
        ("appeals.appeal", "not-a-number"): "",
    }


def test_the_apps_register_their_pages():
    assert object_pages == {
        "incidents.incident": "incidents:staff_detail",
        "appeals.appeal": "appeals:staff_detail",
    }
