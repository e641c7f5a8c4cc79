"""Login lockout and token-endpoint probe against a running Casefile, as an attacker would.

    .venv/bin/python bench/security_probe.py http://127.0.0.1:8765

The server must hold the demo users (``load_demo``) and answer plain HTTP (run it with
``SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false``) and
``TRUSTED_PROXIES=0``, as a server reached directly is. The attacker speaks from 127.0.0.1;
the real user from 127.0.0.2 (the whole of 127/8 is this machine), so "another address" is
a real second address, not a header. Run it on freshly loaded data: it locks demo users.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "casefile-demo"  # noqa: S105  (the demo users' documented password)
ATTACKER, REAL_USER = "127.0.0.1", "127.0.0.2"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SourceAddressAdapter(HTTPAdapter):
    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def client_from(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(address))
    return session


def totp(username: str) -> str:
    result = subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "demo_totp", username],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[0]


def login_form(base: str, session: requests.Session, username: str, password: str):
    page = session.get(f"{base}/en/accounts/login/")
    token = CSRF.search(page.text).group(1)
    return session.post(
        f"{base}/en/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": username, "password": password},
        headers={"Referer": f"{base}/en/accounts/login/"},
        allow_redirects=False,
    )


def error_text(response: requests.Response) -> str:
    found = re.search(r'class="alert alert-danger[^"]*"[^>]*>(.*?)</div>', response.text, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def probe_login_page(base: str) -> None:
    print("## Login page: demo-editor, wrong passwords from one address")
    attacker = client_from(ATTACKER)
    answers = []
    for attempt in range(1, 21):
        response = login_form(base, attacker, "demo-editor", f"wrong-{attempt}")
        answers.append(response.status_code)
        if response.status_code == 429:
            print(f"attempt {attempt}: 429 locked out ({error_text(response) or 'lockout page'})")
            break
        print(f"attempt {attempt}: {response.status_code} {error_text(response)}")
    failures_before_lock = answers.index(429) if 429 in answers else None
    right = login_form(base, attacker, "demo-editor", PASSWORD)
    print(f"wrong passwords answered before the lockout: {failures_before_lock}")
    print(f"right password while locked, same address: HTTP {right.status_code}")
    elsewhere = login_form(base, client_from(REAL_USER), "demo-editor", PASSWORD)
    print(
        "right password from another address: HTTP "
        f"{elsewhere.status_code} -> {elsewhere.headers.get('Location', '')}"
    )

    unknown = login_form(base, client_from(ATTACKER), "nobody-here", "wrong")
    wrong = login_form(base, client_from(REAL_USER), "demo-researcher", "wrong")
    same = error_text(unknown) == error_text(wrong) and unknown.status_code == wrong.status_code
    print(f"unknown user and wrong password give the same answer: {same}")
    print(f"  unknown user:   {unknown.status_code} {error_text(unknown)!r}")
    print(f"  wrong password: {wrong.status_code} {error_text(wrong)!r}")


def probe_token_endpoint(base: str) -> None:
    print("\n## Token endpoint: demo-reviewer, 25 wrong passwords, X-Forwarded-For rotated")
    url = f"{base}/api/v1/auth/token/"
    attacker = client_from(ATTACKER)
    statuses: dict[int, int] = {}
    for attempt in range(1, 26):
        response = attacker.post(
            url,
            json={"username": "demo-reviewer", "password": f"wrong-{attempt}", "code": "000000"},
            headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    print(f"answers to the 25 attempts: {dict(sorted(statuses.items()))}")
    right = attacker.post(
        url,
        json={"username": "demo-reviewer", "password": PASSWORD, "code": totp("demo-reviewer")},
        headers={"X-Forwarded-For": "198.51.100.200"},
    )
    print(f"right password and code from the attacker's address: HTTP {right.status_code}")
    real = client_from(REAL_USER).post(
        url,
        json={"username": "demo-reviewer", "password": PASSWORD, "code": totp("demo-reviewer")},
    )
    got_token = real.status_code == 200 and "token" in real.json()
    print(f"the real user from another address: HTTP {real.status_code}, token: {got_token}")
    no_code = client_from(REAL_USER).post(
        url, json={"username": "demo-researcher", "password": PASSWORD}
    )
    print(f"right password without a code: HTTP {no_code.status_code}")


if __name__ == "__main__":
    target = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8765"
    probe_login_page(target)
    probe_token_endpoint(target)
