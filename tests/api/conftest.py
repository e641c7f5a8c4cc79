"""API personas: token clients next to the session clients of tests/conftest.py."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from knox.models import AuthToken

from tests.factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Token requests are rate-limited per client in the cache; tests start from zero.
    cache.clear()


def token_client(user) -> Client:
    _instance, token = AuthToken.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def editor_token_client(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_token_client(reviewer):
    return token_client(reviewer)


@pytest.fixture
def researcher_token_client(researcher):
    return token_client(researcher)


@pytest.fixture
def many_incidents(db):
    """250 published cases on 100 days, each naming two organizations and a group."""
    organizations = OrganizationFactory.create_batch(3)
    groups = PerpetratorGroupFactory.create_batch(2)
    incidents = []
    start = datetime.date(2020, 1, 1)
    for n in range(250):
        incident = IncidentFactory(
            published=True,
            occurred_on=start + datetime.timedelta(days=n % 100),
            organizations=organizations[n % 2 : n % 2 + 2],
        )
        IncidentPerpetratorFactory(incident=incident, perpetrator_group=groups[n % 2])
        incidents.append(incident)
    return incidents
