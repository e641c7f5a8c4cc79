"""Guards: organizations and perpetrator groups of unpublished cases stay hidden from a
logged-in user without a staff role, as from an anonymous visitor (issue 12's mutations)."""

import pytest

from organizations.models import Organization, PerpetratorGroup
from tests.api.conftest import token_client
from tests.factories import (
    IncidentFactory,
    IncidentPerpetratorFactory,
    OrganizationFactory,
    PerpetratorGroupFactory,
)


@pytest.fixture
def named_only_in_a_draft(db):
    organization = OrganizationFactory(name="Hidden coalition")
    group = PerpetratorGroupFactory(name="Hidden unit")
    draft = IncidentFactory(organizations=[organization])
    IncidentPerpetratorFactory(incident=draft, perpetrator_group=group)
    return organization, group


def test_an_account_without_a_role_sees_no_organization_or_group_of_a_draft(
    outsider, named_only_in_a_draft
):
    organization, group = named_only_in_a_draft

    assert organization not in Organization.objects.visible_to(outsider)
    assert group not in PerpetratorGroup.objects.visible_to(outsider)


def test_the_api_hides_them_from_an_account_without_a_role(outsider, named_only_in_a_draft):
    organization, group = named_only_in_a_draft
    api = token_client(outsider)

    assert api.get("/api/v1/organizations/").json()["results"] == []
    assert api.get("/api/v1/perpetrator-groups/").json()["results"] == []
    assert api.get(f"/api/v1/organizations/{organization.pk}/").status_code == 404
    assert api.get(f"/api/v1/perpetrator-groups/{group.pk}/").status_code == 404
