"""A Redis outage degrades the site, it never makes it lie.

A real redis-server is started on a free port of its own, serving as the Celery broker and
as the cache (``CACHE_URL`` on Redis), then stopped. Staff actions still succeed and say
that the PDF waits for the queue; public pages are served uncached; once Redis is back,
the sweeper sends the job that waited.
"""

import shutil
import socket
import subprocess
import time

import kombu.pools
import pytest
import redis
from django.urls import reverse

from appeals.models import Appeal, RenderJob
from appeals.tasks import sweep_render_jobs
from config.celery import app
from incidents.models import Incident
from tests.conftest import service_missing
from tests.factories import AppealFactory, IncidentFactory, UserFactory, status
from tests.incidents.test_staff_views import form_post

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

QUEUE_DOWN = "The task queue cannot be reached just now: the PDF will be rendered when it is back."
# The web process must not wait for long on a broker that is gone.
MAX_SECONDS = 3.0


class RedisServer:
    def __init__(self, binary: str, directory):
        self.binary = binary
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def queued_messages(self, queue: str) -> int:
        # Celery's keys carry the test process's prefix (tests/conftest.py).
        prefix = app.conf.broker_transport_options.get("global_keyprefix", "")
        return redis.Redis(port=self.port).llen(prefix + queue)


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("these tests start their own redis-server: install Redis")
    server = RedisServer(binary, tmp_path)
    server.start()
    yield server
    server.stop()


def _forget_broker_connections() -> None:
    # app.pool is kombu's shared pool for the broker URL: closing it alone would leave the
    # closed pool in kombu's registry, and the next test of this process that sends a task
    # would get "Acquire on closed pool". reset() closes and forgets every pool.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def on_redis(settings, redis_server, seeded_transactional_db):
    """Broker and cache on the test's own Redis; tasks are sent, not run in-process."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "casefile.cache.ForgivingRedisCache",
            "LOCATION": redis_server.url(1),
        },
    }
    broker_url = app.conf.broker_url
    app.conf.broker_url = redis_server.url(0)
    app.conf.task_always_eager = False
    _forget_broker_connections()
    yield redis_server
    app.conf.broker_url = broker_url
    _forget_broker_connections()


def timed_post(client, url, data=None):
    started = time.monotonic()
    response = client.post(url, data or {}, follow=True)
    return response, time.monotonic() - started


def test_publishing_an_appeal_while_redis_is_down_succeeds_says_so_and_renders_later(
    client, on_redis, settings
):
    client.force_login(UserFactory(roles=["reviewer"]))
    appeal = AppealFactory(publication_state=Appeal.State.IN_REVIEW)
    on_redis.stop()

    response, seconds = timed_post(
        client,
        reverse("appeals:transition", kwargs={"pk": appeal.pk, "action": "publish"}),
        {"publish-note": "Checked."},
    )

    assert response.status_code == 200
    assert "Published." in response.text
    assert QUEUE_DOWN in response.text
    assert seconds < MAX_SECONDS
    appeal.refresh_from_db()
    assert appeal.publication_state == Appeal.State.PUBLISHED and appeal.reference
    job = RenderJob.objects.get(appeal=appeal)
    assert job.state == RenderJob.State.QUEUED and job.attempts == 0

    # Redis is back: the next sweep sends the job that waited (no worker here to take it).
    on_redis.start()
    settings.APPEAL_RENDER_STALE_AFTER = 0
    assert sweep_render_jobs() == [job.pk]
    assert on_redis.queued_messages("appeals") == 1
    job.refresh_from_db()
    assert job.state == RenderJob.State.QUEUED


def test_generate_pdf_while_redis_is_down_keeps_the_job_queued_and_says_so(client, on_redis):
    client.force_login(UserFactory(roles=["reviewer"]))
    appeal = AppealFactory(published=True)
    on_redis.stop()

    response, seconds = timed_post(
        client, reverse("appeals:render", kwargs={"pk": appeal.pk, "language": "fr"})
    )

    assert response.status_code == 200
    assert QUEUE_DOWN in response.text
    assert seconds < MAX_SECONDS
    assert RenderJob.objects.get(appeal=appeal).state == RenderJob.State.QUEUED


def test_generate_pdf_with_redis_up_sends_the_job_and_says_nothing_of_an_outage(client, on_redis):
    client.force_login(UserFactory(roles=["reviewer"]))
    appeal = AppealFactory(published=True)

    response, _seconds = timed_post(
        client, reverse("appeals:render", kwargs={"pk": appeal.pk, "language": "fr"})
    )

    assert response.status_code == 200
    assert QUEUE_DOWN not in response.text
    assert on_redis.queued_messages("appeals") == 1


def test_the_sweeper_leaves_jobs_queued_while_redis_is_down(on_redis, settings):
    job = RenderJob.objects.create(appeal=AppealFactory(published=True), language="fr")
    settings.APPEAL_RENDER_STALE_AFTER = 0
    on_redis.stop()

    assert sweep_render_jobs() == []
    job.refresh_from_db()
    assert job.state == RenderJob.State.QUEUED


def test_filing_and_publishing_an_incident_while_redis_is_down(client, on_redis):
    client.force_login(UserFactory(roles=["editor", "reviewer"]))
    on_redis.stop()

    response, seconds = timed_post(client, reverse("incidents:create"), form_post())

    assert response.status_code == 200
    assert "Saved." in response.text
    incident = Incident.objects.get()
    assert incident.publication_state == Incident.State.DRAFT
    assert seconds < MAX_SECONDS

    incident.publication_state = Incident.State.IN_REVIEW
    incident.save()
    response, _seconds = timed_post(
        client,
        reverse("incidents:transition", kwargs={"pk": incident.pk, "action": "publish"}),
    )
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.publication_state == Incident.State.PUBLISHED


def test_public_pages_are_served_uncached_while_redis_is_down(client, on_redis):
    incident = IncidentFactory(
        published=True, title="Meeting disrupted in Bishkek", status=status()
    )
    appeal = AppealFactory(published=True, incident=incident)
    on_redis.stop()

    started = time.monotonic()
    pages = {
        "home": reverse("incidents:home"),
        "case list": reverse("incidents:list") + f"?status={incident.status.slug}",
        "case page": incident.get_absolute_url(),
        "statistics": reverse("incidents:statistics"),
        "API list": "/api/v1/incidents/",
        "API statuses": "/api/v1/statuses/",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
    assert "Meeting disrupted in Bishkek" in client.get(pages["case list"]).text
    # The token endpoint's rate limit lives in the cache: uncounted, not an error.
    token = client.post(
        "/api/v1/auth/token/",
        {"username": "nobody", "password": "wrong"},
        content_type="application/json",
    )
    assert token.status_code in {400, 401, 403}, token.content
    assert appeal.reference in client.get(pages["case page"]).text
    assert time.monotonic() - started < len(pages) * MAX_SECONDS
