"""Production defaults: with DEBUG off, the deployment checklist passes and HTTPS is enforced."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def production_environment(**extra: str) -> dict[str, str]:
    # The test run relaxes SECURE_SSL_REDIRECT for the test client; production does not.
    relaxed = {"SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    # Set by the browser tests (Playwright runs an event loop in the test thread).
    relaxed |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    # scripts/test keeps the tests on a per-process cache; production has its own default.
    relaxed |= {"CACHE_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in relaxed}
    return {
        **environment,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "cases.example.org",
        **extra,
    }


def run_manage(*arguments: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=production_environment(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_no_warning_on_production_defaults():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_https_is_switched_off():
    # The check is live: turning the protections off is reported, not silently accepted.
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0",
    )  # fmt: skip

    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


def test_check_deploy_warns_about_a_per_process_cache():
    # Several gunicorn workers, each with its own cache: a second-factor code could be used
    # once per worker.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", CACHE_URL="locmemcache://")

    assert result.returncode != 0
    assert "accounts.W001" in result.stderr + result.stdout


def test_production_defaults_to_a_cache_shared_by_the_processes():
    shown = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {shown}"],
        cwd=ROOT,
        env={**production_environment(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/en/", headers={"host": "127.0.0.1"})

    assert response.status_code == 301
    assert response["Location"] == "https://127.0.0.1/en/"


@pytest.mark.django_db
def test_https_answers_carry_strict_transport_security(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get("/en/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_a_tls_terminating_proxy_is_trusted_only_when_configured():
    shown = (
        "from django.conf import settings; "
        "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    plain = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {shown}"],
        cwd=ROOT,
        env={**production_environment(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    proxied = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {shown}"],
        cwd=ROOT,
        env={
            **production_environment(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )

    assert plain.stdout.strip() == "None"
    assert proxied.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
