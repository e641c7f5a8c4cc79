"""What every page carries: its title with the site's name, an icon, and staff times that
read as a person would say them."""

import datetime
import re

import pytest
from django.utils import timezone

from incidents.models import Incident

from ..factories import IncidentFactory

pytestmark = pytest.mark.django_db


def title(response) -> str:
    text = response.content.decode()
    return text[text.index("<title>") + 7 : text.index("</title>")]


def test_a_page_title_names_the_page_then_the_site(client):
    assert title(client.get("/en/")) == "Home · Casefile"
    assert title(client.get("/en/cases/")) == "Cases · Casefile"


def test_the_site_name_is_the_organization_s_own(client, settings):
    settings.SITE_NAME = "Observatoire des défenseurs"

    page = client.get("/en/")

    assert title(page) == "Home · Observatoire des défenseurs"
    assert 'class="navbar-brand fw-bold"' in page.text
    assert ">Observatoire des défenseurs</a>" in page.text


def test_the_icon_browsers_ask_for_is_found(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert 'rel="icon"' in client.get("/en/").text


def test_a_case_changed_seconds_ago_was_changed_just_now(client, editor):
    IncidentFactory(title="Meeting disrupted in Bishkek")
    older = IncidentFactory(title="Lawyer summoned")
    Incident.objects.filter(pk=older.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=5, seconds=5)
    )
    client.force_login(editor)

    page = client.get("/en/staff/").text

    assert "just now" in page
    assert "5\xa0minutes ago" in page
    assert "0\xa0minutes ago" not in page


def test_machine_readable_times_are_valid_html(client):
    incident = IncidentFactory(published=True)

    page = client.get(incident.get_absolute_url()).text

    stamps = re.findall(r'<time datetime="([^"]+)"', page)
    assert stamps
    # The Nu HTML checker refuses more than three digits of a second.
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d[+-]\d\d:\d\d)?", s) for s in stamps)


def test_the_result_count_stays_a_heading_and_is_announced(client):
    page = client.get("/en/cases/").text

    assert re.search(r'<div role="status" aria-live="polite"><h2 id="results-heading"', page)
    assert not re.search(r'<h2[^>]*role="status"', page)
