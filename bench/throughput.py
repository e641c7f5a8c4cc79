"""Requests per second against a running server: N client threads, each with its own kept-alive
HTTP/1.1 connection, for a fixed time per concurrency. Reports req/s, p50/p99 latency and errors.

    .venv/bin/python bench/throughput.py http://127.0.0.1:8000 /en/cases/ /api/v1/incidents/ \\
        --concurrency 1,4,16 --seconds 10

bench/research.py calls ``measure`` against gunicorn (gunicorn.conf.py, two workers) on each
benchmark database. The client runs on the same machine as the server and takes some of its
CPU: compare figures measured here with each other, not with another machine's.

Several paths for one target are taken in turn (each thread starts at its own offset), so
one target can cover many case pages. A response counts as an error when its status is not
the expected one (200, or 302 for a download redirect) or the connection fails.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

HEADERS = {
    # As behind the TLS-terminating proxy of production (the app trusts X-Forwarded-Proto
    # through SECURE_PROXY_SSL_HEADER); plain HTTP on loopback otherwise.
    "X-Forwarded-Proto": "https",
    "Accept-Language": "en",
    "User-Agent": "casefile-bench-throughput",
}


@dataclass
class Outcome:
    concurrency: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    def summary(self) -> dict:
        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "first_error": self.first_error,
            "seconds": self.seconds,
            "per_second": self.per_second,
            "p50": statistics.median(self.latencies) if self.latencies else None,
            "p99": self.percentile(0.99) if self.latencies else None,
        }


class Client:
    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str) -> int:
        """Status of GET ``path``, body read in full; one reconnect if the server closed."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.connection.request("GET", path, headers=HEADERS)
                response = self.connection.getresponse()
                response.read()
                if response.will_close:
                    self.close()
                return response.status
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection closed by the server (its keep-alive ran out, or
                # the worker was replaced after max_requests): what a browser retries too.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def run_once(
    base: str, paths: list[str], *, concurrency: int, seconds: float, expect: int = 200
) -> Outcome:
    outcome = Outcome(concurrency=concurrency, seconds=seconds)
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def work(offset: int) -> None:
        client = Client(base)
        latencies, errors, first_error = [], 0, ""
        index = offset
        start.wait()
        while time.perf_counter() < deadline[0]:
            path = paths[index % len(paths)]
            index += 1
            began = time.perf_counter()
            try:
                status = client.get(path)
                failed = status != expect
                message = f"{path} answered {status}" if failed else ""
            except OSError as error:
                failed, message = True, f"{path}: {error!r}"
                client.close()
            latencies.append(time.perf_counter() - began)
            if failed:
                errors += 1
                first_error = first_error or message
        client.close()
        with lock:
            outcome.latencies += latencies
            outcome.errors += errors
            outcome.first_error = outcome.first_error or first_error

    threads = [
        threading.Thread(target=work, args=(n * max(1, len(paths) // concurrency),), daemon=True)
        for n in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    # The last requests end after the deadline: count the time they really took.
    outcome.seconds = time.perf_counter() - began
    return outcome


def measure(
    base: str,
    paths: list[str],
    *,
    concurrencies: tuple[int, ...] = (1, 4, 16),
    seconds: float = 10.0,
    expect: int = 200,
) -> list[dict]:
    """One run per concurrency, after a warm-up: each path once (checking its status), then
    a short run at concurrency 4 so that every worker process and thread has served."""
    warm = Client(base)
    for path in paths:
        status = warm.get(path)
        if status != expect:
            raise SystemExit(f"{base}{path} answered {status}, expected {expect}")
    warm.close()
    run_once(base, paths, concurrency=4, seconds=min(2.0, seconds / 2), expect=expect)
    return [
        run_once(base, paths, concurrency=c, seconds=seconds, expect=expect).summary()
        for c in concurrencies
    ]


def describe(name: str, result: dict) -> str:
    errors = f"  errors {result['errors']} ({result['first_error']})" if result["errors"] else ""
    return (
        f"{name:<28} c={result['concurrency']:<3} {result['per_second']:7.1f} req/s  "
        f"p50 {result['p50'] * 1000:7.1f} ms  p99 {result['p99'] * 1000:7.1f} ms  "
        f"({result['requests']} requests){errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="server address, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="+", help="paths taken in turn")
    parser.add_argument("--concurrency", default="1,4,16", help="comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="per concurrency")
    parser.add_argument("--expect", type=int, default=200, help="expected status")
    args = parser.parse_args()
    concurrencies = tuple(int(c) for c in args.concurrency.split(","))
    for result in measure(
        args.base, args.paths, concurrencies=concurrencies, seconds=args.seconds, expect=args.expect
    ):
        print(describe(args.paths[0], result), flush=True)


if __name__ == "__main__":
    main()
