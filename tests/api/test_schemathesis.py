"""The API keeps the promises of its OpenAPI schema (/api/schema/), checked by schemathesis.

Every operation is fuzzed against the WSGI application, anonymously and with a staff
(reviewer) token, over a database holding published and draft cases, organizations,
perpetrator groups and appeals. Every check schemathesis has runs: no 5xx; status codes,
content types, headers and bodies as documented; schema-valid requests accepted and
schema-invalid ones refused. Generation is derandomized, so a run is the same every time.

Each operation, with each identity, is a test of its own, so the processes of a parallel
run share the work; the list is read from the views when the tests are collected, and
test_every_served_operation_is_fuzzed holds it to the schema the API serves.

The summary (operations, requests, findings) prints with ``-s``; it is also attached to
the report as properties.
"""

from __future__ import annotations

import copy
import datetime
import functools
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import load_all_checks
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.pytest.lazy import get_all_tests

from appeals.models import Appeal
from tests.factories import (
    AppealFactory,
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
    UserFactory,
)

from .test_incidents import ready_version

EXAMPLES = 100
SEED = 20260101
# Token creation is being reworked (MFA, lockout) in accounts/api_tokens.py; it is fuzzed
# for "no server error" only, anonymously. Logging out would revoke the fuzzing token.
TOKEN_PATH = "/api/v1/auth/token/"
LOGOUT_PATHS = ("/api/v1/auth/logout/", "/api/v1/auth/logoutall/")
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
SCHEMA_PATH = "/api/schema/"


def labels(paths: dict) -> list[str]:
    """The operations of an OpenAPI ``paths`` object, labelled as schemathesis does."""
    return sorted(
        f"{method.upper()} {path}"
        for path, item in paths.items()
        for method in item
        if method in HTTP_METHODS
    )


def generated_operations() -> list[str]:
    # The paths as drf-spectacular finds them, before the post-processing hooks, which read
    # the database: it does not exist yet while the tests are collected.
    from drf_spectacular.generators import SchemaGenerator

    return labels(SchemaGenerator().parse(None, True))


OPERATIONS = generated_operations()
# The token endpoints are fuzzed anonymously only (see TOKEN_PATH).
FUZZED = [
    pytest.param(identity, label, id=f"{identity}-{label}")
    for identity in ("anonymous", "staff")
    for label in OPERATIONS
    if identity == "anonymous" or label.split(" ", 1)[1] not in (TOKEN_PATH, *LOGOUT_PATHS)
]


@functools.cache
def served_schema() -> dict:
    """/api/schema/ as the API serves it, fetched once a process: generating it takes seconds."""
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, application).raw_schema


@dataclass
class Tally:
    identity: str
    operations: set[str] = field(default_factory=set)
    requests: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    findings: dict[str, set[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def record(self, label: str, error: FailureGroup) -> None:
        for failure in error.exceptions:
            self.findings.setdefault(label, set()).add(failure.title)

    def summary(self) -> str:
        count = sum(len(titles) for titles in self.findings.values())
        lines = [
            f"schemathesis [{self.identity}]: {len(self.operations)} operations, "
            f"{self.requests.total()} requests, {count} findings; answers: "
            + ", ".join(f"{n} x {status}" for status, n in sorted(self.statuses.items()))
        ]
        for label in sorted(self.operations):
            lines.append(f"  {label}: {self.requests[label]} requests, {self.seconds[label]:.1f} s")
        for label, titles in sorted(self.findings.items()):
            lines.extend(f"  {label}: {title}" for title in sorted(titles))
        lines.extend(f"  error: {error}" for error in self.errors)
        return "\n".join(lines)


@pytest.fixture
def fuzz_records(db):
    """Public and unpublished records of every kind, so operations return real rows."""
    organizations = OrganizationFactory.create_batch(3)
    secret_org = OrganizationFactory(name="SECRET org")
    groups = PerpetratorGroupFactory.create_batch(2)
    incidents = []
    for n in range(12):
        incident = IncidentFactory(
            published=True,
            occurred_on=datetime.date(2019, 1, 1) + datetime.timedelta(days=n * 17),
            organizations=organizations[n % 2 : n % 2 + 2],
        )
        IncidentPerpetratorFactory(incident=incident, perpetrator_group=groups[n % 2])
        incidents.append(incident)
    drafts = [IncidentFactory(organizations=[secret_org]) for _n in range(3)]
    IncidentFactory(in_review=True)
    published = AppealFactory(published=True, incident=incidents[0])
    ready_version(published, "fr")
    draft_appeal = AppealFactory(incident=drafts[0])
    Appeal.objects.filter(pk=draft_appeal.pk).update(publication_state=Appeal.State.IN_REVIEW)
    return {
        "ids": sorted(
            {i.pk for i in incidents + drafts}
            | {o.pk for o in [*organizations, secret_org]}
            | {g.pk for g in groups}
            | {published.pk, draft_appeal.pk}
        ),
        "slugs": [incidents[0].slug, drafts[0].slug, published.reference_slug],
    }


@pytest.fixture
def tally(identity, record_property):
    result = Tally(identity)
    yield result
    print("\n" + result.summary())
    record_property("schemathesis_operations", len(result.operations))
    record_property("schemathesis_requests", result.requests.total())
    record_property("schemathesis_findings", sum(len(t) for t in result.findings.values()))


@pytest.fixture
def wsgi_in_the_test_transaction(db, settings):
    """Requests to the WSGI application see and leave the test's transaction."""
    settings.ALLOWED_HOSTS = ["localhost"]
    # Each request would otherwise end the test's transaction (Django's test client does
    # the same): the WSGI handler closes a connection that is not in autocommit.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(identity, operation, fuzz_records, wsgi_in_the_test_transaction):
    """The schema of the one ``operation``, called with the ``identity``'s credentials."""
    from config.wsgi import application

    # Schemathesis's WSGI transport asks for gzip but does not unpack it; compression has
    # its own test (tests/test_compression.py).
    headers = {"Accept-Encoding": "identity"}
    if identity == "staff":
        reviewer = UserFactory(username="sam.staff", roles=["reviewer"])
        _instance, token = AuthToken.objects.create(user=reviewer)
        headers["Authorization"] = f"Token {token}"
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            "generation": {"deterministic": True, "database": "none"},
            # Half the ids in paths name real rows (ids from the sequences are large).
            "dictionaries": {
                "ids": {"values": fuzz_records["ids"]},
                "refs": {"values": [*map(str, fuzz_records["ids"]), *fuzz_records["slugs"]]},
            },
            "operations": [
                {
                    # Organizations and groups: integer ids.
                    "include-path-regex": "^/api/v1/(organizations|perpetrator-groups)/",
                    "parameters": {"id": {"dictionary": "ids", "probability": 0.5}},
                },
                {
                    # Incidents and appeals: an id or a slug, as text.
                    "include-path-regex": "^/api/v1/(incidents|appeals)/",
                    "parameters": {"id": {"dictionary": "refs", "probability": 0.5}},
                },
                {
                    # A schema-valid body may still break a rule JSON Schema cannot state:
                    # a slug already taken, ended_on before occurred_on, ids that do not
                    # exist. Those are 400s with the form's messages (documented); every
                    # other check, schema-invalid bodies refused included, still runs.
                    "include-path": "/api/v1/incidents/",
                    "include-method": "POST",
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                },
                {
                    "include-path": "/api/v1/incidents/{id}/",
                    "include-method-regex": "^(PUT|PATCH)$",
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                },
            ],
        }
    )
    schema = schemathesis.openapi.from_dict(copy.deepcopy(served_schema()), config=config)
    # Excluding the others: include() cannot narrow a schema whose config has [[operations]]
    # entries (its filters add up with theirs).
    schema = schema.exclude(func=lambda context: context.operation.label != operation)
    schema.app = application
    schema.location = SCHEMA_PATH
    return schema


def fuzz(schema, tally: Tally) -> None:
    """Every operation of ``schema`` through schemathesis' phases (examples, coverage, fuzzing)."""

    def check(case):
        label = case.operation.label
        tally.requests[label] += 1
        if case.path == TOKEN_PATH:
            response = case.call()
            tally.statuses[response.status_code] += 1
            assert response.status_code < 500, response.text
            return
        try:
            response = case.call_and_validate()
            tally.statuses[response.status_code] += 1
        except FailureGroup as error:
            tally.record(label, error)
            raise

    explicit = settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    load_all_checks()
    # schemathesis.pytest.from_fixture would make each operation a subtest, but it does not
    # run on pytest 9 (it sets Item._nodeid); its own builder, called here, runs the same
    # phases, and every operation runs even when one fails.
    for result in get_all_tests(schema=schema, test_func=check, settings=explicit, given_kwargs={}):
        if not isinstance(result, Ok):
            tally.errors.append(f"invalid schema: {result.err()}")
            continue
        operation, test = result.ok()
        tally.operations.add(operation.label)
        started = time.monotonic()
        try:
            test()
        except Exception as error:  # a finding (recorded in check) or a crash: both fail
            tally.errors.append(f"{operation.label}: {error!s:.2000}")
        tally.seconds[operation.label] = time.monotonic() - started


@pytest.mark.postgres
@pytest.mark.parametrize(("identity", "operation"), FUZZED)
def test_api_keeps_its_schema(api_schema, tally, operation):
    fuzz(api_schema, tally)
    assert tally.operations == {operation}, tally.summary()
    assert not tally.findings and not tally.errors, tally.summary()


def test_every_served_operation_is_fuzzed(wsgi_in_the_test_transaction):
    assert labels(served_schema()["paths"]) == OPERATIONS
