"""Sending Celery tasks without letting a broker outage turn a done action into an error.

The database is the source of truth: a task only carries the id of a row that records the
work (a ``RenderJob``, queued). If the broker cannot be reached, the row stays as it is and
a periodic sweep sends it again later, so failing to send is not a failure of the action
the user asked for; it is a delay the user should be told about. ``send`` logs it and
returns False; a view wraps its service call in ``unsent_tasks()`` to learn of it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import kombu.exceptions
import redis.exceptions
from django.db import transaction

log = logging.getLogger(__name__)

# What publishing raises when the broker is down or unreachable: kombu wraps the transport's
# connection errors in OperationalError; a few paths let redis-py's own errors through.
BROKER_DOWN = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

_unsent: ContextVar[list[str] | None] = ContextVar("unsent_tasks", default=None)


def send(task: Any, *args: Any) -> bool:
    """Send ``task`` with ``args`` now; False (logged) if the broker cannot be reached."""
    try:
        task.apply_async(args)
    except BROKER_DOWN as error:
        log.warning("Task %s%r not sent, the broker is unreachable: %s", task.name, args, error)
        unsent = _unsent.get()
        if unsent is not None:
            unsent.append(task.name)
        return False
    return True


def send_on_commit(task: Any, *args: Any) -> None:
    """Send ``task`` once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: send(task, *args))


@contextlib.contextmanager
def unsent_tasks() -> Iterator[list[str]]:
    """Collect the names of the tasks that could not be sent inside the block.

    ATOMIC_REQUESTS is off, so a service's commit, and the sending it triggers, happen
    inside the block that called the service.
    """
    token = _unsent.set([])
    try:
        yield _unsent.get()
    finally:
        _unsent.reset(token)
