"""Fill a PostgreSQL database with many realistic incidents, fast (COPY, no ORM per row).

    .venv/bin/python bench/research_data.py --incidents 100000 --database casefile_bench_100k

Text is multilingual (French, Russian, English, Arabic) with a Zipf word distribution: a
few words appear in most cases ("de", "и"), most words are rare, as in real reports.
Roughly 95% of incidents are published; the rest are drafts, in review or withdrawn, so
that the publication gate has something to exclude. Organizations and perpetrator groups
are linked through the real join tables. Search vectors are built in batches afterwards,
then the tables are analysed. Last, a few published cases get a published urgent appeal
with a ready PDF version (a one-page PDF written here, not rendered: the benchmark times
the download redirect and the case page, not WeasyPrint), its file under
var/bench-media/ (MEDIA_ROOT for bench/research.py). bench/research.py adds them to a
database loaded before they existed.

For benchmarks only, never for real data: it drops the database it is given first, and it
bypasses the services on purpose (a million cases through ``incident_save`` one by one
would take hours). What they would do, it does itself, in bulk, after the COPY: the search
vectors (``incidents.search.REFRESH_SQL`` in batches) and the facet counts
(``refresh_facet_counts``). It writes no events, no history rows, no audit trail and no
translations, and its appeals get a reference and a file but no render job, and are not
copied to the public location (``appeals.publication.sync_public_files``).
"""

from __future__ import annotations

import argparse
import datetime
import io
import itertools
import random
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Files of the bench appeals, for every bench database (their names carry the reference,
# and the same reference has the same bytes whichever database it is in).
MEDIA_ROOT = ROOT / "var" / "bench-media"
APPEALS = 20

SEED = 20190523
BATCH = 50_000
COUNTRIES = (
    ["KG"] * 8
    + ["KZ"] * 8
    + ["RU"] * 10
    + ["TJ"] * 4
    + ["UZ"] * 4
    + ["EG"] * 6
    + ["SY"] * 3
    + ["TR"] * 6
    + ["IR"] * 5
    + ["BY"] * 4
    + ["AZ"] * 3
    + ["CO"] * 5
    + ["MX"] * 5
    + ["BR"] * 4
    + ["HN"] * 2
    + ["GT"] * 2
    + ["PH"] * 4
    + ["IN"] * 5
    + ["CN"] * 4
    + ["SA"] * 2
    + ["BH"] * 2
    + ["MA"] * 2
    + ["DZ"] * 2
    + ["TN"] * 2
    + ["NI"] * 2
    + ["VE"] * 3
    + ["ZW"] * 2
    + ["UG"] * 2
)
COMMON = {
    "fr": (
        "de la le et les des à en du un une que pour dans est a été par sur au avec ses "
        "défenseurs droits humains police arrêté détention militants manifestation "
        "procès tribunal avocat journaliste organisation coalition réunion menaces "
        "harcèlement condamné libéré enquête accusé hooliganisme torture prison "
        "violences autorités"
    ).split(),
    "ru": (
        "и в на не с что по к за из о от как для правозащитники права человека полиция "
        "задержан задержание активисты митинг суд адвокат журналист организация "
        "коалиция собрание угрозы преследование осуждён освобождён расследование "
        "обвинение пытки тюрьма насилие власти"
    ).split(),
    "en": (
        "the of and to in a was were for on by with defenders human rights police "
        "arrested detention activists protest trial court lawyer journalist "
        "organization coalition meeting threats harassment sentenced released "
        "investigation charged torture prison violence authorities"
    ).split(),
    "ar": (
        "في من على إلى أن عن مع الذي التي حقوق الإنسان المدافعين الشرطة اعتقال احتجاز "
        "ناشطين احتجاج محاكمة محكمة محامي صحفي منظمة تحالف اجتماع تهديدات مضايقة حكم "
        "الإفراج تحقيق تهمة تعذيب سجن عنف السلطات"
    ).split(),
}
SYLLABLES = {
    "fr": (
        "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo ga ge gi la le li lo "
        "lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te "
        "ti to tu va ve vi vo ré té mé"
    ).split(),
    "ru": (
        "ба бе би бо бу ва ве ви во га ге ги да де ди до ка ке ки ко ла ле ли ло ма ме "
        "ми мо на не ни но па пе пи по ра ре ри ро са се си со та те ти то ша ще"
    ).split(),
    "en": (
        "ba be bi bo ca co da de do fa fo ga go ha he hi ho ka ke ki la le li lo ma me "
        "mi mo na ne no pa pe po ra re ri ro sa se so ta te to wa we"
    ).split(),
    "ar": (
        "با بي بو تا تي تو جا جي دا دي را ري سا سي شا طا عا عي فا في قا كا لا لي ما مي "
        "نا ني ها هي وا وي يا"
    ).split(),
}
LANGUAGE_WEIGHTS = [("fr", 40), ("ru", 30), ("en", 20), ("ar", 10)]
VOCABULARY_SIZE = 30_000


def vocabulary(language: str, rng: random.Random) -> tuple[list[str], list[float]]:
    """Common words first, then made-up words for the long tail; Zipf cumulative weights."""
    words = list(COMMON[language])
    seen = set(words)
    syllables = SYLLABLES[language]
    while len(words) < VOCABULARY_SIZE:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = list(itertools.accumulate(1 / (rank**1.07) for rank in range(1, len(words) + 1)))
    return words, weights


def connect(database: str):
    return psycopg2.connect(host="127.0.0.1", user="postgres", dbname=database)


def prepare_database(database: str) -> None:
    import os

    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if cursor.fetchone():
            cursor.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ["MEDIA_ROOT"] = str(MEDIA_ROOT)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row) + "\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


def generate(database: str, count: int) -> dict[str, float]:
    rng = random.Random(SEED)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    prepare_database(database)
    timings["migrate"] = time.perf_counter() - started

    vocabularies = {lang: vocabulary(lang, rng) for lang, _ in LANGUAGE_WEIGHTS}
    languages = [lang for lang, weight in LANGUAGE_WEIGHTS for _ in range(weight)]
    now = datetime.datetime.now(datetime.UTC)

    def text(lang: str, words: int) -> str:
        vocab, weights = vocabularies[lang]
        return " ".join(rng.choices(vocab, cum_weights=weights, k=words))

    connection = connect(database)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT id FROM incidents_status ORDER BY id")
        statuses = [row[0] for row in cursor.fetchall()]
        step = time.perf_counter()
        organization_count = max(200, count // 200)
        group_count = max(50, count // 2000)
        copy_rows(
            cursor,
            "organizations_organization",
            [
                "name",
                "acronym",
                "kind",
                "country",
                "city",
                "about",
                "website",
                "original_language",
                "created_at",
                "updated_at",
            ],
            (
                (
                    f"Organization {n} {text(rng.choice(languages), 2)}",
                    "",
                    "ngo",
                    rng.choice(COUNTRIES),
                    "",
                    "",
                    "",
                    "en",
                    now,
                    now,
                )
                for n in range(organization_count)
            ),
        )
        kinds = [
            "police",
            "security_services",
            "judiciary",
            "military",
            "officials",
            "pro_government",
            "armed_group",
            "company",
            "unknown",
        ]
        copy_rows(
            cursor,
            "organizations_perpetratorgroup",
            [
                "name",
                "aliases",
                "kind",
                "country",
                "description",
                "original_language",
                "created_at",
                "updated_at",
            ],
            (
                (
                    f"Group {n} {text(rng.choice(languages), 2)}",
                    "",
                    rng.choice(kinds),
                    rng.choice(COUNTRIES),
                    "",
                    "en",
                    now,
                    now,
                )
                for n in range(group_count)
            ),
        )
        cursor.execute("SELECT min(id) FROM organizations_organization")
        first_organization = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM organizations_perpetratorgroup")
        first_group = cursor.fetchone()[0]

        columns = [
            "title",
            "slug",
            "summary",
            "narrative",
            "occurred_on",
            "date_precision",
            "country",
            "region",
            "place",
            "location_precision",
            "publication_state",
            "published_at",
            "created_at",
            "updated_at",
            "status_id",
            "original_language",
        ]
        start_day = datetime.date(1995, 1, 1).toordinal()
        end_day = datetime.date(2026, 6, 30).toordinal()
        for batch_start in range(0, count, BATCH):
            size = min(BATCH, count - batch_start)
            rows = []
            for n in range(batch_start, batch_start + size):
                lang = rng.choice(languages)
                occurred = datetime.date.fromordinal(rng.randint(start_day, end_day))
                state = rng.choices(
                    ["published", "draft", "in_review", "withdrawn"], [95, 3, 1, 1]
                )[0]
                published_at = (
                    datetime.datetime.combine(occurred, datetime.time(12), datetime.UTC)
                    + datetime.timedelta(days=rng.randint(1, 60))
                    if state in ("published", "withdrawn")
                    else None
                )
                rows.append(
                    (
                        text(lang, 8).capitalize(),
                        f"bench-{n}",
                        text(lang, 40),
                        text(lang, 90),
                        occurred,
                        "day",
                        rng.choice(COUNTRIES),
                        "",
                        "",
                        "country",
                        state,
                        published_at,
                        now,
                        now,
                        rng.choice(statuses),
                        lang,
                    )
                )
            copy_rows(cursor, "incidents_incident", columns, rows)
            print(f"  incidents: {batch_start + size:,} / {count:,}", flush=True)
        timings["copy incidents"] = time.perf_counter() - step

        step = time.perf_counter()
        cursor.execute("SELECT min(id), max(id) FROM incidents_incident")
        low, high = cursor.fetchone()
        cursor.execute(
            "INSERT INTO incidents_incident_organizations (incident_id, organization_id) "
            "SELECT id, %s + (hashint4(id::int) & 2147483647) %% %s FROM incidents_incident",
            [first_organization, organization_count],
        )
        cursor.execute(
            "INSERT INTO incidents_incidentperpetrator (incident_id, perpetrator_group_id, "
            "involvement) SELECT id, %s + (hashint4(id::int + 7) & 2147483647) %% %s, "
            "'carried_out' FROM incidents_incident",
            [first_group, group_count],
        )
        timings["links"] = time.perf_counter() - step
    connection.commit()

    step = time.perf_counter()
    from incidents.search import REFRESH_SQL

    connection.autocommit = True
    with connection.cursor() as cursor:
        for batch_low in range(low, high + 1, BATCH * 2):
            cursor.execute(
                REFRESH_SQL + " WHERE incident.id BETWEEN %s AND %s",
                [batch_low, batch_low + BATCH * 2 - 1],
            )
            print(f"  search vectors: {min(batch_low + BATCH * 2 - low, count):,}", flush=True)
        timings["search vectors"] = time.perf_counter() - step
        step = time.perf_counter()
        from incidents.facets import refresh_facet_counts

        refresh_facet_counts()
        timings["facet counts"] = time.perf_counter() - step
        step = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - step
    connection.close()
    step = time.perf_counter()
    add_appeals()
    timings["appeals"] = time.perf_counter() - step
    return timings


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF showing ``text`` (ASCII) in Helvetica."""
    line = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = f"BT /F1 18 Tf 72 760 Td ({line}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def add_appeals(count: int = APPEALS) -> list[str]:
    """Published appeals with a ready PDF on ``count`` published cases spread over the list.

    Idempotent: existing bench appeals are kept (their file is written again if it is
    missing), only the missing ones are added. Needs Django set up with MEDIA_ROOT at
    MEDIA_ROOT above. Returns the reference slugs.
    """
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.db import transaction
    from django.utils import timezone

    from appeals.models import Appeal, AppealText, AppealVersion
    from appeals.references import allocate_reference
    from incidents.models import Incident

    storage = storages["appeals"]

    def write_file(version: AppealVersion, pdf: bytes) -> None:
        if not storage.exists(version.file_name):
            saved = storage.save(version.file_name, ContentFile(pdf))
            if saved != version.file_name:
                raise RuntimeError(f"{version.file_name} was stored as {saved}")

    ready = (
        AppealVersion.objects.ready()
        .filter(appeal__in=Appeal.objects.published(), appeal__incident__slug__startswith="bench-")
        .select_related("appeal")
    )
    slugs = []
    for version in ready:
        write_file(version, tiny_pdf(f"Urgent appeal {version.appeal.reference}"))
        slugs.append(version.appeal.reference_slug)
    missing = count - len(slugs)
    if missing <= 0:
        return slugs
    candidates = list(
        Incident.objects.published()
        .filter(appeals__isnull=True)
        .order_by("-occurred_on", "-id")
        .values_list("pk", flat=True)
    )
    step = max(1, len(candidates) // missing)
    for pk in candidates[::step][:missing]:
        with transaction.atomic():
            incident = Incident.objects.get(pk=pk)
            appeal = Appeal.objects.create(
                incident=incident,
                original_language="en",
                publication_state=Appeal.State.PUBLISHED,
                published_at=incident.published_at,
            )
            allocate_reference(appeal, issued_on=incident.published_at.date())
            appeal.save()
            AppealText.objects.create(
                appeal=appeal,
                language="en",
                title=f"Urgent appeal {appeal.reference}: {incident.title[:200]}",
                summary=incident.summary,
                actions_requested="release them\nend the harassment",
            )
            pdf = tiny_pdf(f"Urgent appeal {appeal.reference}")
            version = AppealVersion(
                appeal=appeal,
                language="en",
                number=1,
                file_name=f"bench/{appeal.reference_slug}-en-v1.pdf",
                content_hash=hashlib.sha256(appeal.reference.encode()).hexdigest(),
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                page_count=1,
                ready_at=timezone.now(),
            )
            write_file(version, pdf)
            version.save()
        slugs.append(appeal.reference_slug)
    return slugs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--database", default="casefile_bench_research")
    args = parser.parse_args()
    started = time.perf_counter()
    timings = generate(args.database, args.incidents)
    for step, seconds in timings.items():
        print(f"{step}: {seconds:.1f} s")
    print(f"{args.incidents:,} incidents in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
