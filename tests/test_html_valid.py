"""Every page is valid HTML, by the Nu HTML Checker (vnu-jar, npm), in every language and role.

The pages are fetched with the test client, written to files and checked in one run of the
checker (one Java start-up for all of them). Without Java or vnu-jar the test skips, except
under CI=true, where it fails.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.shortcuts import render
from django.test import RequestFactory
from django.utils import translation

from accounts.lockout import lockout_message

from .conftest import IN_CI
from .pages import ANONYMOUS, LANGUAGES, ROLES, material, public_pages, staff_pages

VNU = (
    Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


def checker() -> list[str]:
    java = shutil.which("java")
    missing = [] if java else ["java (apt-get install default-jre-headless)"]
    if not VNU.exists():
        missing.append(f"{VNU} (run scripts/setup: npm installs vnu-jar)")
    if missing:
        message = "the HTML check needs " + " and ".join(missing)
        if IN_CI:
            pytest.fail(f"{message} (CI=true: failing instead of skipping)")
        pytest.skip(message)
    return [java, "-Xss8m", "-jar", str(VNU)]


def vnu_errors(command: list[str], files: list[Path]) -> list[dict]:
    result = subprocess.run(
        [*command, "--format", "json", "--errors-only", "--exit-zero-always", "--stdout"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return [
        m
        for m in json.loads(result.stdout)["messages"]
        if m["type"] in {"error", "non-document-error"}
    ]


def pages_without_a_server(language: str) -> dict[str, bytes]:
    """Pages no request in the test reaches: the server error and the lockout notice."""
    request = RequestFactory().get(f"/{language}/accounts/login/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override(language):
        return {
            "500.html": render(request, "500.html", status=500).content,
            "accounts/locked_out.html": render(
                request, "accounts/locked_out.html", {"message": lockout_message(30)}, status=429
            ).content,
        }


@pytest.mark.django_db
def test_every_page_is_valid_html_in_every_language_and_role(client, tmp_path, monkeypatch):
    command = checker()
    # Pickers as a large database has them: only the chosen options, the rest searched for
    # (with a few records they are plain selects, Django's own rendering).
    monkeypatch.setattr("casefile.forms.PICKER_ALL_OPTIONS_UP_TO", 0)
    m = material()
    files: dict[Path, str] = {}
    reached: set[str] = set()

    def keep(label: str, content: bytes) -> None:
        path = tmp_path / f"page-{len(files):04d}.html"
        path.write_bytes(content)
        files[path] = label

    for role in ROLES:
        client.logout()
        if role != ANONYMOUS:
            client.force_login(m["users"][role])
        pages = public_pages(m) if role == ANONYMOUS else staff_pages(m)
        for language in LANGUAGES:
            for page in pages:
                path = page.path(language)
                response = client.get(path)
                if role == ANONYMOUS:
                    expected = 404 if page.template == "404.html" else 200
                    assert response.status_code == expected, path
                elif response.status_code in {403, 404}:
                    # A screen this role may not open: its refusal page is checked instead.
                    keep(f"{response.status_code}.html @ {role} {path}", response.content)
                    continue
                else:
                    assert response.status_code == 200, (role, path, response.status_code)
                reached.add(page.template)
                keep(f"{page.template} @ {role} {path}", response.content)
            if role == ANONYMOUS:
                for template, content in pages_without_a_server(language).items():
                    keep(f"{template} @ {language}", content)

    # Every staff screen was seen by at least one role.
    assert {p.template for p in staff_pages(m)} <= reached
    errors = vnu_errors(command, list(files))
    # One line per template and error, naming the pages (role, address) it was seen on.
    found: dict[str, list[str]] = {}
    for error in errors:
        template, _, where = files[Path(error["url"].removeprefix("file:"))].partition(" @ ")
        extract = " ".join(error.get("extract", "").split())[:70]
        found.setdefault(f"{template}: {error['message']} [{extract}]", []).append(where)
    report = [f"{error}\n    on {len(w)} pages, e.g. {w[0]}" for error, w in sorted(found.items())]
    assert report == [], f"{len(errors)} HTML errors in {len(files)} pages:\n" + "\n".join(report)
