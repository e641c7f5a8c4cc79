"""gunicorn settings for Casefile, read from the environment (README, "Settings").

    gunicorn --config gunicorn.conf.py config.wsgi

Used by the Dockerfile, docker-compose.yml, deploy/casefile-web.service,
scripts/check-production-build and bench/throughput.py. A bad value stops gunicorn at start.

Threaded workers (gthread) rather than gunicorn's default sync workers, for three reasons:
- Exports stream for as long as they have rows to send. A sync worker tells the master it
  is alive only between requests, so a stream longer than ``timeout`` would be killed
  mid-file; a gthread worker's main loop keeps beating while its threads serve, so
  ``timeout`` only catches a process that is truly stuck.
- Keep-alive: sync workers close every connection after one response.
- A slow client or a long export holds one thread, not a whole process.
"""

from __future__ import annotations

import os


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise SystemExit(f"gunicorn.conf.py: {name}={value} must be at least {minimum}.")
    return value


def _cores() -> int:
    try:  # The cores this process may use (a container's cpuset), not the host's.
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


wsgi_app = "config.wsgi:application"
proc_name = "casefile"

# Loopback by default: behind a proxy on the same machine. The container sets 0.0.0.0:8000.
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]

worker_class = "gthread"
# Pages are mostly Python work (templates, JSON) between short queries: a process per core
# and one more, each with a few threads for the time spent waiting on PostgreSQL or a client.
workers = _int(
    "GUNICORN_WORKERS", _int("WEB_CONCURRENCY", min(2 * _cores() + 1, 9), minimum=1), minimum=1
)
threads = _int("GUNICORN_THREADS", 4, minimum=1)

# Seconds without a heartbeat before the master kills a worker process (see above: not a
# limit on a request's length).
timeout = _int("GUNICORN_TIMEOUT", 30, minimum=0)
# On a restart (deploy, max_requests) running requests get this long to finish: enough for
# an export below EXPORT_BACKGROUND_ROWS to complete. Larger exports run as background jobs.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 60, minimum=1)
# Idle kept-alive connections wait in the worker's poller, not on a thread. Behind a proxy
# that keeps upstream connections open, make this longer than the proxy's own idle timeout
# (docker-compose: nginx 60 s, gunicorn 75 s), so gunicorn never closes a connection the
# proxy is about to reuse.
keepalive = _int("GUNICORN_KEEPALIVE", 5, minimum=0)

# A worker is replaced after this many requests (and a random 0..jitter more, so they are
# not all replaced at once): a bound on whatever memory a long-lived process gathers. Not
# fewer: a new worker takes seconds to start and serves its first pages slowly, which at
# 100 requests a second every few thousand requests showed in the benchmark's p99.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000, minimum=0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1000, minimum=0)

# The heartbeat is a file touched every second: on a disk-backed /tmp that can stall a worker
# (gunicorn's docs, "Blocking os.fchmod"). /dev/shm is memory.
_shm = "/dev/shm"  # noqa: S108 (only gunicorn's own heartbeat file goes there)
if os.path.isdir(_shm) and os.access(_shm, os.W_OK):
    worker_tmp_dir = _shm

# "-" is standard output (the container's log); an empty value turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The default format, plus how long each request took in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl):
# two servers of the same user (a deploy and a check) would take it from each other.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if not control_socket:
    del control_socket
