"""Personas and service checks shared by every test.

Under CI=true the suite must run on PostgreSQL and reach Redis: a test that needs a
service it cannot reach fails instead of skipping, so a broken CI set-up cannot pass.

The suite runs on several processes (pytest-xdist, scripts/test). Each process keeps to names
of its own, made of the run's id (CASEFILE_TEST_RUN, set by scripts/test) and the process's
(gw0, gw1...): its test database ``test_<NAME>_<run>_<worker>`` and a prefix on every key it
puts in Redis, Celery's queues and control channels included. Two processes, or two runs on
one server, never take each other's rows, tasks or cache entries.
"""

import importlib
import os

import pytest
from django.conf import settings
from django.db import connection

from casefile.cache import ForgivingRedisCache

from .factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
RUN_ID = os.environ.get("CASEFILE_TEST_RUN", "")
# Set by pytest-xdist in each worker process before this file is imported.
WORKER_ID = os.environ.get("PYTEST_XDIST_WORKER", "")
REDIS_PREFIX = ":".join(["casefile-test", *filter(None, [RUN_ID, WORKER_ID])]) + ":"


def pytest_configure(config):
    from config.celery import app

    # Celery read the settings before this ran: set the prefix on the app, and in the
    # environment for the worker processes the celery_worker tests start.
    os.environ["CELERY_BROKER_KEY_PREFIX"] = REDIS_PREFIX
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "global_keyprefix": REDIS_PREFIX,
    }
    cache = settings.CACHES["default"]
    if cache["BACKEND"] in REDIS_CACHES:
        # CACHE_URL on Redis (scripts/test keeps the cache in each process otherwise).
        cache["BACKEND"] = "tests.conftest.NamespacedRedisCache"
        cache["KEY_PREFIX"] = REDIS_PREFIX + cache.get("KEY_PREFIX", "")


REDIS_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "casefile.cache.ForgivingRedisCache",
}


class NamespacedRedisCache(ForgivingRedisCache):
    """The cache of one test process on a Redis database that others use too."""

    def clear(self) -> None:
        # RedisCache.clear() empties the whole database: other processes' entries with it.
        client = self._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{self.key_prefix}*", count=1000):
            client.delete(key)


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """This run's and this process's test database: ``test_<NAME>_<run>_<worker>``.

    In place of pytest-django's, which adds the worker only. SQLite's test database stays in
    memory, one per process, unless TEST NAME names a file.
    """
    for database in settings.DATABASES.values():
        test = database.setdefault("TEST", {})
        name = test.get("NAME")
        if not name:
            if database["ENGINE"] == "django.db.backends.sqlite3":
                continue
            name = f"test_{database['NAME']}"
        test["NAME"] = "_".join(filter(None, [name, RUN_ID, WORKER_ID]))


def service_missing(message: str) -> None:
    if IN_CI:
        pytest.fail(f"{message} (CI=true: tests needing it fail instead of skipping)")
    pytest.skip(message)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres") or item.get_closest_marker("redis"):
            item.fixturenames.append("_required_services")


@pytest.fixture
def _required_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        service_missing("this test needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis"):
        import redis
        from django.conf import settings

        if not settings.REDIS_URL:
            service_missing("this test needs Redis: set REDIS_URL=redis://...")
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.exceptions.ConnectionError as error:
            service_missing(f"Redis at {settings.REDIS_URL} is unreachable: {error}")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached vocabularies (incidents.vocabulary) must not outlive the test that made them:
    # a rolled-back status sends no signal.
    from django.core.cache import cache

    from incidents import vocabulary

    cache.clear()
    vocabulary._local.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request to a /fr/ page leaves French active in the thread; each test starts in
    # the default language whatever ran before it.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs ~0.5 s a user on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_in_process(request, settings, tmp_path):
    """Celery tasks run in-process unless a test drives a real worker (``celery_worker``).

    Files rendered by a test go to its own temporary folder, never the developer's var/.
    """
    from config.celery import app

    eager = not request.node.get_closest_marker("celery_worker")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "appeals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "private" / "appeals"},
        },
        "public_appeals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": tmp_path / "media" / "public" / "appeals",
                "base_url": settings.PUBLIC_APPEALS_URL,
            },
        },
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "private" / "exports"},
        },
    }
    yield
    app.conf.task_always_eager = previous


def seed_as_the_migrations_do() -> None:
    """The statuses, violation types, roles and status names migrate creates."""
    from django.apps import apps

    from casefile.apps import create_staff_roles

    importlib.import_module("incidents.migrations.0002_seed_vocabularies").seed(apps, None)
    create_staff_roles()
    importlib.import_module("incidents.migrations.0009_status_translations").add_names(apps, None)


@pytest.fixture
def seeded_transactional_db(transactional_db):
    """A transactional test's database, with what the data migrations seed put back.

    Transactional tests end by emptying every table, migration-seeded statuses and
    roles included, so each one re-seeds at its start.
    """
    seed_as_the_migrations_do()


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def is_transactional(item: pytest.Item) -> bool:
    """pytest-django's rule: such a test commits, and its database is emptied after it."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


TEST_DATABASES = pytest.StashKey()
# True from the start of a transactional test's teardown until the seeded rows are back.
SEEDS_EMPTIED = pytest.StashKey()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's; while the test databases exist, the hook below may use them.

    With ``--reuse-db`` the migrations do not run again, so the seeded rows are put back here:
    an earlier run may have been killed between a transactional test's flush and its re-seed.
    At the end, the last test's rows come back here too: when it is a transactional test, its
    flush happens as the session ends, after this fixture's teardown has begun, and the hook
    below no longer reaches the database. A kept database is left as the migrations made it.
    """
    if request.config.getoption("reuse_db", False):
        with django_db_blocker.unblock():
            seed_as_the_migrations_do()
    request.config.stash[TEST_DATABASES] = django_db_blocker
    yield
    if request.config.stash.get(SEEDS_EMPTIED, False):
        with django_db_blocker.unblock():
            seed_as_the_migrations_do()
        request.config.stash[SEEDS_EMPTIED] = False
    del request.config.stash[TEST_DATABASES]
    if connection.vendor == "postgresql":
        # A session a test left behind (a thread's, a stopped worker's child) would keep
        # the database from being dropped next.
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied the tables, the migrations' rows come back.

    Alone, pytest-django runs every transactional test after the others, as Django does;
    a pytest-xdist process may be handed a plain ``db`` test after one, and that test
    expects the database migrations made.
    """
    if is_transactional(item):
        item.config.stash[SEEDS_EMPTIED] = True
    result = yield
    blocker = item.config.stash.get(TEST_DATABASES, None)
    if blocker is not None and item.config.stash.get(SEEDS_EMPTIED, False):
        with blocker.unblock():
            seed_as_the_migrations_do()
        item.config.stash[SEEDS_EMPTIED] = False
    return result


@pytest.fixture
def editor(db):
    return UserFactory(username="elena.editor", roles=["editor"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="ruslan.reviewer", roles=["reviewer"])


@pytest.fixture
def researcher(db):
    return UserFactory(username="rita.researcher", roles=["researcher"])


@pytest.fixture
def outsider(db):
    """Logged in, but in no staff role."""
    return UserFactory(username="olga.outsider")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def researcher_client(client, researcher):
    client.force_login(researcher)
    return client


def pytest_sessionstart(session):
    if IN_CI and connection.vendor != "postgresql":
        pytest.exit("CI=true but DATABASE_URL is not PostgreSQL: refusing to run", returncode=1)
