"""Research benchmark: API and public list against the raw SQL floor, at 100k and 1M cases.

    .venv/bin/python bench/research_data.py --incidents 100000 --database casefile_bench_100k
    .venv/bin/python bench/research_data.py --incidents 1000000 --database casefile_bench_1m
    .venv/bin/python bench/research.py casefile_bench_100k casefile_bench_1m

For each database, each measured request is timed in-process (Django's test client: the
whole view, serializer, renderer and middleware stack, no network) interleaved with the
raw SQL that fetches the same page of 50, so both see the same machine at the same moment.
Prints p50/p95 and ratios, and writes bench/RESULTS.md.
"""

from __future__ import annotations

import base64
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
PAGE = 50

PUBLISHED = "publication_state = 'published' AND published_at <= now()"
COLUMNS = (
    "id, title, slug, summary, occurred_on, date_precision, country, region, place, "
    "status_id, published_at"
)


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


def measure(database: str) -> list[dict]:
    from django.db import connection, connections
    from django.test import Client

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = database
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.slug, i.country, count(*) FROM incidents_incident i "
            "JOIN incidents_status s ON s.id = i.status_id GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1"
        )
        status_slug, country, _ = cursor.fetchone()
        cursor.execute("SELECT id FROM incidents_status WHERE slug = %s", [status_slug])
        status_id = cursor.fetchone()[0]
        cursor.execute(
            "SELECT occurred_on, id FROM incidents_incident ORDER BY occurred_on DESC, id DESC "
            "OFFSET (SELECT count(*) / 2 FROM incidents_incident) LIMIT 1"
        )
        middle_date, middle_id = cursor.fetchone()
        middle = middle_date.isoformat()
        cursor.execute("SELECT count(*) FROM incidents_incident")
        size = cursor.fetchone()[0]
        # The rarest and a very common indexed word, read off the index statistics.
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM incidents_incident "
            "WHERE id % 50 = 0') ORDER BY ndoc DESC LIMIT 1"
        )
        common = cursor.fetchone()[0]
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT search_vector FROM incidents_incident "
            "WHERE id % 50 = 0') WHERE ndoc = 2 AND length(word) > 5 LIMIT 1"
        )
        rare = cursor.fetchone()[0]

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
    client = Client()
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
        results.append(
            {
                "database": database,
                "size": size,
                "name": name,
                "p50": statistics.median(app),
                "p95": percentile(app, 0.95),
                "raw_p50": statistics.median(raw),
                "raw_p95": percentile(raw, 0.95),
            }
        )
        print(
            f"{size:>9,}  {name:<42} p50 {results[-1]['p50'] * 1000:7.1f} ms  "
            f"p95 {results[-1]['p95'] * 1000:7.1f} ms  raw p50 "
            f"{results[-1]['raw_p50'] * 1000:6.2f} ms  ratio "
            f"{results[-1]['p50'] / results[-1]['raw_p50']:5.1f}x",
            flush=True,
        )
    return results


def report(results: list[dict]) -> str:
    lines = [
        "# Research benchmark",
        "",
        "Produced by `bench/research.py` (see its docstring for the commands). Times are for "
        "the whole Django request in-process, interleaved with the raw SQL for the same page "
        f"of {PAGE}; {ROUNDS} rounds each. Machine: 2 cores, shared.",
        "",
        "| cases | request | p50 ms | p95 ms | raw SQL p50 ms | p50 / raw |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['name']} | {r['p50'] * 1000:.1f} | {r['p95'] * 1000:.1f} | "
            f"{r['raw_p50'] * 1000:.2f} | {r['p50'] / r['raw_p50']:.1f} |"
        )
    sizes = sorted({r["size"] for r in results})
    lines += ["", "## Targets", ""]
    by = {(r["size"], r["name"].split(" (")[0]): r for r in results}
    for size in sizes:
        for name in ("API list, no filter", "API country + status + dates"):
            r = by[(size, name)]
            ratio = r["p50"] / r["raw_p50"]
            lines.append(
                f"- {size:,}: {name} p50 within 5x of raw SQL: {ratio:.1f}x "
                f"({'met' if ratio <= 5 else 'NOT met'})"
            )
        rare, common = by[(size, "API search, rare word")], by[(size, "API search, common word")]
        ratio = common["p50"] / rare["p50"]
        lines.append(
            f"- {size:,}: common-word search within 3x of rare-word search: "
            f"{ratio:.1f}x ({'met' if ratio <= 3 else 'NOT met'})"
        )
        page = by[(size, "Public list page with facets")]
        lines.append(
            f"- {size:,}: public list page with facets p95 "
            f"{page['p95'] * 1000:.0f} ms (target under 300 ms at 1M)"
        )
    if len(sizes) == 2:
        small, large = sizes
        for name in ("API list, no filter", "API country + status + dates", "API deep page"):
            ratio = by[(large, name)]["p50"] / by[(small, name)]["p50"]
            lines.append(
                f"- {name}: p50 at {large:,} / p50 at {small:,} = {ratio:.2f} "
                f"({'met' if ratio <= 1.5 else 'NOT met'}, target 1.5)"
            )
    lines += [
        "",
        "## Reading the API ratios",
        "",
        "The floor is a plain SELECT of 11 columns of 50 rows. An API page also runs",
        "Django's request cycle (about 1 ms: `/api/v1/statuses/`, one small query, takes",
        "that long here), validates the filters, fetches each row's organizations and",
        "perpetrator groups (two subqueries per row) and writes the JSON with links. The",
        "JSON is written by PostgreSQL (`incidents/api_rows.py`); before that, with model",
        "instances and a serializer, the same page took 12 to 15 ms (13 to 15x).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    if sys.argv[1:] == ["--report"]:  # rewrite RESULTS.md from the last run's numbers
        results = json.loads((ROOT / "var" / "bench-research.json").read_text())
        (ROOT / "bench" / "RESULTS.md").write_text(report(results))
        return
    databases = sys.argv[1:] or ["casefile_bench_100k", "casefile_bench_1m"]
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{databases[0]}"
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
    results = []
    for database in databases:
        results += measure(database)
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-research.json").write_text(json.dumps(results, indent=1))
    text = report(results)
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
