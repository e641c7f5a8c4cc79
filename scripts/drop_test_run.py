"""Remove what a test run left on the servers: its test databases and its keys in Redis.

scripts/test calls it at the end of every run with the run's id (CASEFILE_TEST_RUN); it
finds nothing after a run that ended normally (pytest-django drops the databases). After a
run killed outright, the names say what is left: databases test_<NAME>_<run>[_gw<N>] and
Redis keys casefile-test:<run>:*. ``--stale`` removes what every finished run left: the test
databases of DATABASE_URL's name that nobody is connected to (a running test process always
is), and their runs' keys.

    .venv/bin/python scripts/drop_test_run.py RUN_ID
    .venv/bin/python scripts/drop_test_run.py --stale
"""

import os
import re
import sys

import environ


def drop_databases(url: str, pattern: str, *, force: bool) -> list[str]:
    import psycopg2

    config = environ.Env.db_url_config(url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=5,
    )
    admin.autocommit = True
    dropped = []
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_database WHERE datname ~ %s", [pattern])
            for (name,) in cursor.fetchall():
                try:
                    # FORCE ends the connections of a killed run's Celery worker; without
                    # it, a database still in use by a live run is refused and kept.
                    cursor.execute(
                        f'DROP DATABASE IF EXISTS "{name}"' + (" WITH (FORCE)" if force else "")
                    )
                except psycopg2.errors.ObjectInUse:
                    print(f"kept {name}: in use")
                    continue
                dropped.append(name)
    finally:
        admin.close()
    return dropped


def delete_keys(url: str, runs: set[str]) -> int:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    deleted = 0
    for run in runs:
        for key in client.scan_iter(match=f"casefile-test:{run}:*", count=1000):
            deleted += client.delete(key)
    return deleted


def main(arguments: list[str]) -> None:
    if len(arguments) != 1:
        sys.exit(__doc__)
    stale = arguments[0] == "--stale"
    run = arguments[0]
    if not stale and not re.fullmatch(r"[0-9a-z]+", run):
        sys.exit(f"not a run id: {run!r}")
    database_url = os.environ.get("DATABASE_URL", "")
    runs = {run}
    if database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        name = re.escape(environ.Env.db_url_config(database_url)["NAME"])
        run_pattern = "[0-9a-z]+" if stale else re.escape(run)
        dropped = drop_databases(
            database_url, rf"^test_{name}_({run_pattern})(_gw\d+)?$", force=not stale
        )
        for database in dropped:
            print(f"dropped the test database {database}")
        if stale:
            runs = {re.match(rf"test_{name}_([0-9a-z]+)", d).group(1) for d in dropped}
    redis_url = os.environ.get("REDIS_URL")
    if redis_url and runs and (deleted := delete_keys(redis_url, runs)):
        print(f"deleted {deleted} Redis keys of the test runs {', '.join(sorted(runs))}")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as error:  # a server gone: say what could not be cleaned, do not fail
        sys.exit(f"scripts/drop_test_run.py: {error}")
