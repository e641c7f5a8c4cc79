"""Guard: who counts as staff, checked on the functions that decide it, beneath the pages
that test_staff_views.py and test_second_factor.py visit (issue 12's second test for each
rule)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.staff import is_staff_account
from casefile.roles import STAFF_ROLES
from incidents.staff_views import staff_required
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_staff_role_is_a_staff_account_that_needs_a_second_factor():
    assert STAFF_ROLES  # the roles the rules know, not a list repeated here
    for role in STAFF_ROLES:
        user = UserFactory(username=f"new.{role}", roles=[role], mfa=False)
        assert is_staff_account(user), role
    assert not is_staff_account(UserFactory(username="no.role", mfa=False))
    assert not is_staff_account(AnonymousUser())


def test_the_staff_area_lets_in_the_staff_roles_and_no_other_logged_in_user():
    @staff_required
    def staff_page(request):
        return HttpResponse("Drafts and reviews")

    request = RequestFactory().get("/staff/")
    for role in STAFF_ROLES:
        request.user = UserFactory(username=f"staff.{role}", roles=[role])
        assert staff_page(request).status_code == 200, role
    for user in (UserFactory(username="olga.outsider"), AnonymousUser()):
        request.user = user
        with pytest.raises(PermissionDenied):
            staff_page(request)
