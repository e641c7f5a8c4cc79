from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_staff_roles(using: str = "default", **kwargs) -> None:
    """Make sure the staff roles exist as groups, after every ``migrate`` (as Django makes
    sure permissions exist): no app above the ground floor has to create them."""
    from django.contrib.auth.models import Group

    from .roles import STAFF_ROLES

    for name in STAFF_ROLES:
        Group.objects.using(using).get_or_create(name=name)


class CasefileConfig(AppConfig):
    """The ground floor every app stands on; an app so that its template tags load."""

    name = "casefile"
    verbose_name = "Casefile"

    def ready(self) -> None:
        # Registers the shared role rules (rules.add_perm) before any permission check.
        from . import roles  # noqa: F401

        # Sent per app with models; casefile has none, so listen for auth's, whose Group it is.
        post_migrate.connect(
            create_staff_roles,
            sender=self.apps.get_app_config("auth"),
            dispatch_uid="casefile-roles",
        )
