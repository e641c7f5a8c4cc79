"""Backup archives: make one, check one, restore one.

An archive is a tar, sealed by ``backups.crypto``, holding:

    database.dump            pg_dump --format=custom (database.sqlite3 on SQLite)
    files/<storage>/<name>   every stored file of every storage that holds uploads
    manifest.json            last: each member's size and SHA-256, each table's row count

The database is read before the files: a file is stored before the row naming it commits
(``appeals.jobs``), so every file the dump refers to is in the archive. Nothing is ever
written to disk unencrypted on the way, not even the dump: it is spooled sealed under a
throwaway key until its size (which tar needs first) is known.

A restore reads the archive twice: once to check every byte against the manifest, writing
nothing, then to load the database and the files. It refuses a database or storage that
already holds anything: restoring over live data is how backups lose data.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.core.files import File
from django.db.migrations.loader import MigrationLoader

from . import database as db
from . import files
from .crypto import KEY_SIZE, DamagedArchive, DecryptingReader, EncryptingWriter

FORMAT = "casefile-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_LIMIT = 256 << 20
CHUNK = 1 << 20
SUFFIX = ".cfbackup"

Progress = Callable[[str], None]


class RestoreRefused(Exception):
    """The target is not empty, or the archive does not fit this version of Casefile."""


class RestoreMismatch(Exception):
    """After the restore, a row count or a file differs from the manifest."""


@dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int
    files: int
    file_bytes: int
    notes: tuple[str, ...] = ()


def backup_create(*, output_dir: Path, key: bytes, progress: Progress) -> Summary:
    """Write an encrypted archive of the database and stored files into ``output_dir``."""
    output_dir.mkdir(parents=True, exist_ok=True)
    created_at = datetime.datetime.now(tz=datetime.UTC)
    final = output_dir / f"casefile-{created_at:%Y%m%dT%H%M%SZ}{SUFFIX}"
    if final.exists():
        raise FileExistsError(f"{final} already exists")
    # mkstemp makes the file 0600; it only takes the final name once complete.
    handle, partial = tempfile.mkstemp(dir=output_dir, prefix=".casefile-", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as raw:
            sealer = EncryptingWriter(raw, key)
            with tarfile.open(fileobj=sealer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                dump = _add_database(tar, progress)
                entries = _add_files(tar, progress)
                manifest = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "created_at": created_at.isoformat(),
                    "database": dump,
                    "files": entries,
                }
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            sealer.finish()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
        _fsync_folder(output_dir)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(partial)
        raise
    return _summary(final, manifest)


def backup_verify(*, path: Path, key: bytes, progress: Progress) -> tuple[dict[str, Any], bytes]:
    """Read the whole archive and check it against its manifest; return it and its salt."""
    seen: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    with open(path, "rb") as raw:
        reader = DecryptingReader(raw, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not member.isfile() or member.name in seen:
                        raise DamagedArchive(f"unexpected archive member {member.name!r}")
                    stream = tar.extractfile(member)
                    if member.name == MANIFEST:
                        if member.size > MANIFEST_LIMIT:
                            raise DamagedArchive("the manifest is impossibly large")
                        manifest_bytes = stream.read()
                    else:
                        seen[member.name] = _hash(stream)
                        if len(seen) % 500 == 0:
                            progress(f"checking: {len(seen)} members")
            # tar stops at its end marker; the last record must be read to know it is there.
            while reader.read(CHUNK):
                pass
        except (tarfile.TarError, EOFError) as error:
            raise DamagedArchive(f"the archive's contents are damaged: {error}") from error
    manifest = _parse_manifest(manifest_bytes)
    expected = {
        manifest["database"]["member"]: (
            manifest["database"]["size"],
            manifest["database"]["sha256"],
        ),
        **{entry["member"]: (entry["size"], entry["sha256"]) for entry in manifest["files"]},
    }
    missing, extra = sorted(expected.keys() - seen.keys()), sorted(seen.keys() - expected.keys())
    if missing or extra:
        raise DamagedArchive(f"archive and manifest disagree: missing {missing}, extra {extra}")
    for member, (size, sha256) in expected.items():
        if seen[member] != (size, sha256):
            raise DamagedArchive(f"SHA-256 of {member} does not match the manifest")
    progress(f"checked: {len(seen)} members, every SHA-256 matches the manifest")
    return manifest, reader.salt


def backup_restore(*, path: Path, key: bytes, target: db.Database, progress: Progress) -> Summary:
    """Restore an archive into an empty database and empty storages, then check them."""
    _refuse_unless_empty(target)
    manifest, salt = backup_verify(path=path, key=key, progress=progress)
    if manifest["database"]["vendor"] != target.vendor:
        raise RestoreRefused(
            f"the archive holds a {manifest['database']['vendor']} database; "
            f"the target is {target.vendor}"
        )
    unknown_storages = {entry["storage"] for entry in manifest["files"]} - set(
        files.backed_up_storages()
    )
    if unknown_storages:
        raise RestoreRefused(f"storages missing from settings.STORAGES: {sorted(unknown_storages)}")
    notes = _check_migrations(manifest["database"]["migrations"])

    by_member = {entry["member"]: entry for entry in manifest["files"]}
    written = 0
    with open(path, "rb") as raw:
        reader = DecryptingReader(raw, key)
        if reader.salt != salt:
            raise DamagedArchive("the archive was replaced while it was being restored")
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            for member in tar:
                stream = tar.extractfile(member)
                if member.name == manifest["database"]["member"]:
                    progress(f"database: restoring into {target.name}")
                    db.restore(target, stream)
                    progress("database: restored")
                elif member.name in by_member:
                    entry = by_member[member.name]
                    saved = files.storage(entry["storage"]).save(entry["name"], File(stream))
                    if saved != entry["name"]:
                        raise RestoreMismatch(f"{entry['name']} was stored as {saved}")
                    written += 1
                    if written % 100 == 0 or written == len(by_member):
                        progress(f"files: {written}/{len(by_member)} written")

    _check_restored(target, manifest, progress)
    return _summary(path, manifest, notes)


# Building


def _add_database(tar: tarfile.TarFile, progress: Progress) -> dict[str, Any]:
    source = db.Database.default()
    member = "database.dump" if source.vendor == "postgresql" else "database.sqlite3"
    throwaway = os.urandom(KEY_SIZE)
    with tempfile.TemporaryFile() as spool:
        sealer = EncryptingWriter(spool, throwaway)
        dump = db.dump(source, sealer, progress)
        sealer.finish()
        spool.seek(0)
        tar.addfile(_member(member, dump.size), DecryptingReader(spool, throwaway))
    progress(f"database: {dump.size} bytes archived")
    return {
        "vendor": source.vendor,
        "member": member,
        "size": dump.size,
        "sha256": dump.sha256,
        "tables": dump.tables,
        "migrations": dump.migrations,
    }


def _add_files(tar: tarfile.TarFile, progress: Progress) -> list[dict[str, Any]]:
    entries = []
    for alias in files.backed_up_storages():
        storage = files.storage(alias)
        names = list(files.walk(alias))
        for index, name in enumerate(names, 1):
            member = f"files/{alias}/{name}"
            size = storage.size(name)
            with storage.open(name, "rb") as stored:
                hashing = _Hashing(stored)
                tar.addfile(_member(member, size), hashing)
            entries.append(
                {
                    "storage": alias,
                    "name": name,
                    "member": member,
                    "size": size,
                    "sha256": hashing.digest.hexdigest(),
                }
            )
            if index % 100 == 0 or index == len(names):
                progress(f"files: {alias}: {index}/{len(names)}")
    return entries


def _member(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(datetime.datetime.now(tz=datetime.UTC).timestamp())
    return info


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_member(name, len(data)), io.BytesIO(data))


class _Hashing:
    """Hashes exactly the bytes tar copies, even if the file grows meanwhile."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Checking and restoring


def _hash(stream: BinaryIO) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _parse_manifest(data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise DamagedArchive("the archive has no manifest")
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise DamagedArchive("the manifest is not JSON") from error
    if manifest.get("format") != FORMAT:
        raise DamagedArchive("not a Casefile backup manifest")
    if manifest.get("version") != FORMAT_VERSION:
        raise RestoreRefused(f"unknown manifest version {manifest.get('version')}")
    return manifest


def _refuse_unless_empty(target: db.Database) -> None:
    tables = db.table_counts(target)
    if tables:
        raise RestoreRefused(
            f"database {target.name!r} is not empty ({len(tables)} tables, "
            f"{sum(tables.values())} rows). Restore into a new, empty database "
            "(createdb), never over one in use."
        )
    for alias in files.backed_up_storages():
        if not files.is_empty(alias):
            raise RestoreRefused(
                f"storage {alias!r} already holds files. Restore into empty storage "
                "(for instance a new MEDIA_ROOT)."
            )


def _check_migrations(recorded: dict[str, str]) -> tuple[str, ...]:
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    unknown = sorted(
        f"{app}.{name}" for app, name in recorded.items() if (app, name) not in graph.nodes
    )
    if unknown:
        raise RestoreRefused(
            "the archive was made by a newer Casefile (unknown migrations: "
            + ", ".join(unknown)
            + "). Restore it with the version that made it."
        )
    behind = sorted(
        app for app, name in graph.leaf_nodes() if app in recorded and recorded[app] != name
    )
    if behind:
        return (
            "The archive predates this version's migrations for "
            + ", ".join(behind)
            + ": run `manage.py migrate` against the restored database.",
        )
    return ()


def _check_restored(target: db.Database, manifest: dict[str, Any], progress: Progress) -> None:
    expected = manifest["database"]["tables"]
    restored = db.table_counts(target)
    wrong = sorted(
        f"{table}: {restored.get(table)} rows, expected {rows}"
        for table, rows in expected.items()
        if restored.get(table) != rows
    )
    if wrong:
        raise RestoreMismatch("row counts differ after the restore: " + "; ".join(wrong))
    progress(f"checked: {len(expected)} tables, every row count matches")
    for index, entry in enumerate(manifest["files"], 1):
        with files.storage(entry["storage"]).open(entry["name"], "rb") as stored:
            if _hash(stored) != (entry["size"], entry["sha256"]):
                name = f"{entry['storage']}/{entry['name']}"
                raise RestoreMismatch(f"{name} differs after the restore")
        if index % 500 == 0:
            progress(f"checked: {index}/{len(manifest['files'])} files")
    progress(f"checked: {len(manifest['files'])} files, every SHA-256 matches")


def _summary(path: Path, manifest: dict[str, Any], notes: tuple[str, ...] = ()) -> Summary:
    tables = manifest["database"]["tables"]
    return Summary(
        path=path,
        tables=len(tables),
        rows=sum(tables.values()),
        files=len(manifest["files"]),
        file_bytes=sum(entry["size"] for entry in manifest["files"]),
        notes=notes,
    )
