"""Research benchmark: the issue's targets at 100k and 1M cases, with the figures before.

    .venv/bin/python bench/research_data.py --incidents 100000 --database casefile_bench_100k
    .venv/bin/python bench/research_data.py --incidents 1000000 --database casefile_bench_1m
    .venv/bin/python bench/research.py casefile_bench_100k casefile_bench_1m

Writes bench/RESULTS.md (``--output`` or BENCH_OUTPUT elsewhere, as CI does) and the raw
figures as JSON (``--json``, default var/bench-research.json); ``--report`` writes the
Markdown again from that JSON. Parts, per database (``--parts`` to choose):

- latency: each request in-process (Django's test client: the whole view, serializer,
  renderer and middleware stack, no network) interleaved with the raw SQL that fetches the
  same page of 50, so both see the same machine at the same moment. BENCH_ROUNDS rounds
  (default 30).
- queries: the queries of the appeal download redirect and of a case page with an appeal,
  counted with CaptureQueriesContext, and their in-process p50.
- export: the CSV export of every published case from gunicorn (one worker), interleaved
  with COPY of the same columns to this process, BENCH_EXPORT_ROUNDS rounds (default 3),
  and the worker's peak memory (VmHWM, reset before each round) while it streams.
- throughput: bench/throughput.py against gunicorn (gunicorn.conf.py, BENCH_WORKERS
  workers, default 2, DEBUG off) at concurrency 1, 4 and 16, BENCH_SECONDS each
  (default 10): the case list, an API filter, a search, case pages and appeal redirects.

Both servers run with production settings (DEBUG off, the cache at BENCH_CACHE_URL,
default Redis database 2, database connections kept open: BENCH_DATABASE_OPTIONS, default
as docker-compose.yml) behind an imagined TLS proxy (X-Forwarded-Proto), with
EXPORT_BACKGROUND_ROWS out of reach so that every export streams. Databases with
migrations not yet applied are refused; ``--migrate`` applies them (additive). Each
database gets the bench appeals of research_data.py if it has none (files under
var/bench-media/).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import http.client
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
EXPORT_ROUNDS = int(os.environ.get("BENCH_EXPORT_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2")
# As docker-compose.yml: database connections kept open between requests.
DATABASE_OPTIONS = os.environ.get(
    "BENCH_DATABASE_OPTIONS", "conn_max_age=60&conn_health_checks=True"
)
CONCURRENCIES = (1, 4, 16)
PAGE = 50
PARTS = ("latency", "queries", "export", "throughput")
BASELINE_COMMIT = "b0ea3e8"

PUBLISHED = "publication_state = 'published' AND published_at <= now()"
COLUMNS = (
    "id, title, slug, summary, occurred_on, date_precision, country, region, place, "
    "status_id, published_at"
)
# The export's columns (incidents/exports.py COLUMNS) as PostgreSQL writes them itself: the
# floor an export is held to. country_name is the code again (a dictionary look-up in
# Python). Names are aggregated per incident in one pass over each link table, joined by
# hash: three times faster here than a subquery per row.
_WHERE = "i." + PUBLISHED.replace(" AND ", " AND i.")
_ORDER = "ORDER BY i.occurred_on DESC, i.id DESC"
EXPORT_COPY = f"""
COPY (
  WITH organizations AS (
    SELECT io.incident_id, string_agg(o.name, ' | ' ORDER BY o.name) AS names
      FROM incidents_incident_organizations io
      JOIN organizations_organization o ON o.id = io.organization_id
     GROUP BY io.incident_id
  ), perpetrators AS (
    SELECT p.incident_id,
           string_agg(g.name || ' (' || p.involvement || ')', ' | ' ORDER BY g.name) AS names
      FROM incidents_incidentperpetrator p
      JOIN organizations_perpetratorgroup g ON g.id = p.perpetrator_group_id
     GROUP BY p.incident_id
  )
  SELECT i.id, %(site)s || '/en/cases/' || i.slug || '/', i.original_language, i.title,
    i.occurred_on, i.date_precision, i.ended_on, i.country, i.country, i.region, i.place,
    s.slug, s.name, organizations.names, perpetrators.names, i.published_at, i.summary
  FROM incidents_incident i
  JOIN incidents_status s ON s.id = i.status_id
  LEFT JOIN organizations ON organizations.incident_id = i.id
  LEFT JOIN perpetrators ON perpetrators.incident_id = i.id
  WHERE {_WHERE} {_ORDER}
) TO STDOUT WITH (FORMAT csv, HEADER)
"""
# The same without the organizations and perpetrators: the incident's own columns only, a
# lower floor (the "COPY 1.75 s" at 100k is of this size), reported beside.
EXPORT_COPY_BARE = f"""
COPY (
  SELECT i.id, %(site)s || '/en/cases/' || i.slug || '/', i.original_language, i.title,
    i.occurred_on, i.date_precision, i.ended_on, i.country, i.country, i.region, i.place,
    s.slug, s.name, i.published_at, i.summary
  FROM incidents_incident i JOIN incidents_status s ON s.id = i.status_id
  WHERE {_WHERE} {_ORDER}
) TO STDOUT WITH (FORMAT csv, HEADER)
"""

# Figures measured on commit b0ea3e8 (its bench/RESULTS.md, 30 rounds) and in the issue.
BEFORE = {
    "api_ratio": {100_000: "13.1×", 1_000_000: "11.1×"},
    "page_ratio": {100_000: "39.1×", 1_000_000: "37.2×"},
    "pdf_queries": "4 queries, ~12 ms",
    "case_queries": "11 queries",
    "export_ratio": "14× (100k: 30 s, COPY 1.75 s)",
    "export_memory": "not measured",
    "case_list_rps": "37 req/s",
    "api_filter_rps": "96 req/s",
}


def floor_sql(where: str = "", order: str = "occurred_on DESC, id DESC") -> str:
    condition = PUBLISHED + (f" AND {where}" if where else "")
    return (
        f"SELECT {COLUMNS} FROM incidents_incident WHERE {condition} ORDER BY {order} LIMIT {PAGE}"
    )


def cursor_at(occurred_on: str, pk: int) -> str:
    """An API cursor pointing into the middle of the list (a deep page): the keyset values."""
    raw = json.dumps({"k": [occurred_on, pk]}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# The database.


def use_database(database: str, *, migrate: bool) -> dict:
    """Point Django at ``database``, check its migrations, add the bench appeals; its facts."""
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.migrations.executor import MigrationExecutor

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = database
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending and not migrate:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending)
        raise SystemExit(
            f"{database} lacks migrations ({names}): run `manage.py migrate` on it, or pass "
            "--migrate."
        )
    if pending:
        print(f"{database}: applying {len(pending)} migrations", flush=True)
        call_command("migrate", verbosity=0)

    from research_data import add_appeals

    appeals = add_appeals()
    facts: dict = {"database": database, "appeals": appeals}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.slug, i.country, count(*) FROM incidents_incident i "
            "JOIN incidents_status s ON s.id = i.status_id GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1"
        )
        facts["status_slug"], facts["country"], _ = cursor.fetchone()
        cursor.execute("SELECT id FROM incidents_status WHERE slug = %s", [facts["status_slug"]])
        facts["status_id"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT occurred_on, id FROM incidents_incident ORDER BY occurred_on DESC, id DESC "
            "OFFSET (SELECT count(*) / 2 FROM incidents_incident) LIMIT 1"
        )
        middle_date, facts["middle_id"] = cursor.fetchone()
        facts["middle"] = middle_date.isoformat()
        cursor.execute("SELECT count(*) FROM incidents_incident")
        facts["size"] = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM incidents_incident WHERE {PUBLISHED}")
        facts["published"] = cursor.fetchone()[0]
        # The most common indexed word, and rare ones, read off the index statistics.
        sample = "SELECT search_vector FROM incidents_incident WHERE id % 50 = 0"
        cursor.execute(f"SELECT word FROM ts_stat('{sample}') ORDER BY ndoc DESC LIMIT 1")
        facts["common"] = cursor.fetchone()[0]
        cursor.execute(
            # Found twice in the sample: about 100 cases at 100k (fewer if there are none).
            f"SELECT word FROM ts_stat('{sample}') WHERE length(word) > 5 "
            "ORDER BY ndoc <> 2, ndoc, word LIMIT 10"
        )
        facts["rare_words"] = [row[0] for row in cursor.fetchall()]
        facts["rare"] = facts["rare_words"][0]
        cursor.execute(
            "SELECT a.reference_slug, i.slug FROM appeals_appeal a "
            "JOIN incidents_incident i ON i.id = a.incident_id "
            "WHERE a.reference_slug = ANY(%s) ORDER BY a.reference_slug",
            [appeals],
        )
        facts["appeal_cases"] = [row[1] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT slug FROM incidents_incident WHERE {PUBLISHED} AND id % 997 = 0 "
            "ORDER BY id LIMIT 20"
        )
        facts["other_cases"] = [row[0] for row in cursor.fetchall()]
    return facts


# In-process: latency against the SQL floor, and query counts.


def latency(facts: dict) -> list[dict]:
    from django.db import connection
    from django.test import Client

    country, status_slug, status_id = facts["country"], facts["status_slug"], facts["status_id"]
    middle, middle_id, rare, common = (
        facts["middle"],
        facts["middle_id"],
        facts["rare"],
        facts["common"],
    )
    dated = "occurred_on BETWEEN '2005-01-01' AND '2020-12-31'"
    cases = [
        ("API list, no filter", "/api/v1/incidents/", floor_sql()),
        (
            "API deep page (cursor mid-list)",
            "/api/v1/incidents/?" + urlencode({"cursor": cursor_at(middle, middle_id)}),
            floor_sql(f"(occurred_on, id) < ('{middle}', {middle_id})"),
        ),
        (
            "API country + status + dates",
            "/api/v1/incidents/?"
            + urlencode(
                {
                    "country": country,
                    "status": status_slug,
                    "occurred_after": "2005-01-01",
                    "occurred_before": "2020-12-31",
                }
            ),
            floor_sql(f"country = '{country}' AND status_id = {status_id} AND {dated}"),
        ),
        (
            f"API search, rare word ({rare})",
            "/api/v1/incidents/?" + urlencode({"q": rare}),
            # The best plain SQL for a rare word: ids from the GIN index first, then sorted.
            floor_sql(
                "id IN (SELECT id FROM incidents_incident WHERE search_vector @@ "
                f"websearch_to_tsquery('casefile', '{rare}') LIMIT 1000)"
            ),
        ),
        (
            f"API search, common word ({common})",
            "/api/v1/incidents/?" + urlencode({"q": common}),
            floor_sql(f"search_vector @@ websearch_to_tsquery('casefile', '{common}')"),
        ),
        ("Public list page with facets", "/en/cases/", floor_sql()),
    ]
    client = Client(headers={"accept-language": "en"})
    results = []
    for name, path, sql in cases:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:300]!r}")
        app, raw = [], []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()
            raw.append(time.perf_counter() - started)
            started = time.perf_counter()
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            app.append(time.perf_counter() - started)
        result = {
            "name": name,
            "p50": statistics.median(app),
            "p95": percentile(app, 0.95),
            "raw_p50": statistics.median(raw),
            "raw_p95": percentile(raw, 0.95),
        }
        results.append(result)
        print(
            f"{facts['size']:>9,}  {name:<42} p50 {result['p50'] * 1000:7.1f} ms  "
            f"p95 {result['p95'] * 1000:7.1f} ms  raw p50 {result['raw_p50'] * 1000:6.2f} ms  "
            f"ratio {result['p50'] / result['raw_p50']:5.1f}x",
            flush=True,
        )
    return results


def query_counts(facts: dict) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"accept-language": "en"})
    checks = [
        ("Appeal PDF redirect", f"/appeals/{facts['appeals'][0]}.pdf", 302),
        ("Case page with an appeal", f"/en/cases/{facts['appeal_cases'][0]}/", 200),
    ]
    results = []
    for name, path, expected in checks:
        response = client.get(path)  # warm: the public file copy, caches
        if response.status_code != expected:
            raise SystemExit(f"{path} answered {response.status_code}, expected {expected}")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        # Read now: the next request empties the connection's query log.
        sql = [query["sql"] for query in captured.captured_queries]
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        results.append(
            {
                "name": name,
                "path": path,
                "queries": len(sql),
                "sql": sql,
                "p50": statistics.median(times),
            }
        )
        print(
            f"{facts['size']:>9,}  {name:<42} {_queries(len(sql))}, "
            f"p50 {statistics.median(times) * 1000:.1f} ms",
            flush=True,
        )
    return results


# gunicorn: exports and throughput.


class Server:
    """gunicorn with gunicorn.conf.py and production settings on one bench database."""

    def __init__(self, database: str, *, workers: int, log: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GUNICORN_", "DJANGO_"))
            and key not in {"REDIS_URL", "CELERY_BROKER_URL", "SECURE_SSL_REDIRECT", "DEBUG"}
        }
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}"
            + (f"?{DATABASE_OPTIONS}" if DATABASE_OPTIONS else ""),
            DEBUG="false",
            SECRET_KEY="bench-only-secret-key-" + "x" * 40,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
            # No collectstatic for a benchmark: plain static URLs.
            STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
            MEDIA_ROOT=os.environ["MEDIA_ROOT"],
            CACHE_URL=CACHE_URL,
            EXPORT_BACKGROUND_ROWS=str(10**12),
            LOG_LEVEL="WARNING",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_ACCESS_LOG=str(log.with_suffix(".access.log")),
        )
        log.parent.mkdir(parents=True, exist_ok=True)
        log.with_suffix(".access.log").unlink(missing_ok=True)
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start: see {log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request("GET", "/en/", headers={"X-Forwarded-Proto": "https"})
                if connection.getresponse().status == 200 and len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within a minute: see {log}")

    def workers(self) -> list[int]:
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry.name))
        return children

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def export(facts: dict, log_dir: Path) -> dict:
    """The CSV export of every published case through gunicorn, interleaved with COPY."""
    from django.conf import settings
    from django.db import connection

    site = {"site": "'" + settings.SITE_URL.replace("'", "''") + "'"}
    copy_sql, bare_sql = EXPORT_COPY % site, EXPORT_COPY_BARE % site
    rounds: list[dict] = []
    with Server(facts["database"], workers=1, log=log_dir / "export.log") as server:
        (worker,) = server.workers()
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "en"}
        client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        client.request("GET", "/en/cases/", headers=headers)
        client.getresponse().read()
        client.close()
        baseline = memory_kib(worker, "VmRSS")
        for _ in range(EXPORT_ROUNDS):
            seconds = {}
            for name, sql in (("copy", copy_sql), ("bare", bare_sql)):
                sink = _Counter()
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.copy_expert(sql, sink)
                seconds[name] = time.perf_counter() - started
                if sink.lines - 1 != facts["published"]:
                    raise SystemExit(f"COPY sent {sink.lines - 1:,} rows: check EXPORT_COPY")
            copy_seconds = seconds["copy"]

            # Reset the worker's peak resident size: VmHWM is then this export's peak.
            Path(f"/proc/{worker}/clear_refs").write_text("5")
            # A connection of its own: the COPY may outlast the server's keep-alive.
            client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
            started = time.perf_counter()
            client.request("GET", "/en/cases/export.csv", headers=headers)
            response = client.getresponse()
            if response.status != 200 or "text/csv" not in response.getheader("Content-Type", ""):
                raise SystemExit(
                    f"the export answered {response.status} {response.getheader('Content-Type')}"
                    f": {response.read(300)!r}"
                )
            first_byte = time.perf_counter() - started
            received = _Counter()
            while chunk := response.read(1 << 18):
                received.write(chunk)
            export_seconds = time.perf_counter() - started
            client.close()
            peak = memory_kib(worker, "VmHWM")
            rows = received.lines - 1
            if rows != facts["published"]:
                raise SystemExit(
                    f"the export sent {rows:,} rows, {facts['published']:,} cases are published"
                )
            rounds.append(
                {
                    "copy_seconds": copy_seconds,
                    "bare_copy_seconds": seconds["bare"],
                    "export_seconds": export_seconds,
                    "first_byte_seconds": first_byte,
                    "export_bytes": received.bytes,
                    "peak_kib": peak,
                }
            )
            print(
                f"{facts['size']:>9,}  export CSV {rows:,} rows {received.bytes / 1e6:.0f} MB: "
                f"{export_seconds:.2f} s (first byte {first_byte * 1000:.0f} ms), COPY "
                f"{copy_seconds:.2f} s, ratio {export_seconds / copy_seconds:.1f}x (incident "
                f"columns only {seconds['bare']:.2f} s), worker peak "
                f"{peak / 1024:.0f} MB",
                flush=True,
            )
    return {
        "rows": facts["published"],
        "baseline_kib": baseline,
        "rounds": rounds,
        "export_p50": statistics.median(r["export_seconds"] for r in rounds),
        "copy_p50": statistics.median(r["copy_seconds"] for r in rounds),
        "bare_copy_p50": statistics.median(r["bare_copy_seconds"] for r in rounds),
        "ratio_p50": statistics.median(r["export_seconds"] / r["copy_seconds"] for r in rounds),
        "peak_kib": max(r["peak_kib"] for r in rounds),
    }


class _Counter:
    """A write-only file that counts bytes and lines."""

    def __init__(self) -> None:
        self.bytes = 0
        self.lines = 0

    def write(self, data: bytes | str) -> int:
        if isinstance(data, str):
            data = data.encode()
        self.bytes += len(data)
        self.lines += data.count(b"\n")
        return len(data)


def throughput_targets(facts: dict) -> list[tuple[str, list[str], int]]:
    api_filter = "/api/v1/incidents/?" + urlencode(
        {"country": facts["country"], "status": facts["status_slug"]}
    )
    return [
        ("Case list", ["/en/cases/"], 200),
        ("API filter (country + status)", [api_filter], 200),
        (
            f"Search, case list ({len(facts['rare_words'])} rare words)",
            [f"/en/cases/?q={quote(word)}" for word in facts["rare_words"]],
            200,
        ),
        (
            f"Case pages ({len(facts['appeal_cases']) + len(facts['other_cases'])})",
            [f"/en/cases/{slug}/" for slug in facts["appeal_cases"] + facts["other_cases"]],
            200,
        ),
        (
            f"Appeal PDF redirect ({len(facts['appeals'])})",
            [f"/appeals/{slug}.pdf" for slug in facts["appeals"]],
            302,
        ),
    ]


def throughput(facts: dict, log_dir: Path) -> list[dict]:
    import throughput as load

    results = []
    with Server(facts["database"], workers=WORKERS, log=log_dir / "throughput.log") as server:
        for name, paths, expect in throughput_targets(facts):
            for result in load.measure(
                server.base, paths, concurrencies=CONCURRENCIES, seconds=SECONDS, expect=expect
            ):
                result["name"] = name
                results.append(result)
                print(f"{facts['size']:>9,}  {load.describe(name, result)}", flush=True)
    return results


# The report.


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _queries(count: int) -> str:
    return f"{count} query" if count == 1 else f"{count} queries"


def _size(size: int) -> str:
    return f"{size:,}"


def targets(results: list[dict]) -> list[str]:
    """The issue's table: target, before, then each database measured."""
    sizes = [r["size"] for r in results]
    header = "| target | before (" + BASELINE_COMMIT + ") | " + " | ".join(map(_size, sizes)) + " |"
    lines = [header, "|---|---|" + "---|" * len(sizes)]

    def row(target: str, before: str, cell) -> None:
        cells = []
        for r in results:
            try:
                cells.append(cell(r))
            except (KeyError, IndexError, StopIteration, TypeError):
                cells.append("not measured")
        lines.append(f"| {target} | {before} | " + " | ".join(cells) + " |")

    def latency_ratio(r: dict, name: str, limit: float) -> str:
        entry = next(e for e in r["latency"] if e["name"] == name)
        ratio = entry["p50"] / entry["raw_p50"]
        return f"{ratio:.1f}× ({_met(ratio <= limit)})"

    def before_by_size(key: str) -> str:
        return " / ".join(f"{v} ({_size(k)})" for k, v in BEFORE[key].items())

    row(
        "API list, no filter: p50 ≤ 6× the plain SELECT of the page (at 1M)",
        before_by_size("api_ratio"),
        lambda r: latency_ratio(r, "API list, no filter", 6),
    )
    row(
        "Public list page: p50 ≤ 20× its SQL",
        before_by_size("page_ratio"),
        lambda r: latency_ratio(r, "Public list page with facets", 20),
    )

    def queries(r: dict, name: str, limit: int) -> str:
        entry = next(e for e in r["queries"] if e["name"] == name)
        return (
            f"{_queries(entry['queries'])}, {entry['p50'] * 1000:.1f} ms "
            f"({_met(entry['queries'] <= limit)})"
        )

    row(
        "`/appeals/<ref>.pdf`: 1 query",
        BEFORE["pdf_queries"],
        lambda r: queries(r, "Appeal PDF redirect", 1),
    )
    row(
        "Case page (with an appeal): at most 6 queries",
        BEFORE["case_queries"],
        lambda r: queries(r, "Case page with an appeal", 6),
    )
    row(
        "Export, CSV of every published case: within 2× of COPY",
        BEFORE["export_ratio"],
        lambda r: (
            f"{r['export']['ratio_p50']:.1f}× ({r['export']['export_p50']:.1f} s, COPY "
            f"{r['export']['copy_p50']:.2f} s; {_met(r['export']['ratio_p50'] <= 2)})"
        ),
    )
    row(
        "Export: web process peak memory below 200 MB (at 1M)",
        BEFORE["export_memory"],
        lambda r: (
            f"{r['export']['peak_kib'] / 1024:.0f} MB "
            f"({_met(r['export']['peak_kib'] / 1024 < 200)})"
        ),
    )

    def rps(r: dict, name: str, concurrency: int) -> str:
        entry = next(
            e
            for e in r["throughput"]
            if e["name"].startswith(name) and e["concurrency"] == concurrency
        )
        return f"{entry['per_second']:.0f} req/s, p99 {entry['p99'] * 1000:.0f} ms"

    row(
        f"Throughput, case list, concurrency 4 ({WORKERS} gunicorn workers)",
        BEFORE["case_list_rps"],
        lambda r: rps(r, "Case list", 4),
    )
    row(
        f"Throughput, API filter, concurrency 4 ({WORKERS} gunicorn workers)",
        BEFORE["api_filter_rps"],
        lambda r: rps(r, "API filter", 4),
    )
    return lines


def report(results: list[dict], meta: dict) -> str:
    lines = [
        "# Research benchmark",
        "",
        f"Commit `{meta['commit']}`{meta['dirty']}, {meta['date']}, produced by:",
        "",
        "```sh",
        meta["command"],
        "```",
        "",
        "Machine: " + meta["machine"] + ". Times on a shared machine are noisy: the ratios",
        "below compare figures measured interleaved in the same run. The figures before are",
        f"those of commit {BASELINE_COMMIT} (its bench/RESULTS.md) and of the issue.",
        "",
        "## Targets",
        "",
        *targets(results),
    ]
    with_latency = [r for r in results if r.get("latency")]
    if with_latency:
        lines += [
            "",
            "## Latency in-process against the SQL floor",
            "",
            "The whole Django request in-process (test client, no network), interleaved with",
            f"the raw SQL for the same page of {PAGE}; {meta['rounds']} rounds each.",
            "",
            "| cases | request | p50 ms | p95 ms | raw SQL p50 ms | p50 / raw |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for r in with_latency:
            for e in r["latency"]:
                lines.append(
                    f"| {_size(r['size'])} | {e['name']} | {e['p50'] * 1000:.1f} | "
                    f"{e['p95'] * 1000:.1f} | {e['raw_p50'] * 1000:.2f} | "
                    f"{e['p50'] / e['raw_p50']:.1f} |"
                )
    with_queries = [r for r in results if r.get("queries")]
    if with_queries:
        lines += [
            "",
            "## Queries",
            "",
            "Counted with `django.test.utils.CaptureQueriesContext` on a warm request.",
            "",
            "| cases | request | queries | p50 ms |",
            "|---:|---|---:|---:|",
        ]
        for r in with_queries:
            for e in r["queries"]:
                lines.append(
                    f"| {_size(r['size'])} | {e['name']} (`{e['path']}`) | {e['queries']} | "
                    f"{e['p50'] * 1000:.1f} |"
                )
    with_export = [r for r in results if r.get("export")]
    if with_export:
        lines += [
            "",
            "## Export",
            "",
            "`/en/cases/export.csv` (every published case) from gunicorn with one worker, read",
            "to the end by this process, interleaved with `COPY (SELECT the same columns) TO",
            "STDOUT WITH CSV` read by this process (`EXPORT_COPY` in bench/research.py) and",
            "with the same COPY without the organizations and perpetrators (the size of the",
            f"issue's COPY); {meta['export_rounds']} rounds, p50. Peak memory is the worker's",
            "VmHWM, reset before each export (`/proc/<pid>/clear_refs`); before: its resident",
            "size after one page.",
            "",
            "| cases | rows | export s (p50) | first byte ms | COPY s (p50) | export / COPY | "
            "COPY without names s | export / that | MB sent | worker before MB | "
            "worker peak MB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in with_export:
            e = r["export"]
            first = statistics.median(x["first_byte_seconds"] for x in e["rounds"])
            lines.append(
                f"| {_size(r['size'])} | {e['rows']:,} | {e['export_p50']:.2f} | "
                f"{first * 1000:.0f} | {e['copy_p50']:.2f} | {e['ratio_p50']:.1f} | "
                f"{e['bare_copy_p50']:.2f} | {e['export_p50'] / e['bare_copy_p50']:.1f} | "
                f"{e['rounds'][0]['export_bytes'] / 1e6:.0f} | {e['baseline_kib'] / 1024:.0f} | "
                f"{e['peak_kib'] / 1024:.0f} |"
            )
    with_throughput = [r for r in results if r.get("throughput")]
    if with_throughput:
        lines += [
            "",
            "## Throughput under gunicorn",
            "",
            f"gunicorn with gunicorn.conf.py ({WORKERS} workers, its default threads), DEBUG "
            f"off, the cache in Redis, DATABASE_URL options `{meta.get('database_options', '')}`; "
            "`bench/throughput.py` on the same machine (its threads,",
            "one kept-alive connection each, take CPU from the server too), "
            f"{meta['seconds']:g} s per concurrency after a warm-up. "
            "Errors: any other status than expected (302 for the redirect) or a failed "
            "connection.",
            "",
            "| cases | request | concurrency | req/s | p50 ms | p99 ms | requests | errors |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in with_throughput:
            for e in r["throughput"]:
                lines.append(
                    f"| {_size(r['size'])} | {e['name']} | {e['concurrency']} | "
                    f"{e['per_second']:.1f} | {e['p50'] * 1000:.1f} | {e['p99'] * 1000:.1f} | "
                    f"{e['requests']} | {e['errors']} |"
                )
    lines += [
        "",
        "## Reading the ratios",
        "",
        "The API floor is a plain SELECT of 11 columns of 50 rows. An API page also runs",
        "Django's request cycle (about 1 ms: `/api/v1/statuses/`, one small query, takes",
        "that long here), validates the filters, fetches each row's organizations and",
        "perpetrator groups and writes the JSON with links. The export floor is PostgreSQL",
        "writing the export's columns as CSV itself, the least any export can cost.",
    ]
    return "\n".join(lines) + "\n"


def git_meta() -> dict:
    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": git("rev-parse", "HEAD") or "unknown",
        "dirty": " with uncommitted changes" if changed else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "databases", nargs="*", default=["casefile_bench_100k", "casefile_bench_1m"]
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(os.environ.get("BENCH_OUTPUT", ROOT / "bench" / "RESULTS.md")),
        help="Markdown report (default: bench/RESULTS.md, or $BENCH_OUTPUT)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "var" / "bench-research.json")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS)
    )
    parser.add_argument("--migrate", action="store_true", help="apply pending migrations first")
    parser.add_argument("--report", action="store_true", help="rewrite the report from --json")
    args = parser.parse_args()
    if args.report:
        saved = json.loads(args.json.read_text())
        args.output.write_text(report(saved["results"], saved["meta"]))
        return
    parts = set(args.parts.split(","))
    if parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}")

    from research_data import MEDIA_ROOT

    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.databases[0]}"
    os.environ["MEDIA_ROOT"] = str(MEDIA_ROOT)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # In-process requests over plain HTTP, in one process: no HTTPS redirect, and the
    # per-process cache the earlier results were measured with.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ.setdefault(
        "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    settings_used = {
        name: os.environ[name]
        for name in (
            "BENCH_ROUNDS",
            "BENCH_EXPORT_ROUNDS",
            "BENCH_SECONDS",
            "BENCH_WORKERS",
            "BENCH_CACHE_URL",
            "BENCH_DATABASE_OPTIONS",
        )
        if name in os.environ
    }
    command = " ".join(
        [*(f"{k}={v}" for k, v in settings_used.items()), ".venv/bin/python", "bench/research.py"]
        + [shlex.quote(arg) for arg in sys.argv[1:]]
    )
    meta = {
        **git_meta(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": f"{os.cpu_count()} cores, shared",
        "rounds": ROUNDS,
        "export_rounds": EXPORT_ROUNDS,
        "seconds": SECONDS,
        "database_options": DATABASE_OPTIONS,
    }
    log_dir = ROOT / "var" / "bench-logs"
    results = []
    for database in args.databases:
        facts = use_database(database, migrate=args.migrate)
        result: dict = {"database": database, "size": facts["size"]}
        if "latency" in parts:
            result["latency"] = latency(facts)
        if "queries" in parts:
            result["queries"] = query_counts(facts)
        if "export" in parts:
            result["export"] = export(facts, log_dir / database)
        if "throughput" in parts:
            result["throughput"] = throughput(facts, log_dir / database)
        results.append(result)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    text = report(results, meta)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print()
    print(text)
    print(f"Written to {args.output}")
    failed = [
        f"{r['database']}: {e['name']} at concurrency {e['concurrency']}: {e['errors']} errors "
        f"({e['first_error']})"
        for r in results
        for e in r.get("throughput", [])
        if e["errors"]
    ]
    if failed:
        raise SystemExit("Requests failed under load:\n" + "\n".join(failed))


if __name__ == "__main__":
    main()
