"""The client address believes only the proxies we run, never a client's own header."""

import pytest
from django.test import RequestFactory

from casefile.client_address import client_address


def request_from(remote: str, forwarded: str | None = None):
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0

    assert client_address(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_saw_is_used(settings):
    settings.TRUSTED_PROXIES = 1

    # nginx overwrites the header with $remote_addr: one entry.
    assert client_address(request_from("10.0.0.2", "203.0.113.7")) == "203.0.113.7"


@pytest.mark.parametrize("claimed", ["198.51.100.1", "198.51.100.1, 198.51.100.2", "garbage"])
def test_addresses_a_client_prepends_are_not_believed(settings, claimed):
    settings.TRUSTED_PROXIES = 1

    # A proxy that appends ($proxy_add_x_forwarded_for): the client's claim comes first.
    request = request_from("10.0.0.2", f"{claimed}, 203.0.113.7")

    assert client_address(request) == "203.0.113.7"


def test_a_missing_or_malformed_entry_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1

    assert client_address(request_from("10.0.0.2")) == "10.0.0.2"
    assert client_address(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"


def test_two_proxies_take_the_second_entry_from_the_end(settings):
    settings.TRUSTED_PROXIES = 2

    request = request_from("10.0.0.3", "198.51.100.1, 203.0.113.7, 10.0.0.2")

    assert client_address(request) == "203.0.113.7"
