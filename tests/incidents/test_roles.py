"""Who may do what to an incident, by role and publication state."""

import pytest

from ..factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db

D, R, P, W = "draft", "in_review", "published", "withdrawn"

# permission -> role -> states in which it is allowed
MATRIX = {
    "change_incident": {"editor": {D}, "reviewer": {D, R, P}, "researcher": set()},
    "submit_incident": {"editor": {D}, "reviewer": {D}, "researcher": set()},
    "publish_incident": {"editor": set(), "reviewer": {R, W}, "researcher": set()},
    "send_back_incident": {"editor": set(), "reviewer": {R, W}, "researcher": set()},
    "withdraw_incident": {"editor": set(), "reviewer": {P}, "researcher": set()},
}


@pytest.mark.parametrize("permission", MATRIX)
@pytest.mark.parametrize("role", ["editor", "reviewer", "researcher"])
@pytest.mark.parametrize("state", [D, R, P, W])
def test_role_and_state_decide_each_action(permission, role, state):
    user = UserFactory(roles=[role])
    incident = IncidentFactory.build(publication_state=state)

    allowed = user.has_perm(f"incidents.{permission}", incident)

    assert allowed == (state in MATRIX[permission][role])


@pytest.mark.parametrize("role", ["editor", "reviewer", "researcher"])
def test_every_staff_role_may_enter_the_staff_area(role):
    assert UserFactory(roles=[role]).has_perm("casefile.view_staff_area")


def test_a_user_without_a_role_may_do_nothing(outsider):
    incident = IncidentFactory.build()
    assert not outsider.has_perm("casefile.view_staff_area")
    assert not outsider.has_perm("incidents.add_incident")
    assert not outsider.has_perm("incidents.change_incident", incident)


def test_researcher_cannot_create_incidents_or_organizations(researcher):
    assert not researcher.has_perm("incidents.add_incident")
    assert not researcher.has_perm("organizations.add_organization")
    assert not researcher.has_perm("organizations.change_perpetratorgroup")


def test_inactive_staff_lose_their_role():
    user = UserFactory(roles=["reviewer"], is_active=False)
    assert not user.has_perm("incidents.publish_incident", IncidentFactory.build(in_review=True))
