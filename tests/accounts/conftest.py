"""Logging in as a person does: the form, then the code of the authenticator app."""

import pytest
from django.test import Client
from django.urls import reverse

from casefile.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"
WRONG_PASSWORD_MESSAGE = "The username and/or password you specified are not correct."


def post_login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"login": username, "password": password}, **extra)


def post_code(client: Client, code: str, **extra):
    return client.post(reverse("mfa_authenticate"), {"code": code}, **extra)


def is_logged_in(client: Client) -> bool:
    return client.get(reverse("incidents:dashboard")).status_code == 200


def events(action: str, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters))


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="ada.admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client
