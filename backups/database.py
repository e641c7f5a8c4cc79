"""The database half of a backup: a consistent dump, its row counts, and its restore.

PostgreSQL: the row counts and ``pg_dump`` read one snapshot, exported by a repeatable-read
transaction held open for the length of the dump, so the counts describe exactly what the
dump holds even while the site goes on writing. SQLite (the zero-setup run): SQLite's
online backup copies the database into memory and the counts are read from that copy.
The password reaches ``pg_dump`` and ``pg_restore`` through ``PGPASSWORD``, never their
command line, which other users of the machine can read.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import environ
import psycopg2
from django.db import connections
from psycopg2 import sql

CHUNK = 1 << 20
# Connection options that libpq also reads from the environment (for pg_dump/pg_restore).
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


class DumpError(Exception):
    """The dump or restore failed; the message says how."""


@dataclass(frozen=True)
class Database:
    vendor: str  # "postgresql" or "sqlite"
    settings: dict[str, Any]

    @classmethod
    def default(cls) -> Database:
        return cls._from_settings(connections["default"].settings_dict)

    @classmethod
    def from_url(cls, url: str) -> Database:
        try:
            config = environ.Env.db_url_config(url)
        except Exception as error:  # django-environ raises a bare Exception or KeyError
            raise DumpError(f"cannot read the database URL: {error}") from error
        return cls._from_settings(config)

    @classmethod
    def _from_settings(cls, settings: dict[str, Any]) -> Database:
        engine = settings["ENGINE"]
        if engine.endswith("postgresql"):
            return cls("postgresql", dict(settings))
        if engine.endswith("sqlite3"):
            return cls("sqlite", dict(settings))
        raise DumpError(f"backups support PostgreSQL and SQLite, not {engine}")

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])


@dataclass(frozen=True)
class Dump:
    sha256: str
    size: int
    tables: dict[str, int]  # table -> rows
    migrations: dict[str, str]  # app -> last applied migration


def dump(database: Database, sink: BinaryIO, progress: Callable[[str], None]) -> Dump:
    """Write a dump of ``database`` to ``sink``; count its rows from the same snapshot."""
    if database.vendor == "postgresql":
        return _pg_dump(database, sink, progress)
    return _sqlite_dump(database, sink, progress)


def restore(database: Database, source: BinaryIO) -> None:
    """Load a dump made by ``dump`` into ``database``, which must have no tables."""
    if database.vendor == "postgresql":
        _pg_restore(database, source)
    else:
        _sqlite_restore(database, source)


def table_counts(database: Database) -> dict[str, int]:
    if database.vendor == "postgresql":
        with closing(_pg_connect(database)) as connection, connection.cursor() as cursor:
            return _pg_counts(cursor)
    if not _sqlite_path(database).exists():
        return {}
    with closing(sqlite3.connect(_sqlite_path(database))) as connection:
        return _sqlite_counts(connection)


# PostgreSQL


def _pg_connect(database: Database):
    options = database.settings.get("OPTIONS", {})
    try:
        return psycopg2.connect(
            dbname=database.name,
            user=database.settings.get("USER") or None,
            password=database.settings.get("PASSWORD") or None,
            host=database.settings.get("HOST") or None,
            port=database.settings.get("PORT") or None,
            **{key: value for key, value in options.items() if key in LIBPQ_ENVIRONMENT},
        )
    except psycopg2.OperationalError as error:
        raise DumpError(f"cannot connect to database {database.name!r}: {error}") from error


def _pg_environment(database: Database) -> dict[str, str]:
    environment = dict(os.environ)
    values = {
        "PGDATABASE": database.name,
        "PGUSER": database.settings.get("USER"),
        "PGPASSWORD": database.settings.get("PASSWORD"),
        "PGHOST": database.settings.get("HOST"),
        "PGPORT": database.settings.get("PORT"),
    }
    for option, variable in LIBPQ_ENVIRONMENT.items():
        values[variable] = database.settings.get("OPTIONS", {}).get(option)
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _pg_tables(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT n.nspname, c.relname FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1, 2"
    )
    return cursor.fetchall()


def _pg_counts(cursor) -> dict[str, int]:
    counts = {}
    for schema, table in _pg_tables(cursor):
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        counts[table if schema == "public" else f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def _pg_dump(database: Database, sink: BinaryIO, progress: Callable[[str], None]) -> Dump:
    with closing(_pg_connect(database)) as connection:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _pg_counts(cursor)
            migrations = {}
            if "django_migrations" in tables:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
                migrations = dict(cursor.fetchall())
        progress(f"database: {len(tables)} tables, {sum(tables.values())} rows; dumping")
        # The transaction above stays open while pg_dump reads its snapshot.
        command = ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-password"]
        sha256, size = _run_reading(command, _pg_environment(database), sink)
        connection.rollback()
    return Dump(sha256=sha256, size=size, tables=tables, migrations=migrations)


def _run_reading(command: list[str], environment: dict[str, str], sink: BinaryIO):
    digest, size = hashlib.sha256(), 0
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
                command, stdout=subprocess.PIPE, stderr=errors, env=environment
            )
        except FileNotFoundError as error:
            raise DumpError(f"{command[0]} is not installed") from error
        with process:
            for chunk in iter(lambda: process.stdout.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
                sink.write(chunk)
        if process.returncode:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise DumpError(f"{command[0]} failed: {message}")
    return digest.hexdigest(), size


def _pg_restore(database: Database, source: BinaryIO) -> None:
    # One transaction: a restore that fails half-way leaves the database empty, not half full.
    # Objects belong to the user restoring (--no-owner): the old roles may not exist here.
    command = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={database.name}",
    ]
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=_pg_environment(database),
            )
        except FileNotFoundError as error:
            raise DumpError("pg_restore is not installed") from error
        try:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                process.stdin.write(chunk)
            process.stdin.close()
        except BrokenPipeError:
            pass  # pg_restore stopped early; its own message follows.
        process.wait()
        if process.returncode:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise DumpError(f"pg_restore failed: {message}")


# SQLite


def _sqlite_path(database: Database) -> Path:
    return Path(database.name)


def _sqlite_counts(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%'"
            " ESCAPE '\\' ORDER BY name"
        )
    ]
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in tables
    }


def _sqlite_dump(database: Database, sink: BinaryIO, progress: Callable[[str], None]) -> Dump:
    django_connection = connections["default"]
    django_connection.ensure_connection()
    with closing(sqlite3.connect(":memory:")) as copy:
        django_connection.connection.backup(copy)
        tables = _sqlite_counts(copy)
        migrations = {}
        if "django_migrations" in tables:
            rows = copy.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
            migrations = dict(rows.fetchall())
        progress(f"database: {len(tables)} tables, {sum(tables.values())} rows")
        data = copy.serialize()
    sink.write(data)
    sha256 = hashlib.sha256(data).hexdigest()
    return Dump(sha256=sha256, size=len(data), tables=tables, migrations=migrations)


def _sqlite_restore(database: Database, source: BinaryIO) -> None:
    with closing(sqlite3.connect(":memory:")) as copy:
        copy.deserialize(source.read())
        with closing(sqlite3.connect(_sqlite_path(database))) as target:
            copy.backup(target)
