"""The staff roles exist wherever the database was migrated, whichever apps are above."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from casefile.roles import STAFF_ROLES


@pytest.mark.django_db
def test_migrate_puts_back_a_staff_role_that_was_deleted():
    Group.objects.filter(name="reviewer").delete()

    call_command("migrate", verbosity=0)

    assert set(Group.objects.values_list("name", flat=True)) >= set(STAFF_ROLES)
