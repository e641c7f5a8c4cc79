"""Backups that restore: a drill into a scratch database and empty storage, and the refusals.

The drill checks the restore with its own eyes (SQL over both databases, SHA-256 over both
folders), not with the backup module's counters.
"""

import hashlib
import io
import json
import os
import tarfile
import time
import uuid
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from appeals.models import Letterhead
from appeals.services import appeal_request_render
from backups import crypto
from tests.factories import AppealFactory, IncidentFactory, OrganizationFactory, UserFactory

KEY_TABLES = {
    "incidents_incident": "id, title, slug, publication_state",
    "organizations_organization": "id, name, acronym",
    "auth_user": "id, username, password",
    "appeals_appeal": "id, reference, publication_state",
    "appeals_appealversion": "id, file_name, sha256, size",
    "appeals_letterhead": "id, logo",
}


# Helpers and fixtures


def _connect(dbname: str):
    params = connection.settings_dict
    return psycopg2.connect(
        dbname=dbname,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )


def _row_counts(dbname: str) -> dict[str, int]:
    with _connect(dbname) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalogue names)
            counts[table] = cursor.fetchone()[0]
    db.close()
    return counts


def _key_rows(dbname: str) -> dict[str, list[tuple]]:
    with _connect(dbname) as db, db.cursor() as cursor:
        rows = {}
        for table, columns in KEY_TABLES.items():
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608
            rows[table] = cursor.fetchall()
    db.close()
    return rows


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _point_storages_at(settings, root: Path) -> None:
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "appeals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root / "private" / "appeals"},
        },
        "public_appeals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root / "public" / "appeals"},
        },
    }


@pytest.fixture
def backup_key(settings) -> str:
    settings.BACKUP_ENCRYPTION_KEY = crypto.generate_key()
    return settings.BACKUP_ENCRYPTION_KEY


@pytest.fixture
def scratch_database(_required_services):
    """A new, empty PostgreSQL database (its URL), dropped at the end whatever happens."""
    name = f"casefile_restore_{uuid.uuid4().hex[:12]}"
    admin = _connect("postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        params = connection.settings_dict
        credentials = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        yield name, f"postgres://{credentials}@{params['HOST']}:{params['PORT'] or 5432}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _backup(tmp_path: Path) -> Path:
    out, err = StringIO(), StringIO()
    call_command("backup", output_dir=tmp_path / "archives", stdout=out, stderr=err)
    return Path(out.getvalue().strip())


def _restore(archive: Path, database_url: str) -> str:
    out = StringIO()
    call_command("restore", str(archive), database_url=database_url, stdout=out, stderr=StringIO())
    return out.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


# The drill


@pytest.mark.postgres
def test_restore_drill_brings_back_every_row_and_every_file(
    seeded_transactional_db, backup_key, scratch_database, settings, tmp_path
):
    reviewer = UserFactory(username="ruslan.reviewer", roles=["reviewer"])
    organizations = OrganizationFactory.create_batch(3)
    incidents = [
        IncidentFactory(published=True, organizations=organizations[:2]),
        IncidentFactory(published=True, organizations=organizations[2:]),
        IncidentFactory(title="Brouillon : avocat convoqué", organizations=organizations[:1]),
    ]
    appeal = AppealFactory(incident=incidents[0], published=True)
    # No transaction is open: the render runs in-process as soon as its job commits.
    job = appeal_request_render(actor=reviewer, appeal=appeal, language="fr")
    job.refresh_from_db()
    assert job.state == "ready", job.error
    Letterhead.objects.create(organization_name="Coalition").logo.save(
        "logo.png", ContentFile(_png())
    )
    # An upload bigger than the cipher's 1 MiB records: the archive spans several.
    default_storage.save("uploads/scan.bin", ContentFile(os.urandom(3 << 20)))
    source_media = Path(settings.MEDIA_ROOT)
    source_files = _tree(source_media)
    # The private version, its public copy and two uploads: every storage holds a file.
    assert {path.split("/")[0] for path in source_files} == {
        "private",
        "public",
        "letterhead",
        "uploads",
    }
    source_db = connection.settings_dict["NAME"]
    source_counts, source_rows = _row_counts(source_db), _key_rows(source_db)

    started = time.monotonic()
    archive = _backup(tmp_path)
    backed_up = time.monotonic()

    assert archive.stat().st_mode & 0o777 == 0o600
    raw = archive.read_bytes()
    pdf = (source_media / "private" / "appeals" / job.version.file_name).read_bytes()
    assert b"%PDF" not in raw and pdf[200:264] not in raw and b"manifest.json" not in raw

    scratch_name, scratch_url = scratch_database
    _point_storages_at(settings, tmp_path / "restored")
    summary = _restore(archive, scratch_url)
    restored = time.monotonic()

    assert _row_counts(scratch_name) == source_counts
    assert _key_rows(scratch_name) == source_rows
    assert _tree(tmp_path / "restored") == source_files
    for file_name, sha256, _size in (row[1:] for row in source_rows["appeals_appealversion"]):
        stored = tmp_path / "restored" / "private" / "appeals" / file_name
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha256
    tables, rows = len(source_counts), sum(source_counts.values())
    assert f"Restored {tables} tables, {rows} rows, {len(source_files)} files" in summary
    print(  # The drill's numbers, for the record (pytest -s).
        f"\ndrill: {tables} tables, {rows} rows, {len(source_files)} files; "
        f"backup {backed_up - started:.2f} s, restore {restored - backed_up:.2f} s"
    )


# Refusals


def test_backup_without_a_key_is_refused(settings, tmp_path):
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match="BACKUP_ENCRYPTION_KEY is not set"):
        _backup(tmp_path)
    assert not (tmp_path / "archives").exists()


def test_generated_keys_are_32_random_bytes():
    out = StringIO()
    call_command("backup", generate_key=True, stdout=out)
    first = out.getvalue().strip()
    assert len(crypto.decode_key(first)) == 32
    assert first != crypto.generate_key()


@pytest.mark.postgres
def test_wrong_key_is_refused_and_nothing_is_written(
    db, backup_key, scratch_database, settings, tmp_path
):
    archive = _backup(tmp_path)
    settings.BACKUP_ENCRYPTION_KEY = crypto.generate_key()
    _point_storages_at(settings, tmp_path / "restored")
    scratch_name, scratch_url = scratch_database

    with pytest.raises(CommandError, match="wrong key: the archive was encrypted with a different"):
        _restore(archive, scratch_url)
    assert _row_counts(scratch_name) == {}
    assert _tree(tmp_path / "restored") == {}


@pytest.mark.postgres
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            lambda raw: raw[:100_000] + bytes([raw[100_000] ^ 1]) + raw[100_001:], id="flip"
        ),
        pytest.param(lambda raw: raw[:-40], id="cut-the-end"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="half"),
    ],
)
def test_tampered_or_truncated_archive_is_refused_and_nothing_is_written(
    damage, db, backup_key, scratch_database, settings, tmp_path
):
    archive = _backup(tmp_path)
    archive.write_bytes(damage(archive.read_bytes()))
    _point_storages_at(settings, tmp_path / "restored")
    scratch_name, scratch_url = scratch_database

    with pytest.raises(CommandError, match="the archive is damaged or was tampered with"):
        _restore(archive, scratch_url)
    assert _row_counts(scratch_name) == {}
    assert _tree(tmp_path / "restored") == {}


@pytest.mark.postgres
def test_a_file_that_disagrees_with_the_manifest_is_refused_before_anything_is_written(
    db, backup_key, scratch_database, settings, tmp_path
):
    """Someone holding the key rebuilds the archive with one file changed, manifest kept."""
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "note.txt").write_bytes(b"the original upload")
    archive = _backup(tmp_path)
    key = crypto.decode_key(backup_key)
    plain = io.BytesIO()
    with open(archive, "rb") as raw:
        reader = crypto.DecryptingReader(raw, key)
        while chunk := reader.read(1 << 20):
            plain.write(chunk)
    plain.seek(0)
    rebuilt = io.BytesIO()
    with tarfile.open(fileobj=plain) as old, tarfile.open(fileobj=rebuilt, mode="w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == "files/default/note.txt":
                data = b"the altered  upload"  # same length
            new.addfile(member, io.BytesIO(data))
    with open(archive, "wb") as raw:
        writer = crypto.EncryptingWriter(raw, key)
        writer.write(rebuilt.getvalue())
        writer.finish()
    _point_storages_at(settings, tmp_path / "restored")
    scratch_name, scratch_url = scratch_database

    with pytest.raises(CommandError, match=r"SHA-256 of files/default/note\.txt does not match"):
        _restore(archive, scratch_url)
    assert _row_counts(scratch_name) == {}
    assert _tree(tmp_path / "restored") == {}


@pytest.mark.postgres
def test_restore_into_a_database_in_use_is_refused(db, backup_key, settings, tmp_path):
    archive = _backup(tmp_path)
    _point_storages_at(settings, tmp_path / "restored")
    before = _row_counts(connection.settings_dict["NAME"])

    refused = r"restore refused, nothing was written: database '\w+' is not empty"
    with pytest.raises(CommandError, match=refused):
        call_command("restore", str(archive), stdout=StringIO(), stderr=StringIO())
    assert _row_counts(connection.settings_dict["NAME"]) == before
    assert _tree(tmp_path / "restored") == {}


@pytest.mark.postgres
def test_restore_into_storage_holding_files_is_refused(
    db, backup_key, scratch_database, settings, tmp_path
):
    archive = _backup(tmp_path)
    _point_storages_at(settings, tmp_path / "restored")
    (tmp_path / "restored" / "private" / "appeals").mkdir(parents=True)
    (tmp_path / "restored" / "private" / "appeals" / "live.pdf").write_bytes(b"live")
    scratch_name, scratch_url = scratch_database

    with pytest.raises(CommandError, match="storage 'appeals' already holds files"):
        _restore(archive, scratch_url)
    assert _row_counts(scratch_name) == {}


# SQLite, the zero-setup run


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_new_sqlite_file(backup_key, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL drill above covers PostgreSQL")
    import sqlite3

    OrganizationFactory.create_batch(2)
    archive = _backup(tmp_path)
    _point_storages_at(settings, tmp_path / "restored")
    target = tmp_path / "restored.sqlite3"

    summary = _restore(archive, f"sqlite:///{target}")

    source = connection.cursor()
    restored = sqlite3.connect(target)
    names = [
        row[0] for row in restored.execute("SELECT name FROM sqlite_master WHERE type='table'")
    ]
    for table in names:
        if table.startswith("sqlite_"):
            continue
        query = f'SELECT count(*) FROM "{table}"'  # noqa: S608
        source.execute(query)
        assert restored.execute(query).fetchone()[0] == source.fetchone()[0], table
    assert restored.execute("SELECT count(*) FROM organizations_organization").fetchone()[0] == 2
    assert "Restored" in summary
    restored.close()


@pytest.mark.postgres
def test_manifest_is_json_inside_the_encrypted_tar(db, backup_key, tmp_path):
    """What the README promises an operator who opens an archive by hand."""
    archive = _backup(tmp_path)
    plain = io.BytesIO()
    with open(archive, "rb") as raw:
        reader = crypto.DecryptingReader(raw, crypto.decode_key(backup_key))
        while chunk := reader.read(1 << 20):
            plain.write(chunk)
    plain.seek(0)
    with tarfile.open(fileobj=plain) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert names[0] == "database.dump" and names[-1] == "manifest.json"
    assert manifest["database"]["tables"]["incidents_status"] > 0
    assert manifest["database"]["migrations"]["incidents"].startswith("00")
    assert manifest["created_at"].endswith("+00:00")
