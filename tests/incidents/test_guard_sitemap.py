"""Guard: the sitemap read as a crawler reads it, following every address it lists
(issue 12's second test for the sitemap rules; test_public_research.py reads its text).

A crawler that finds the address of an unpublished organization learns that it exists and
when it was filed, even when the page itself answers 404: every listed page must be one
the public may open.
"""

import re

import pytest

from tests.factories import IncidentFactory, OrganizationFactory

from .test_public_research import whole_sitemap

pytestmark = pytest.mark.django_db


def test_every_address_in_the_sitemap_opens_a_public_page(client):
    IncidentFactory(published=True, organizations=[OrganizationFactory(name="Coalition")])
    hidden = OrganizationFactory(name="Shelter for witnesses")
    IncidentFactory(title="Witnesses moved to safety", organizations=[hidden])

    addresses = sorted(
        set(re.findall(r"<loc>http://testserver(/[^<]*)</loc>", whole_sitemap(client)))
    )

    assert any("/organizations/" in address for address in addresses)
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Shelter for witnesses" not in body, address
        assert b"Witnesses moved to safety" not in body, address
