"""The CSV and JSON exports as PostgreSQL writes them.

The rows leave the database as finished text (incidents.exports, incidents.columns): each
column must still say what COLUMNS and the README say, whatever the text holds (Cyrillic
and Arabic slugs and texts, quotes, commas, line breaks, cells a spreadsheet would run as
formulas), and a stream that was cut must not pass for a complete one.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import RequestFactory
from django.utils import timezone, translation

from casefile.audit.models import AuditEvent
from incidents import exports
from incidents.exports import COLUMNS
from incidents.models import Incident, IncidentPerpetrator

from ..factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    status,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NAMES = [name for name, _meaning in COLUMNS]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def awkward_cases():
    """Three published cases whose texts test every rule, newest first; a draft and an
    embargoed case that no anonymous export may hold."""
    # Code point order: "Alpha..." < "Zeta" < "zeta" < "Émile" < Cyrillic < Arabic.
    zeta = OrganizationFactory(name="Zeta", acronym="Z")
    small_zeta = OrganizationFactory(name="zeta", acronym="")
    alpha = OrganizationFactory(name='Alpha "quoted", with comma', acronym="")
    emile = OrganizationFactory(name="Émile Zola Centre", acronym="")
    cyrillic = OrganizationFactory(name="Коалиция против пыток", acronym="КПП")
    arabic = OrganizationFactory(name="مركز الدفاع", acronym="")
    formula = OrganizationFactory(name="=Formula Org", acronym="")
    police = PerpetratorGroupFactory(name="Police", kind="police")
    youth = PerpetratorGroupFactory(name="Kyrk Choro", kind="pro_government")
    almaty = IncidentFactory(
        published=True,
        title="Задержания в Алматы",
        slug="задержания-в-алматы",
        summary='Адвокаты "задержаны", без связи.\nВторая строка.',
        occurred_on=datetime.date(2022, 1, 6),
        ended_on=datetime.date(2022, 1, 9),
        date_precision=Incident.DatePrecision.MONTH,
        country="KZ",
        region="=SUM(A1:A9)",
        place="+7 Алматы",
        status=status("arbitrary-detention"),
        original_language="ru",
        organizations=[zeta, small_zeta, alpha, emile, cyrillic, arabic],
    )
    # Perpetrators in the order they were added: the youth group first.
    IncidentPerpetratorFactory(
        incident=almaty,
        perpetrator_group=youth,
        involvement=IncidentPerpetrator.Involvement.SUSPECTED,
    )
    IncidentPerpetratorFactory(incident=almaty, perpetrator_group=police)
    cairo = IncidentFactory(
        published=True,
        title="اعتقال محامين",
        slug="اعتقال-محامين",
        summary="-اختفاء أحد المدافعين عن حقوق الإنسان.",
        occurred_on=datetime.date(2021, 3, 1),
        country="EG",
        region="",
        place="@cairo",
        original_language="ar",
        organizations=[arabic, formula],
    )
    IncidentPerpetratorFactory(incident=cairo, perpetrator_group=police)
    bishkek = IncidentFactory(
        published=True,
        title="\tTabbed title",
        summary="\rStarts with a carriage return, then \x01 a control character",
        occurred_on=datetime.date(2019, 5, 23),
        country="KG",
        organizations=[],
    )
    # A fraction of a second, and none: both written as datetime.isoformat() writes them.
    published_at = timezone.now().replace(microsecond=120000) - datetime.timedelta(days=1)
    Incident.objects.filter(pk=almaty.pk).update(published_at=published_at)
    Incident.objects.filter(pk=cairo.pk).update(published_at=published_at.replace(microsecond=0))
    IncidentFactory(title="SECRET draft", country="KZ")
    IncidentFactory(
        title="SECRET embargoed",
        country="KZ",
        publication_state=Incident.State.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    return [Incident.objects.get(pk=case.pk) for case in (almaty, cairo, bishkek)]


def documented_row(incident: Incident) -> dict:
    """What COLUMNS promises for the case, worked out from the model, in the active
    language: the page's address as reverse() writes it, names sorted (code point order),
    perpetrator groups in the order they were added, with their involvement."""
    links = incident.perpetrator_links.order_by("pk").select_related("perpetrator_group")
    return {
        "id": incident.pk,
        "url": settings.SITE_URL + incident.get_absolute_url(),
        "original_language": incident.original_language,
        "title": incident.title,
        "occurred_on": incident.occurred_on.isoformat(),
        "date_precision": incident.date_precision,
        "ended_on": incident.ended_on.isoformat() if incident.ended_on else "",
        "country": incident.country.code,
        "country_name": str(incident.country.name),
        "region": incident.region,
        "place": incident.place,
        "status": incident.status.slug,
        "status_name": incident.status.name,
        "organizations": " | ".join(sorted(o.name for o in incident.organizations.all())),
        "perpetrators": " | ".join(
            f"{link.perpetrator_group.name} ({link.involvement})" for link in links
        ),
        "published_at": incident.published_at.isoformat(),
        "summary": incident.summary,
    }


def as_csv_cells(row: dict) -> dict:
    """The row as a spreadsheet should read it: formulas neutralised by a leading quote."""
    return {
        name: "'" + value
        if isinstance(value, str) and value.startswith(FORMULA_STARTS)
        else str(value)
        for name, value in row.items()
    }


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_csv_holds_the_documented_columns_whatever_the_text(client, awkward_cases):
    response = client.get("/en/cases/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Casefile-Rows"] == "3"
    text = body(response)
    assert text.splitlines()[0] == "\ufeff" + ",".join(NAMES)
    rows = csv_rows(text)
    assert rows == [as_csv_cells(documented_row(case)) for case in awkward_cases]
    assert "SECRET" not in text
    almaty = rows[0]
    assert almaty["url"].endswith(
        "/en/cases/%D0%B7%D0%B0%D0%B4%D0%B5%D1%80%D0%B6%D0%B0%D0%BD%D0%B8%D1%8F-%D0%B2-"
        "%D0%B0%D0%BB%D0%BC%D0%B0%D1%82%D1%8B/"
    )
    assert almaty["organizations"] == (
        'Alpha "quoted", with comma | Zeta | zeta | Émile Zola Centre | '
        "Коалиция против пыток | مركز الدفاع"
    )
    assert almaty["perpetrators"] == "Kyrk Choro (suspected) | Police (carried_out)"
    assert (almaty["region"], almaty["place"]) == ("'=SUM(A1:A9)", "'+7 Алматы")
    assert almaty["published_at"].endswith(".120000+00:00")
    # No fraction when there is none, as datetime.isoformat() writes it.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", rows[1]["published_at"])
    assert rows[1]["organizations"] == "'=Formula Org | مركز الدفاع"
    assert rows[2]["title"] == "'\tTabbed title"
    assert rows[2]["summary"].startswith("'\rStarts")


def test_the_case_addresses_work(client, awkward_cases):
    rows = csv_rows(body(client.get("/en/cases/export.csv")))

    for row in rows:
        assert client.get(row["url"].removeprefix(settings.SITE_URL)).status_code == 200


def test_json_holds_the_same_values_and_ends_with_the_count(client, awkward_cases):
    response = client.get("/en/cases/export.json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    text = body(response)
    data = json.loads(text)
    assert list(data) == ["columns", "incidents", "count"]
    assert data["columns"] == dict(COLUMNS)
    assert data["incidents"] == [documented_row(case) for case in awkward_cases]
    assert data["count"] == 3
    assert text.endswith('], "count": 3}')
    assert "Задержания в Алматы" in text  # written as text, not \u escapes
    assert "SECRET" not in text


def test_country_names_and_addresses_follow_the_interface_language(client, awkward_cases):
    rows = csv_rows(body(client.get("/ar/cases/export.csv")))
    data = json.loads(body(client.get("/ru/cases/export.json")))

    with translation.override("ar"):
        assert rows == [as_csv_cells(documented_row(case)) for case in awkward_cases]
    assert rows[1]["url"].startswith(settings.SITE_URL + "/ar/cases/")
    assert rows[1]["country_name"] == "مصر"
    with translation.override("ru"):
        assert data["incidents"] == [documented_row(case) for case in awkward_cases]
    assert data["incidents"][1]["country_name"] == "Египет"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_database_writes_what_python_writes_elsewhere(awkward_cases, monkeypatch, language):
    """The zero-setup run (SQLite) writes the rows in Python: the same text."""
    # Oldest first, as ordering=date asks, through a filter that joins nothing.
    queryset = Incident.objects.published().order_by("occurred_on", "id")
    with translation.override(language):
        database = ("".join(exports.csv_lines(queryset)), "".join(exports.json_chunks(queryset)))
        monkeypatch.setattr(exports, "on_postgresql", lambda queryset: False)
        python = ("".join(exports.csv_lines(queryset)), "".join(exports.json_chunks(queryset)))

    assert database == python
    assert [row["id"] for row in csv_rows(database[0])] == [
        str(case.pk) for case in reversed(awkward_cases)
    ]


def test_staff_exports_hold_drafts_and_count_them_in_the_audit(researcher_client, awkward_cases):
    response = researcher_client.get("/api/v1/incidents/export.json?country=KZ")

    data = json.loads(body(response))
    assert {row["title"] for row in data["incidents"]} == {
        "Задержания в Алматы",
        "SECRET draft",
        "SECRET embargoed",
    }
    assert data["count"] == 3
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.detail["rows"], event.detail["unpublished_rows"]) == (3, 2)
    assert event.detail["complete"] is True


def test_rows_go_out_in_chunks_and_the_tally_follows(awkward_cases, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    queryset = Incident.objects.published().order_by("-occurred_on", "-id")
    tally = exports.Tally()
    seen = []
    for chunk in exports.json_chunks(queryset, tally):
        seen.append((chunk, tally.rows))

    # The opening, two rows, the last row (after a comma), the closing with the count.
    assert [rows for _chunk, rows in seen] == [0, 2, 3, 3]
    assert seen[2][0].startswith(",{")
    assert json.loads("".join(chunk for chunk, _rows in seen))["count"] == 3
    csv_chunks = list(exports.csv_lines(queryset))
    assert len(csv_chunks) == 4  # byte order mark, header, two rows, one row
    assert len(csv_rows("".join(csv_chunks))) == 3


def test_an_export_of_nothing_is_the_header_or_an_empty_list(client, awkward_cases):
    text = body(client.get("/en/cases/export.csv?country=UZ"))
    data = json.loads(body(client.get("/en/cases/export.json?country=UZ")))
    none = "".join(exports.csv_lines(Incident.objects.none()))

    assert text == "\ufeff" + ",".join(NAMES) + "\r\n"
    assert none == text
    assert (data["incidents"], data["count"]) == ([], 0)


def test_a_cut_stream_is_incomplete_in_the_audit_and_not_json(awkward_cases, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 1)
    request = RequestFactory().get("/en/cases/export.json?country=KZ&country=EG")
    request.user = AnonymousUser()
    response = exports.json_response(
        Incident.objects.published().order_by("-occurred_on", "-id"),
        request=request,
        via="page",
        rows=2,
    )
    chunks = iter(response.streaming_content)
    received = b"".join(next(chunks) for _ in range(2))  # the opening and one row
    # What the web server does when the client hangs up (without the end-of-request
    # signal, which would close the test's database connection).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.detail["rows"], event.detail["complete"]) == (1, False)
    with pytest.raises(json.JSONDecodeError):
        json.loads(received)
    assert b'"count"' not in received


def test_the_row_count_header_is_what_the_caller_counted(rf, awkward_cases):
    request = rf.get("/en/cases/export.csv")
    request.user = AnonymousUser()
    published = Incident.objects.published()

    counted = exports.csv_response(
        published, request=request, via="page", rows=exports.count_capped(published, 10)
    )
    uncounted = exports.csv_response(published, request=request, via="page")

    assert counted["X-Casefile-Rows"] == "3"
    assert "X-Casefile-Rows" not in uncounted
    assert len(csv_rows(body(counted))) == 3
    body(uncounted)  # read to the end, as the server would


def test_count_capped_stops_past_the_limit(awkward_cases):
    published = Incident.objects.published()

    assert exports.count_capped(published, 3) == 3
    assert exports.count_capped(published, 2) is None
    assert exports.count_capped(Incident.objects.none(), 0) == 0


@pytest.mark.django_db(transaction=True)
def test_between_chunks_the_callers_connection_stays_free(seeded_transactional_db, monkeypatch):
    """An export job writes its progress between chunks: committed at once, seen by all."""
    monkeypatch.setattr(exports, "CHUNK", 1)
    IncidentFactory.create_batch(3, published=True)
    chunks = exports.csv_lines(Incident.objects.published().order_by("-occurred_on", "-id"))
    text = "".join(next(chunks) for _ in range(3))  # byte order mark, header, one row

    assert not connection.in_atomic_block and connection.get_autocommit()
    Incident.objects.filter(pk=Incident.objects.order_by("pk").first().pk).update(place="Osh")
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM incidents_incident WHERE place = 'Osh'")
            assert cursor.fetchone() == (1,)
    finally:
        other.close()
    text += "".join(chunks)
    assert len(csv_rows(text)) == 3
