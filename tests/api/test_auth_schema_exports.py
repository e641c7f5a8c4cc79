"""API tokens, the OpenAPI schema and docs, and exports."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from knox.models import AuthToken

from tests.factories import IncidentFactory, UserFactory, totp_code

TOKEN = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"


# Tokens.


def get_token(client, username, password):
    return client.post(
        TOKEN, {"username": username, "password": password}, content_type="application/json"
    )


def assert_token_reads_a_draft(token: str) -> None:
    """The token alone, without a session, opens what only staff may read."""
    draft = IncidentFactory(title="Draft only staff see")
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get(f"/api/v1/incidents/{draft.pk}/")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Draft only staff see"


def test_staff_member_gets_a_token_with_username_password_and_code(client, researcher):
    response = client.post(
        TOKEN,
        {"username": researcher.username, "password": PASSWORD, "code": totp_code(researcher)},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=researcher)
    assert token not in stored.digest  # only a hash is kept
    assert stored.expiry > stored.created + datetime.timedelta(days=6)
    assert_token_reads_a_draft(token)


def test_staff_member_gets_a_token_with_a_session_and_a_code(researcher_client, researcher):
    # A session alone is not enough (tests/accounts/test_token_endpoint.py).
    response = researcher_client.post(
        TOKEN, {"code": totp_code(researcher)}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert AuthToken.objects.filter(user=researcher).count() == 1
    assert_token_reads_a_draft(token)


def test_wrong_password_and_no_credentials_are_401(client, researcher):
    wrong = client.post(
        TOKEN,
        {"username": researcher.username, "password": "nope"},
        content_type="application/json",
    )
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Wrong username or password."}
    assert wrong["WWW-Authenticate"] == "Token"
    empty = client.post(TOKEN)
    assert empty.status_code == 401
    assert "token" not in empty.json()
    assert not AuthToken.objects.exists()


def test_outsider_gets_no_token(client, outsider):
    response = client.post(
        TOKEN,
        {"username": outsider.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "token" not in response.json()
    assert not AuthToken.objects.exists()


def test_expired_token_is_refused_and_deleted(researcher, db):
    instance, token = AuthToken.objects.create(user=researcher, expiry=datetime.timedelta(hours=1))
    AuthToken.objects.filter(pk=instance.pk).update(
        expiry=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    response = Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/incidents/")
    assert response.status_code == 401
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


@pytest.mark.parametrize("header", ["Token nope", "Token ", "Token a b", "Token \u00e9\u00e9"])
def test_bad_token_is_401(client, db, header):
    assert Client(HTTP_AUTHORIZATION=header).get("/api/v1/incidents/").status_code == 401


def test_token_of_inactive_user_is_refused(db):
    user = UserFactory(roles=["researcher"])
    _instance, token = AuthToken.objects.create(user=user)
    user.is_active = False
    user.save()
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/incidents/").status_code == 401


def test_logout_revokes_the_token(researcher, db):
    _instance, token = AuthToken.objects.create(user=researcher)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/incidents/").status_code == 401


def test_token_roles_follow_group_changes(researcher, db):
    _instance, token = AuthToken.objects.create(user=researcher)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    draft = IncidentFactory()
    assert api.get(f"/api/v1/incidents/{draft.pk}/").status_code == 200
    researcher.groups.clear()
    assert api.get(f"/api/v1/incidents/{draft.pk}/").status_code == 404


# Schema and docs.


def test_schema_validates(db):
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    schema = json.loads(out.getvalue())
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]}
    expected = {
        "q",
        "country",
        "status",
        "year",
        "occurred_after",
        "occurred_before",
        "organization",
        "perpetrator",
        "perpetrator_kind",
        "has_appeal",
        "appeal_language",
        "ordering",
        "cursor",
        "page_size",
    }
    assert expected <= set(parameters)
    for name in expected:
        assert parameters[name].get("description"), name


def test_schema_and_docs_are_served_without_a_login(client, db):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/docs/?script=").status_code == 200
    # Strict CSP still: only Swagger UI's one inline style block is allowed, by its hash.
    policy = docs["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "style-src 'self' 'sha256-" in policy


def test_errors_are_json(client, db):
    response = client.get("/api/v1/does-not-exist/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.delete("/api/v1/statuses/").json()["detail"]


# Exports.


@pytest.fixture
def export_cases(db):
    IncidentFactory(published=True, title="=HYPERLINK(1)", country="KG")
    IncidentFactory(published=True, title="Almaty", country="KZ")
    IncidentFactory(title="SECRET draft", country="KG")


def rows_of_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_applies_filters_and_excludes_drafts(client, export_cases):
    rows = rows_of_csv(client.get("/api/v1/incidents/export.csv"))
    assert {row["title"] for row in rows} == {"'=HYPERLINK(1)", "Almaty"}
    kg = rows_of_csv(client.get("/api/v1/incidents/export.csv?country=KG"))
    assert [row["title"] for row in kg] == ["'=HYPERLINK(1)"]


def test_json_export_for_staff_includes_drafts(researcher_token_client, client, export_cases):
    response = researcher_token_client.get("/api/v1/incidents/export.json?country=KG")
    assert response.status_code == 200
    rows = json.loads(b"".join(response.streaming_content))["incidents"]
    assert {row["title"] for row in rows} == {"=HYPERLINK(1)", "SECRET draft"}
    public = json.loads(b"".join(client.get("/api/v1/incidents/export.json").streaming_content))
    assert "SECRET" not in json.dumps(public)


def test_export_queries_are_constant(client, many_incidents, django_assert_max_num_queries):
    # One of them the capped count that decides stream or job (EXPORT_BACKGROUND_ROWS).
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/incidents/export.csv")
        rows = rows_of_csv(response)
    assert len(rows) == 250
