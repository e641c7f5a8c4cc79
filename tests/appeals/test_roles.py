"""Who may do what to an appeal, by role and by the appeal's own publication state."""

import pytest

from appeals.models import Appeal

from ..factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db

D, R, P, W = "draft", "in_review", "published", "withdrawn"
EVERY = {D, R, P, W}

# permission -> role -> states in which it is allowed
MATRIX = {
    "change_appeal": {"editor": {D}, "reviewer": {D, R, P}, "researcher": set()},
    "submit_appeal": {"editor": {D}, "reviewer": {D}, "researcher": set()},
    "publish_appeal": {"editor": set(), "reviewer": {R, W}, "researcher": set()},
    "send_back_appeal": {"editor": set(), "reviewer": {R, W}, "researcher": set()},
    "withdraw_appeal": {"editor": set(), "reviewer": {P}, "researcher": set()},
    "render_appeal": {"editor": {D, R, P}, "reviewer": {D, R, P}, "researcher": set()},
}
# Permissions that do not depend on an appeal.
GLOBAL = {
    "add_appeal": {"editor", "reviewer"},
    "view_appeal": {"editor", "reviewer", "researcher"},
    "change_addressee": {"editor", "reviewer"},
}


@pytest.mark.parametrize("permission", MATRIX)
@pytest.mark.parametrize("role", ["editor", "reviewer", "researcher"])
@pytest.mark.parametrize("state", [D, R, P, W])
def test_role_and_state_decide_each_action(permission, role, state):
    user = UserFactory(roles=[role])
    appeal = Appeal(publication_state=state)

    allowed = user.has_perm(f"appeals.{permission}", appeal)

    assert allowed == (state in MATRIX[permission][role])


@pytest.mark.parametrize("permission", GLOBAL)
@pytest.mark.parametrize("role", ["editor", "reviewer", "researcher"])
def test_role_decides_actions_on_no_appeal_in_particular(permission, role):
    user = UserFactory(roles=[role])

    assert user.has_perm(f"appeals.{permission}") == (role in GLOBAL[permission])


def test_only_a_reviewer_publishes_and_never_a_draft():
    reviewer = UserFactory(roles=["reviewer"])
    editor = UserFactory(roles=["editor"])

    assert not reviewer.has_perm("appeals.publish_appeal", Appeal(publication_state=D))
    assert reviewer.has_perm("appeals.publish_appeal", Appeal(publication_state=R))
    assert not editor.has_perm("appeals.publish_appeal", Appeal(publication_state=R))


def test_the_appeal_state_is_read_not_its_incident_state():
    # An appeal in review about a published case: the appeal's own state decides.
    reviewer = UserFactory(roles=["reviewer"])
    appeal = Appeal(publication_state=D, incident=IncidentFactory.build(in_review=True))

    assert not reviewer.has_perm("appeals.publish_appeal", appeal)
    assert reviewer.has_perm("appeals.submit_appeal", appeal)


def test_a_user_without_a_role_may_do_nothing(outsider):
    for permission in MATRIX:
        for state in EVERY:
            assert not outsider.has_perm(f"appeals.{permission}", Appeal(publication_state=state))
    for permission in GLOBAL:
        assert not outsider.has_perm(f"appeals.{permission}")


def test_inactive_staff_lose_their_role():
    user = UserFactory(roles=["reviewer"], is_active=False)

    assert not user.has_perm("appeals.publish_appeal", Appeal(publication_state=R))
    assert not user.has_perm("appeals.view_appeal")
