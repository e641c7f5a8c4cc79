"""Personas and service checks shared by every test.

Under CI=true the suite must run on PostgreSQL and reach Redis: a test that needs a
service it cannot reach fails instead of skipping, so a broken CI set-up cannot pass.
"""

import importlib
import os

import pytest
from django.conf import settings
from django.db import connection

from .factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


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
    }
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def seeded_transactional_db(transactional_db):
    """A transactional test's database, with what the data migrations seed put back.

    Transactional tests end by emptying every table, migration-seeded statuses and
    roles included, so each one re-seeds at its start.
    """
    from django.apps import apps

    importlib.import_module("incidents.migrations.0002_seed_vocabularies").seed(apps, None)
    importlib.import_module("incidents.migrations.0003_staff_roles").create_roles(apps, None)
    importlib.import_module("incidents.migrations.0009_status_translations").add_names(apps, None)


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
