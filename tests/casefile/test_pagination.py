"""The one keyset engine (casefile.pagination), behind the API and the case list pages."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import F

from casefile.pagination import encode_cursor, paginate
from incidents.models import Incident

from ..factories import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    """Seven cases on two days, newest first by (occurred_on, id)."""
    days = [datetime.date(2021, 1, 1), datetime.date(2020, 1, 1)]
    for n in range(7):
        IncidentFactory(published=True, occurred_on=days[n % 2])
    return Incident.objects.published().order_by("-occurred_on", "-id")


def ids(page):
    return [row.pk for row in page.items]


def test_going_back_after_rows_were_removed_gives_the_full_first_page(cases):
    second = paginate(cases, paginate(cases, None, size=3).next_cursor, size=3)
    Incident.objects.filter(pk__in=[row.pk for row in cases[:2]]).delete()

    back = paginate(cases, second.previous_cursor, size=3)

    assert ids(back) == list(cases.values_list("pk", flat=True)[:3])
    assert not back.has_previous


def test_a_position_past_every_row_is_an_empty_page_that_links_back(cases):
    last = cases.last()
    past = encode_cursor({"k": [last.occurred_on.isoformat(), last.pk]})

    page = paginate(cases, past, size=5)

    assert page.items == [] and not page.has_next
    # The five rows before the position (the last row is the position itself).
    assert ids(paginate(cases, page.previous_cursor, size=5)) == [row.pk for row in cases[1:6]]


def test_a_ranked_list_pages_by_position_and_goes_back_to_the_first_page_without_a_cursor(
    cases,
):
    ranked = cases.annotate(newest=F("occurred_on")).order_by("-newest", "-id")
    first = paginate(ranked, None, size=4)
    second = paginate(ranked, first.next_cursor, size=4)

    assert ids(first) + ids(second) == list(cases.values_list("pk", flat=True))
    assert second.previous_cursor is None and second.previous_is_first
    assert not second.has_next


def test_an_api_cursor_opens_the_same_position_on_the_case_list(client, cases):
    next_link = client.get("/api/v1/incidents/", {"page_size": 3}).json()["next"]
    (cursor,) = parse_qs(urlsplit(next_link).query)["cursor"]

    page = client.get("/en/cases/", {"cursor": cursor}).context["page_obj"]

    assert ids(page) == [row.pk for row in cases[3:]]
    assert [row["id"] for row in client.get(next_link).json()["results"]] == ids(page)[:3]
