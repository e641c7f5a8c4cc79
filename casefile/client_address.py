"""The address of the client behind a request, trusting only the proxies we run.

``X-Forwarded-For`` is written by whoever sends the request: read raw, it lets an attacker
pick the address that a lockout or a throttle counts against. Only the entries appended by
our own proxies (``TRUSTED_PROXIES`` of them, nginx in docker-compose) are believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address as our outermost trusted proxy saw it."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # Each trusted proxy appends the address it received the request from; the entry our
    # outermost proxy appended is the N-th from the end. Anything before it is the client's
    # own claim.
    if len(forwarded) < proxies:
        return remote
    return _valid(forwarded[-proxies]) or remote


def _valid(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""
