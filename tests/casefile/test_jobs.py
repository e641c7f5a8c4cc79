"""The shared job rules (casefile.jobs), on the export job's table: a claim is one worker's,
an attempt is counted and capped, a job whose worker stopped is taken back.

The kind here is the test's own (its attempts limit is a variable it changes), so these
tests speak of casefile.jobs alone; tests/incidents and tests/appeals walk each app's use.
"""

import datetime
import itertools

import pytest
from django.utils import timezone

from casefile import jobs
from incidents.models import ExportJob
from tests.appeals.test_references import run_at_once

pytestmark = pytest.mark.django_db

LIMIT = {"attempts": 2}
KIND = jobs.JobKind(
    model=ExportJob,
    working="running",
    heartbeat="progress_at",
    max_attempts=lambda: LIMIT["attempts"],
)
STALE = datetime.timedelta(minutes=10)
NUMBERS = itertools.count()


@pytest.fixture(autouse=True)
def two_attempts():
    LIMIT["attempts"] = 2
    yield
    LIMIT["attempts"] = 2


def a_job(**fields) -> ExportJob:
    number = next(NUMBERS)
    values = {
        "token": f"token-{number}",
        "key": f"key-{number}",
        "export_format": "csv",
        "via": "page",
        "language": "en",
        "state": "queued",
    } | fields
    return ExportJob.objects.create(**values)


def stopped(attempts, *, retrying=False):
    return f"stopped {attempts}, again" if retrying else f"stopped {attempts}, given up"


def nothing_released(job, state):
    raise AssertionError(f"job {job.pk} was taken back ({state})")


def test_a_claim_takes_a_queued_job_counts_the_attempt_and_starts_the_heartbeat():
    job = a_job(error="The last try failed.", rows_written=7)

    claimed = jobs.claim(KIND, job.pk, select_related=["owner"], rows_written=0)

    assert (claimed.pk, claimed.state, claimed.attempts) == (job.pk, "running", 1)
    assert claimed.error == "" and claimed.rows_written == 0
    assert claimed.started_at == claimed.progress_at
    assert timezone.now() - claimed.progress_at < datetime.timedelta(seconds=30)


def test_a_second_claim_of_the_same_job_gets_nothing():
    job = a_job()
    first = jobs.claim(KIND, job.pk)

    assert jobs.claim(KIND, job.pk) is None

    job.refresh_from_db()
    assert (job.state, job.attempts, job.started_at) == ("running", 1, first.started_at)


@pytest.mark.parametrize("state", ["running", "ready", "failed"])
def test_only_a_queued_job_is_claimed(state):
    ready_file = {"file_name": "f.csv", "sha256": "0" * 64, "size": 1, "expires_at": timezone.now()}
    job = a_job(state=state, attempts=1, **(ready_file if state == "ready" else {}))

    assert jobs.claim(KIND, job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.attempts) == (state, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_of_workers_claiming_one_job_at_once_one_gets_it():
    job = a_job()
    claims = []

    errors = run_at_once(*[lambda: claims.append(jobs.claim(KIND, job.pk))] * 4)

    assert errors == []
    assert len([claimed for claimed in claims if claimed is not None]) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1)


def test_a_job_gets_its_attempts_and_no_more():
    job = a_job(attempts=1)
    assert jobs.claim(KIND, job.pk).attempts == 2

    ExportJob.objects.filter(pk=job.pk).update(state="queued")
    assert jobs.claim(KIND, job.pk) is None
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("queued", 2)

    LIMIT["attempts"] = 3  # read at each claim, as a setting changed at run time is
    assert jobs.claim(KIND, job.pk).attempts == 3


def test_a_job_queued_after_its_last_attempt_is_given_up_with_its_message():
    spent = a_job(attempts=2, error="Disk full.")
    left = a_job(attempts=1)

    failed = jobs.give_up(KIND, spent.pk, message=lambda job: f"{job.attempts}: {job.error}")

    assert failed.pk == spent.pk
    spent.refresh_from_db()
    assert (spent.state, spent.error) == ("failed", "2: Disk full.")
    assert spent.finished_at is not None
    assert jobs.give_up(KIND, left.pk, message=str) is None
    assert jobs.give_up(KIND, spent.pk, message=str) is None  # already failed
    left.refresh_from_db()
    assert left.state == "queued"


def test_a_claim_holds_until_the_job_is_queued_again_or_claimed_by_another_attempt():
    job = jobs.claim(KIND, a_job().pk)
    assert jobs.held(KIND, job).exists()
    assert jobs.beat(KIND, job, rows_written=5)

    assert jobs.requeue(KIND, job, "Storage trouble.")
    assert not jobs.held(KIND, job).exists()
    assert not jobs.beat(KIND, job, rows_written=9)
    assert not jobs.requeue(KIND, job, "Again.")

    again = jobs.claim(KIND, job.pk)
    assert jobs.held(KIND, again).exists() and not jobs.held(KIND, job).exists()
    job.refresh_from_db()
    assert (job.rows_written, job.attempts) == (5, 2)  # the lost claim's beat wrote nothing


def test_a_beat_moves_the_heartbeat_only():
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    job = a_job(state="running", attempts=1, started_at=an_hour_ago, progress_at=an_hour_ago)

    assert jobs.beat(KIND, job, rows_written=3)

    job.refresh_from_db()
    assert job.progress_at > an_hour_ago and job.started_at == an_hour_ago
    assert job.rows_written == 3


def test_fail_ends_a_job_not_yet_finished_and_only_such_a_job():
    queued, running = a_job(), a_job(state="running", attempts=1)
    failed = a_job(state="failed", error="First.")

    assert jobs.fail(KIND, queued, "x" * 3000)
    assert jobs.fail(KIND, running, "Gone.")
    assert not jobs.fail(KIND, failed, "Second.")

    for job in (queued, running, failed):
        job.refresh_from_db()
    assert (queued.state, running.state, running.error) == ("failed", "failed", "Gone.")
    assert queued.finished_at is not None and len(queued.error) == jobs.ERROR_LENGTH
    assert (failed.error, failed.finished_at) == ("First.", None)


def test_the_sweep_queues_again_a_stale_job_and_fails_one_out_of_attempts():
    now = timezone.now()
    stale = now - STALE - datetime.timedelta(seconds=1)
    retried = a_job(state="running", attempts=1, started_at=stale, progress_at=stale)
    spent = a_job(state="running", attempts=2, started_at=stale, progress_at=stale)
    # Started long ago but still reporting: alive.
    alive = a_job(state="running", attempts=1, started_at=stale, progress_at=now)
    released = []

    to_send = jobs.sweep(
        KIND,
        now=now,
        stale_before=now - STALE,
        stopped=stopped,
        released=lambda job, state: released.append((job.pk, state)),
    )

    assert to_send == [retried.pk]
    assert sorted(released) == sorted([(retried.pk, "queued"), (spent.pk, "failed")])
    retried.refresh_from_db()
    assert (retried.state, retried.error, retried.queued_at) == ("queued", "stopped 1, again", now)
    spent.refresh_from_db()
    assert (spent.state, spent.error, spent.finished_at) == ("failed", "stopped 2, given up", now)
    alive.refresh_from_db()
    assert (alive.state, alive.error) == ("running", "")


def test_the_sweep_sends_again_a_job_whose_message_was_lost():
    now = timezone.now()
    lost = a_job(queued_at=now - STALE - datetime.timedelta(seconds=1))
    a_job(queued_at=now)  # just queued: its message may be on its way

    def sweep():
        return jobs.sweep(
            KIND, now=now, stale_before=now - STALE, stopped=stopped, released=nothing_released
        )

    assert sweep() == [lost.pk]
    lost.refresh_from_db()
    assert lost.queued_at == now
    assert sweep() == []  # sent again just now: the next sweep leaves it be


def test_a_job_taken_back_meanwhile_is_not_taken_back_twice():
    now = timezone.now()
    job = a_job(state="running", attempts=1, progress_at=now - STALE * 2)
    copy = ExportJob.objects.get(pk=job.pk)

    assert jobs.take_back(KIND, job, now=now, stopped=stopped) == "queued"
    assert jobs.take_back(KIND, copy, now=now, stopped=stopped) is None

    job.refresh_from_db()
    assert (job.state, job.attempts) == ("queued", 1)
