"""The public research pages: case list with facets, exports, statistics, feed, sitemap."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.utils import timezone

from appeals.models import AppealVersion
from casefile.pagination import encode_cursor
from incidents.exports import COLUMNS
from incidents.facets import SUMMARY_FILTERS
from incidents.models import Incident
from incidents.search import refresh_search_vectors
from incidents.services import incident_unique_slug

from ..factories import (
    AppealFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    UpdateFactory,
    status,
)

pytestmark = pytest.mark.django_db

LIST = "/en/cases/"
STATISTICS = "/en/cases/statistics/"
UNPUBLISHED = {
    "draft": {},
    "in_review": {"in_review": True},
    "withdrawn": {"withdrawn": True},
    "embargoed": {
        "publication_state": Incident.State.PUBLISHED,
        "published_at": timezone.now() + datetime.timedelta(days=2),
    },
}


def titles(response) -> list[str]:
    return [incident.title for incident in response.context["incidents"]]


def ready_version(appeal, language="fr"):
    return AppealVersion.objects.create(
        appeal=appeal,
        language=language,
        number=1,
        file_name=f"{appeal.pk}/{language}/v1.pdf",
        content_hash="0" * 64,
        sha256="1" * 64,
        size=10,
        page_count=1,
        ready_at=timezone.now(),
    )


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def cases():
    """Four published cases that differ on every filter, and a hidden case of each kind."""
    coalition = OrganizationFactory(name="Coalition Against Torture")
    police = PerpetratorGroupFactory(name="Police of Almaty", kind="police")
    youth = PerpetratorGroupFactory(name="Patriotic Youth", kind="pro_government")
    bishkek = IncidentFactory(
        published=True,
        title="Meeting disrupted in Bishkek",
        summary="Une réunion de la coalition a été interrompue.",
        country="KG",
        status=status("harassment-and-intimidation"),
        occurred_on=datetime.date(2019, 5, 23),
        organizations=[coalition],
    )
    IncidentPerpetratorFactory(incident=bishkek, perpetrator_group=youth)
    almaty = IncidentFactory(
        published=True,
        title="Lawyers detained in Almaty",
        summary="Адвокаты задержаны в Алматы.",
        country="KZ",
        status=status("arbitrary-detention"),
        occurred_on=datetime.date(2022, 1, 6),
    )
    IncidentPerpetratorFactory(incident=almaty, perpetrator_group=police)
    IncidentPerpetratorFactory(incident=almaty, perpetrator_group=youth)
    osh = IncidentFactory(
        published=True,
        title="Journalist detained in Osh",
        summary="Un journaliste a été arrêté pour hooliganisme.",
        country="KG",
        status=status("arbitrary-detention"),
        occurred_on=datetime.date(2022, 3, 1),
    )
    IncidentPerpetratorFactory(incident=osh, perpetrator_group=police)
    dushanbe = IncidentFactory(
        published=True,
        title="Defender missing in Dushanbe",
        summary="اختفاء أحد المدافعين عن حقوق الإنسان.",
        country="TJ",
        status=status("enforced-disappearance"),
        occurred_on=datetime.date(2020, 7, 15),
    )
    ready_version(AppealFactory(incident=bishkek, published=True), "ru")
    AppealFactory(incident=osh, published=True)  # issued, no PDF yet
    for name, traits in UNPUBLISHED.items():
        hidden = IncidentFactory(
            title=f"Hidden {name}",
            country="UZ",
            status=status("killing"),
            occurred_on=datetime.date(2015, 1, 1),
            organizations=[coalition],
            **traits,
        )
        IncidentPerpetratorFactory(incident=hidden, perpetrator_group=police)
    return {
        "bishkek": bishkek,
        "almaty": almaty,
        "osh": osh,
        "dushanbe": dushanbe,
        "coalition": coalition,
        "police": police,
        "youth": youth,
    }


# Filters, each alone and combined.


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"bishkek", "almaty", "osh", "dushanbe"}),
        ({"country": "KG"}, {"bishkek", "osh"}),
        ({"country": ["KZ", "TJ"]}, {"almaty", "dushanbe"}),
        ({"status": "arbitrary-detention"}, {"almaty", "osh"}),
        ({"year": "2022"}, {"almaty", "osh"}),
        ({"occurred_after": "2020-01-01"}, {"almaty", "osh", "dushanbe"}),
        ({"occurred_before": "2020-12-31"}, {"bishkek", "dushanbe"}),
        ({"perpetrator_kind": "state"}, {"almaty", "osh"}),
        ({"perpetrator_kind": "non_state"}, {"bishkek", "almaty"}),
        ({"perpetrator_kind": "pro_government"}, {"bishkek", "almaty"}),
        ({"has_appeal": "true"}, {"bishkek", "osh"}),
        ({"has_appeal": "false"}, {"almaty", "dushanbe"}),
        ({"appeal_language": "ru"}, {"bishkek"}),
        ({"q": "hooliganisme"}, {"osh"}),
        # Combined.
        ({"country": "KG", "status": "arbitrary-detention"}, {"osh"}),
        ({"country": ["KG", "KZ"], "year": "2022", "perpetrator_kind": "non_state"}, {"almaty"}),
        (
            {
                "occurred_after": "2019-01-01",
                "occurred_before": "2021-12-31",
                "has_appeal": "false",
            },
            {"dushanbe"},
        ),
        ({"status": "arbitrary-detention", "q": "hooliganisme", "country": "KZ"}, set()),
    ],
)
def test_case_list_filters(client, cases, query, expected):
    response = client.get(LIST, query)

    assert response.status_code == 200
    assert set(titles(response)) == {cases[name].title for name in expected}
    assert not response.context["form"].errors
    assert "Hidden" not in response.text


def test_case_list_filters_by_organization_and_shows_a_removable_chip(client, cases):
    response = client.get(LIST, {"organization": cases["coalition"].pk, "country": "KG"})

    assert titles(response) == [cases["bishkek"].title]
    chip = response.context["organization_chips"][0]
    assert chip["label"].startswith("Coalition Against Torture")
    assert chip["remaining"] == []
    # The chip's link drops the organization and keeps the other filters.
    assert f'href="{LIST}?country=KG"' in response.text
    # The form carries the organization along when other filters change.
    assert f'<input type="hidden" name="organization" value="{cases["coalition"].pk}">' in (
        response.text
    )


def test_case_list_filters_by_perpetrator_group(client, cases):
    response = client.get(LIST, {"perpetrator": cases["police"].pk})

    assert set(titles(response)) == {cases["almaty"].title, cases["osh"].title}
    assert response.context["perpetrator_chips"][0]["label"].startswith("Police of Almaty")


def test_case_list_orders_oldest_first_on_request(client, cases):
    response = client.get(LIST, {"ordering": "date"})

    assert titles(response)[0] == cases["bishkek"].title
    assert titles(response)[-1] == cases["osh"].title


# Facets and the result count.


def test_facet_counts_follow_the_filter_and_ignore_unpublished_cases(client, cases):
    response = client.get(LIST, {"status": "arbitrary-detention"})
    facets = response.context["facets"]

    assert {(f.value, f.count) for f in facets.country} == {("KG", 1), ("KZ", 1)}
    assert {(f.value, f.count) for f in facets.year} == {("2022", 2)}
    assert response.context["result_count"] == 2
    assert 'Kyrgyzstan <span class="facet-count">(1)</span>' in response.text
    assert '<option value="2022">2022 (2)</option>' in response.text
    # The status facet itself is counted without the status filter: see the next test.
    assert ("arbitrary-detention", 2) in {(f.value, f.count) for f in facets.status}


@pytest.mark.parametrize("extra", [{}, {"occurred_after": "1990-01-01"}])
def test_ticking_one_country_still_offers_the_others_with_their_counts(client, cases, extra):
    """From the summary table ({}) and counted live (a date filter): the same page."""
    response = client.get(LIST, {"country": "KG", **extra})

    assert response.context["result_count"] == 2
    assert titles(response) == [cases["osh"].title, cases["bishkek"].title]
    assert 'value="KG" id="country-KG" checked' in response.text
    assert 'Kyrgyzstan <span class="facet-count">(2)</span>' in response.text
    # Ticking Kazakhstan too would add its one case: the reader can see that and do it.
    assert 'value="KZ" id="country-KZ"' in response.text
    assert 'Kazakhstan <span class="facet-count">(1)</span>' in response.text
    # The other facets follow the country filter.
    assert {f.value for f in response.context["facets"].year} == {"2019", "2022"}
    both = client.get(LIST, {"country": ["KG", "KZ"], **extra})
    assert both.context["result_count"] == 3


def test_result_count_is_announced(client, cases):
    text = client.get(LIST, {"country": "KG"}).text

    assert 'role="status" aria-live="polite"' in text
    assert "2 cases" in text
    assert "(filtered)" in text


def test_an_unfiltered_list_says_so_and_folds_the_rarer_filters(client, cases):
    response = client.get(LIST)

    assert not response.context["is_filtered"]
    assert "(filtered)" not in response.text
    assert '<details class="more-filters mb-3">' in response.text
    unfolded = client.get(LIST, {"has_appeal": "false"})
    assert '<details class="more-filters mb-3" open>' in unfolded.text
    assert '<option value="false" selected>' in unfolded.text


def test_only_published_values_are_offered(client, cases):
    text = client.get(LIST).text

    for hidden_value in ("Uzbekistan", "Killing", "2015", "Hidden"):
        assert hidden_value not in text
    for counted in (
        'Kyrgyzstan <span class="facet-count">(2)</span>',
        'Enforced disappearance <span class="facet-count">(1)</span>',
        "2019 (1)",
    ):
        assert counted in text


def test_a_selected_value_without_published_cases_stays_shown_with_zero(client, cases):
    response = client.get(LIST, {"country": "UZ"})

    assert titles(response) == []
    assert 'value="UZ" id="country-UZ" checked' in response.text
    assert 'Uzbekistan <span class="facet-count">(0)</span>' in response.text
    assert "Hidden" not in response.text
    assert "0 cases" in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"country": "ZZ"},
        {"status": "no-such-status"},
        {"occurred_after": "2019-13-45"},
        {"has_appeal": "perhaps"},
        {"q": "x" * 500},
    ],
)
def test_invalid_filter_values_show_the_error(client, cases, query):
    response = client.get(LIST, query)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Some filter values were not understood" in response.text


def test_an_unpublished_organization_is_refused_like_an_unknown_one(client, cases):
    draft_only = OrganizationFactory(name="Draft-only organization")
    IncidentFactory(organizations=[draft_only])

    hidden = client.get(LIST, {"organization": draft_only.pk})
    unknown = client.get(LIST, {"organization": 99999999})

    assert hidden.context["form"].errors and unknown.context["form"].errors
    assert "Draft-only organization" not in hidden.text
    assert hidden.context["organization_chips"] == []


def test_case_list_links_exports_statistics_and_feed_for_the_filter(client, cases):
    text = client.get(LIST, {"country": "KG", "year": "2019"}).text

    assert 'href="/en/cases/export.csv?country=KG&amp;year=2019"' in text
    assert 'href="/en/cases/export.json?country=KG&amp;year=2019"' in text
    assert 'href="/en/cases/statistics/?country=KG&amp;year=2019"' in text
    assert 'href="/en/cases/feed/?country=KG"' in text


def test_case_list_works_without_javascript(client, cases):
    text = client.get(LIST).text

    assert '<form method="get" action="/en/cases/"' in text
    assert "<script" not in text.split("<footer")[0]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"country": "KG", "status": "arbitrary-detention", "cursor": ""},
        {"year": "2019"},
        {"q": "Coalition", "status": "arbitrary-detention", "country": "KG"},
        {"q": "Coalition", "occurred_after": "2000-01-01", "ordering": "relevance"},
    ],
)
def test_case_list_query_count_is_constant(client, django_assert_num_queries, cases, query):
    """At most 3 queries: the facets, the page (organizations included), and on PostgreSQL
    the search probe. Statuses are checked against the cached vocabulary, and facets the
    summary table answers are kept from the first view until the table changes."""
    client.get(LIST, query)  # warm caches (content types, translations, statuses, facets)
    searching = "q" in query and connection.vendor == "postgresql"
    counted_live = not set(query) <= SUMMARY_FILTERS
    with django_assert_num_queries(1 + counted_live + searching) as small:
        client.get(LIST, query)
    expected = len(small.captured_queries)  # read now: the next request empties the log
    IncidentFactory.create_batch(
        60,
        published=True,
        title="Coalition members detained",
        country="KG",
        occurred_on=datetime.date(2019, 6, 1),
        status=status("arbitrary-detention"),
        organizations=[cases["coalition"], OrganizationFactory()],
    )
    client.get(LIST, query)  # the facets, counted afresh once: the summary table changed
    with django_assert_num_queries(expected):
        response = client.get(LIST, query)
    assert len(titles(response)) == 50


# Keyset pagination.


@pytest.fixture
def many_cases():
    """101 cases on 3 dates: pages must split ties on a date by id, never repeat or skip."""
    dates = [datetime.date(2021, 1, 1), datetime.date(2020, 6, 1), datetime.date(2019, 1, 1)]
    return [
        IncidentFactory(published=True, occurred_on=dates[n % 3], title=f"Case {n}")
        for n in range(101)
    ]


def walk(client, query, start=None):
    pages, cursor = [], start
    while True:
        response = client.get(LIST, {**query, **({"cursor": cursor} if cursor else {})})
        pages.append(response)
        cursor = response.context["page_obj"].next_cursor
        if not cursor:
            return pages


@pytest.mark.parametrize(("ordering", "descending"), [("-date", True), ("date", False)])
def test_keyset_pages_cover_every_case_once_in_order(client, many_cases, ordering, descending):
    pages = walk(client, {"ordering": ordering})
    listed = [incident for page in pages for incident in page.context["incidents"]]

    assert [len(page.context["incidents"]) for page in pages] == [50, 50, 1]
    keys = [(incident.occurred_on, incident.pk) for incident in listed]
    assert keys == sorted(keys, reverse=descending)
    assert len(set(keys)) == 101
    assert not pages[0].context["page_obj"].has_previous
    assert pages[-1].context["page_obj"].has_previous
    assert 'rel="next"' not in pages[-1].text
    assert all(page.context["result_count"] == 101 for page in pages)


def test_previous_goes_back_to_the_same_rows(client, many_cases):
    first, second, last = walk(client, {})

    back = client.get(LIST, {"cursor": last.context["page_obj"].previous_cursor})
    back_to_first = client.get(LIST, {"cursor": second.context["page_obj"].previous_cursor})

    assert titles(back) == titles(second)
    assert titles(back_to_first) == titles(first)
    assert not back_to_first.context["page_obj"].has_previous


def test_pagination_does_not_count_or_offset(client, many_cases, django_assert_num_queries):
    second = walk(client, {})[1]
    cursor = second.context["page_obj"].next_cursor
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, {"cursor": cursor})
    page_query = [q["sql"] for q in queries.captured_queries if "LIMIT 51" in q["sql"]]
    assert len(page_query) == 1
    assert "OFFSET" not in page_query[0]
    assert not any("COUNT(*)" in q["sql"] and "GROUP BY" not in q["sql"] for q in queries)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%00",
        "=",
        "x" * 5000,
        encode_cursor({"k": ["2019-02-30", 1]}),
        encode_cursor({"k": ["2019-01-01", "1"]}),  # an id written as text
        encode_cursor({"k": ["2019-01-01", "١٢"]}),  # in digits int() would take
        encode_cursor({"k": ["2019-01-01", 1.5]}),
        encode_cursor({"k": ["2019-1-1", 1]}),  # a date not as a cursor writes it
        encode_cursor({"k": ["2019-01-01", 1], "f": "back"}),
        encode_cursor({"o": 50}),  # a ranked cursor on a date ordering
        encode_cursor({"k": ["2019-01-01"]}),
        "é",
    ],
)
def test_a_tampered_cursor_shows_the_first_page(client, many_cases, cursor):
    client.raise_request_exception = False

    response = client.get(LIST, {"cursor": cursor})

    assert response.status_code == 200
    assert len(titles(response)) == 50
    assert not response.context["page_obj"].has_previous


def test_a_cursor_past_the_end_is_an_empty_page_that_links_back(client, many_cases):
    response = client.get(LIST, {"cursor": encode_cursor({"k": ["1900-01-01", 1]})})

    assert response.status_code == 200
    assert titles(response) == []
    assert response.context["page_obj"].has_previous


# Exports.


def test_csv_export_holds_the_filtered_published_cases(client, cases):
    cases["almaty"].title = '=HYPERLINK("http://evil.example")'
    cases["almaty"].save()
    cases["osh"].title = "Журналист задержан в Оше"
    cases["osh"].save()

    response = client.get("/en/cases/export.csv", {"status": "arbitrary-detention"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    assert [row["title"] for row in rows] == [
        "Журналист задержан в Оше",
        '\'=HYPERLINK("http://evil.example")',
    ]
    assert rows[0]["url"].endswith(cases["osh"].get_absolute_url())
    assert "Hidden" not in text


def test_json_export_keeps_arabic_and_cyrillic_text(client, cases):
    response = client.get("/en/cases/export.json", {"country": ["KZ", "TJ"]})

    assert response["Content-Type"] == "application/json; charset=utf-8"
    raw = content(response).decode("utf-8")
    data = json.loads(raw)
    assert list(data["columns"]) == [name for name, _ in COLUMNS]
    summaries = {row["summary"] for row in data["incidents"]}
    assert summaries == {"Адвокаты задержаны в Алматы.", "اختفاء أحد المدافعين عن حقوق الإنسان."}
    assert "Адвокаты" in raw  # written as text, not \u escapes


def test_export_never_holds_unpublished_cases(client, cases):
    csv_text = content(client.get("/en/cases/export.csv", {"country": "UZ"})).decode()
    json_data = json.loads(content(client.get("/en/cases/export.json")))

    assert csv_text.count("\n") == 1  # the header only
    assert len(json_data["incidents"]) == 4
    assert not any("Hidden" in row["title"] for row in json_data["incidents"])


def test_export_ignores_the_relevance_window_and_refuses_bad_filters(client, cases):
    every = json.loads(content(client.get("/en/cases/export.json", {"ordering": "relevance"})))
    bad = client.get("/en/cases/export.csv", {"year": "abc"})

    assert len(every["incidents"]) == 4
    assert bad.status_code == 400


# Statistics.


def table(response, table_id) -> dict[str, int]:
    found = next(t for t in response.context["tables"] if t["id"] == table_id)
    return {row["label"]: row["count"] for row in found["rows"]}


def test_statistics_count_published_cases_per_year_country_status_and_kind(client, cases):
    response = client.get("/en/cases/statistics/")

    assert response.status_code == 200
    assert response.context["result_count"] == 4
    assert table(response, "per-year") == {"2019": 1, "2020": 1, "2022": 2}
    assert table(response, "per-country") == {"Kyrgyzstan": 2, "Kazakhstan": 1, "Tajikistan": 1}
    assert table(response, "per-status") == {
        "Arbitrary detention": 2,
        "Harassment and intimidation": 1,
        "Enforced disappearance": 1,
    }
    # Almaty has a police unit and a pro-government group: it counts under both.
    assert table(response, "state-or-not") == {
        "State actors": 2,
        "Non-state actors": 2,
        "Perpetrators of unknown kind": 0,
        "No perpetrator recorded": 1,
    }
    assert table(response, "per-kind") == {
        "State actor: police": 2,
        "Pro-government or nationalist group": 2,
    }


def test_a_group_of_unknown_kind_is_counted_apart_from_non_state_ones(client, cases):
    court = PerpetratorGroupFactory(name="A court entered in a hurry", kind="unknown")
    IncidentPerpetratorFactory(incident=cases["bishkek"], perpetrator_group=court)
    response = client.get("/en/cases/statistics/")

    assert table(response, "state-or-not") == {
        "State actors": 2,
        "Non-state actors": 2,
        "Perpetrators of unknown kind": 1,
        "No perpetrator recorded": 1,
    }


def test_statistics_of_everything_name_no_filter(client, cases):
    response = client.get("/en/cases/statistics/")

    assert response.context["summary"] == []
    assert "All published cases." in response.text


def test_statistics_follow_the_filter(client, cases):
    response = client.get("/en/cases/statistics/", {"country": "KG"})

    assert table(response, "per-year") == {"2019": 1, "2022": 1}
    assert table(response, "state-or-not")["State actors"] == 1
    assert {"label": "Country", "value": "Kyrgyzstan"} in response.context["summary"]
    no_appeal = client.get("/en/cases/statistics/", {"has_appeal": "false"})
    assert {"label": "Has an urgent appeal", "value": "No"} in no_appeal.context["summary"]


def test_statistics_render_charts_from_json_and_the_same_numbers_in_tables(client, cases):
    text = client.get("/en/cases/statistics/").text

    assert '<script id="statistics-data" type="application/json">' in text
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in text
    assert 'src="/static/js/charts.js"' in text
    assert '<canvas id="chart-per-year"' in text
    assert '<th scope="row" dir="auto">Kyrgyzstan</th><td class="text-end">2</td>' in text
    assert "<caption" in text
    assert "Hidden" not in text and "Uzbekistan" not in text


def test_statistics_query_count_does_not_grow(client, cases):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    from incidents import vocabulary

    def statistics():
        # Each time as the first request after a restart: nothing cached.
        cache.clear()
        vocabulary._local.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(STATISTICS, {"country": "KG", "perpetrator_kind": "state"})
        assert response.status_code == 200
        return response, len(queries)

    # Of the four cases, only Osh's is in Kyrgyzstan with a state perpetrator.
    small, small_queries = statistics()
    assert small.context["result_count"] == 1
    assert table(small, "per-year") == {"2022": 1}
    assert table(small, "per-kind") == {"State actor: police": 1}

    # Twelve more of them, in other years, statuses, organizations and groups.
    for n in range(12):
        incident = IncidentFactory(
            published=True,
            country="KG",
            status=status("arbitrary-detention" if n % 2 else "killing"),
            occurred_on=datetime.date(2010 + n % 4, 1, 1),
            organizations=[OrganizationFactory()],
        )
        IncidentPerpetratorFactory(
            incident=incident, perpetrator_group=PerpetratorGroupFactory(kind="security_services")
        )
    large, large_queries = statistics()
    assert large.context["result_count"] == 13
    assert table(large, "per-year") == {"2010": 3, "2011": 3, "2012": 3, "2013": 3, "2022": 1}
    assert table(large, "per-kind") == {
        "State actor: police": 1,
        "State actor: security services": 12,
    }
    assert small_queries == large_queries <= 6


# Feed.


def feed_entries(response):
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)
    return [
        (entry.find("atom:title", ns).text, entry.find("atom:link", ns).get("href"))
        for entry in root.findall("atom:entry", ns)
    ]


def test_feed_lists_newly_published_cases_newest_first(client, cases):
    now = timezone.now()
    for offset, name in enumerate(["osh", "bishkek", "almaty", "dushanbe"]):
        Incident.objects.filter(pk=cases[name].pk).update(
            published_at=now - datetime.timedelta(hours=offset + 1)
        )

    response = client.get("/en/cases/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = feed_entries(response)
    assert [title for title, _ in entries] == [
        cases[name].title for name in ["osh", "bishkek", "almaty", "dushanbe"]
    ]
    assert entries[0][1] == "http://testserver" + cases["osh"].get_absolute_url()
    assert "Hidden" not in response.text


def test_feed_filters_by_country_and_status(client, cases):
    by_country = feed_entries(client.get("/en/cases/feed/", {"country": "KG"}))
    both = feed_entries(
        client.get("/en/cases/feed/", {"country": "KG", "status": "arbitrary-detention"})
    )
    hidden = feed_entries(client.get("/en/cases/feed/", {"country": "UZ"}))

    assert {title for title, _ in by_country} == {cases["bishkek"].title, cases["osh"].title}
    assert [title for title, _ in both] == [cases["osh"].title]
    assert hidden == []


def test_feed_is_limited_escapes_summaries_and_refuses_bad_filters(client):
    IncidentFactory.create_batch(52, published=True)
    IncidentFactory(published=True, summary="<script>alert(1)</script>")
    client.raise_request_exception = False

    response = client.get("/en/cases/feed/")

    assert len(feed_entries(response)) == 50
    assert "<script>" not in response.text
    assert "&amp;lt;script&amp;gt;" in response.text  # escaped once for HTML, once for XML
    assert client.get("/en/cases/feed/", {"country": "ZZ"}).status_code == 400


# Sitemap.


def whole_sitemap(client) -> str:
    """The index and every file it names, as a crawler reads them."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert index["Content-Type"].startswith("application/xml")
    files = ET.fromstring(index.content).findall(  # noqa: S314 (our own output)
        "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemap"
    )
    texts = []
    for entry in files:
        location = entry.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text
        response = client.get(location.removeprefix("http://testserver"))
        assert response.status_code == 200, location
        body = b"".join(response.streaming_content) if response.streaming else response.content
        ET.fromstring(body)  # noqa: S314 (our own output): well-formed XML
        texts.append(body.decode())
    return "\n".join(texts)


def test_sitemap_lists_public_pages_in_every_language(client, cases):
    text = whole_sitemap(client)

    for language in ("en", "fr", "ru", "ar"):
        assert f"<loc>http://testserver/{language}/cases/</loc>" in text
        assert f"http://testserver/{language}{cases['bishkek'].get_absolute_url()[3:]}" in text
        assert f'hreflang="{language}"' in text
    assert cases["coalition"].get_absolute_url() in text
    assert cases["police"].get_absolute_url() in text
    assert 'hreflang="x-default"' in text
    appeal = cases["bishkek"].appeals.get()
    assert appeal.get_public_url() in text
    assert "/staff/" not in text


def test_sitemap_never_lists_unpublished_material(client, cases):
    draft_org = OrganizationFactory()
    draft_group = PerpetratorGroupFactory()
    draft = IncidentFactory(slug="secret-draft", organizations=[draft_org])
    IncidentPerpetratorFactory(incident=draft, perpetrator_group=draft_group)
    draft_appeal = AppealFactory(incident=draft, published=True)

    text = whole_sitemap(client)

    assert "secret-draft" not in text
    assert "hidden-" not in text.lower()
    assert draft_org.get_absolute_url()[3:] not in text
    assert draft_group.get_absolute_url()[3:] not in text
    assert draft_appeal.reference_slug not in text
    for incident in Incident.objects.exclude(pk__in=Incident.objects.published()):
        assert f"/cases/{incident.slug}/" not in text


def test_case_slugs_never_take_the_research_addresses():
    assert incident_unique_slug(title="Statistics") == "statistics-2"
    assert incident_unique_slug(title="Feed") == "feed-2"


# Search in three scripts (PostgreSQL full-text search).


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("reunion", "French"),  # finds "réunion": accents are ignored
        ("RÉUNION", "French"),
        ("задержаны", "Russian"),
        ("المدافعين", "Arabic"),
        ("Бишкеке", "Update"),  # words of a case's updates are searched too
    ],
)
def test_search_finds_words_in_three_scripts(client, words, expected):
    french = IncidentFactory(
        published=True, title="French", summary="La réunion de la coalition a été interrompue."
    )
    russian = IncidentFactory(
        published=True, title="Russian", narrative="Адвокаты задержаны в Алматы."
    )
    arabic = IncidentFactory(
        published=True, title="Arabic", summary="اختفاء أحد المدافعين عن حقوق الإنسان."
    )
    update = IncidentFactory(published=True, title="Update", summary="Nothing here.")
    UpdateFactory(incident=update, title="Суд в Бишкеке", body="")
    IncidentFactory(title="Hidden", summary="réunion задержаны المدافعين Бишкеке")
    refresh_search_vectors([french.pk, russian.pk, arabic.pk, update.pk])

    response = client.get(LIST, {"q": words, "ordering": "relevance"})

    assert titles(response) == [expected]
    assert response.context["result_count"] == 1


def test_a_renamed_or_new_status_is_used_at_once(client, cases):
    """Statuses are checked against a cached vocabulary; saving one clears it."""
    from incidents.models import Status

    assert client.get(LIST, {"status": "arbitrary-detention"}).context["result_count"] == 2
    detention = Status.objects.get(slug="arbitrary-detention")
    detention.name = "Detained without charge"
    detention.save()
    assert "Detained without charge" in client.get(LIST, {"status": "arbitrary-detention"}).text

    Status.objects.create(slug="under-surveillance", name="Under surveillance")
    response = client.get(LIST, {"status": "under-surveillance"})
    assert response.status_code == 200
    assert response.context["result_count"] == 0
    assert "Under surveillance" in response.text
    assert client.get(LIST, {"status": "no-such-status"}).context["form"].errors["status"]


def test_sitemap_files_are_blocks_of_ids_and_stay_within_the_protocol(client, cases, monkeypatch):
    from casefile import sitemaps

    monkeypatch.setattr(sitemaps, "IDS_PER_FILE", 2)
    highest = Incident.objects.published().order_by("-pk").first().pk
    index = client.get("/sitemap.xml").text
    assert f"/sitemap-cases-{(highest + 1) // 2}.xml" in index
    assert f"/sitemap-cases-{(highest + 1) // 2 + 1}.xml" not in index
    assert client.get(f"/sitemap-cases-{(highest + 1) // 2 + 1}.xml").status_code == 404
    assert client.get("/sitemap-cases-99999999999999999999999.xml").status_code == 404
    assert client.get("/sitemap-nothing-1.xml").status_code == 404
    # Every published case is in exactly one file, in each language.
    text = whole_sitemap(client)
    for incident in Incident.objects.published():
        assert text.count(f"<loc>http://testserver/fr/cases/{incident.slug}/</loc>") == 1


def test_statistics_are_counted_once_a_minute_per_filter(
    client, cases, django_assert_num_queries, settings
):
    first = client.get(STATISTICS, {"country": "KG"})
    with django_assert_num_queries(0):
        again = client.get(STATISTICS, {"country": "KG"})
    assert table(again, "per-country") == table(first, "per-country")
    # Another filter, or another language, is counted on its own.
    assert table(client.get(STATISTICS, {"country": "KZ"}), "per-country") == {"Kazakhstan": 1}
    assert "Kirghizistan" in client.get(STATISTICS.replace("/en/", "/fr/"), {"country": "KG"}).text


def test_withdrawing_a_case_takes_it_out_of_the_cached_statistics(
    client, cases, reviewer, django_capture_on_commit_callbacks
):
    from incidents.services import incident_withdraw

    before = table(client.get(STATISTICS, {"country": "KG"}), "per-country")
    with django_capture_on_commit_callbacks(execute=True):
        incident_withdraw(actor=reviewer, incident=cases["bishkek"])

    after = table(client.get(STATISTICS, {"country": "KG"}), "per-country")
    assert after["Kyrgyzstan"] == before["Kyrgyzstan"] - 1


def test_the_sitemap_index_does_not_count_unpublished_cases(client, cases, monkeypatch):
    from casefile import sitemaps

    monkeypatch.setattr(sitemaps, "IDS_PER_FILE", 1)
    highest_published = Incident.objects.published().order_by("-pk").first().pk
    IncidentFactory.create_batch(3, title="Unpublished")  # higher ids, not public

    index = client.get("/sitemap.xml").text
    assert f"/sitemap-cases-{highest_published}.xml" in index
    assert f"/sitemap-cases-{highest_published + 1}.xml" not in index
