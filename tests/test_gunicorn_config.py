"""gunicorn.conf.py: settings from the environment, and a long export stream is never cut."""

import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")

# A response that streams for longer than the worker timeout of the test, like a large
# export: one line every half second for three seconds.
SLOW_APP = textwrap.dedent(
    """
    import time

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        for n in range(6):
            time.sleep(0.5)
            yield b"line %d\\n" % n
    """
)


def gunicorn_environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    return {**environment, "GUNICORN_ACCESS_LOG": "", **extra}


def printed_config(**extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(GUNICORN), "--config", "gunicorn.conf.py", "--print-config"],
        cwd=ROOT,
        env=gunicorn_environment(**extra),
        capture_output=True,
        text=True,
        timeout=60,
    )


def setting(output: str, name: str) -> str:
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == name:
            return value.strip()
    raise AssertionError(f"{name} not in gunicorn's configuration")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_settings_come_from_the_environment():
    result = printed_config(
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="7",
        GUNICORN_TIMEOUT="11",
        GUNICORN_GRACEFUL_TIMEOUT="45",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        GUNICORN_BIND="0.0.0.0:8000",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    values = {
        name: setting(result.stdout, name)
        for name in (
            "workers",
            "threads",
            "timeout",
            "graceful_timeout",
            "max_requests",
            "max_requests_jitter",
            "bind",
            "worker_class",
        )
    }
    assert values == {
        "workers": "3",
        "threads": "7",
        "timeout": "11",
        "graceful_timeout": "45",
        "max_requests": "500",
        "max_requests_jitter": "50",
        "bind": "['0.0.0.0:8000']",
        "worker_class": "gthread",
    }


def test_defaults_listen_on_loopback_only():
    result = printed_config()

    assert result.returncode == 0, result.stdout + result.stderr
    assert setting(result.stdout, "bind") == "['127.0.0.1:8000']"


def test_a_bad_value_stops_gunicorn_naming_the_variable():
    result = printed_config(GUNICORN_THREADS="four")

    assert result.returncode != 0
    assert "GUNICORN_THREADS='four' is not a whole number" in result.stdout + result.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="gunicorn's workers need a POSIX system")
def test_a_stream_longer_than_the_worker_timeout_is_sent_whole(tmp_path):
    # gunicorn's sync workers are killed mid-response once a response outlasts the timeout;
    # the threaded workers of gunicorn.conf.py keep beating while they stream.
    (tmp_path / "slow_app.py").write_text(SLOW_APP)
    port = free_port()
    command = [str(GUNICORN), "--config", "gunicorn.conf.py", "--pythonpath", str(tmp_path)]
    server = subprocess.Popen(
        [*command, "slow_app:app"],
        cwd=ROOT,
        env=gunicorn_environment(
            GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1", GUNICORN_TIMEOUT="1"
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            body = response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert body == b"".join(b"line %d\n" % n for n in range(6))
