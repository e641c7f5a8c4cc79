from django.apps import AppConfig


class CasefileConfig(AppConfig):
    """The ground floor every app stands on; an app so that its template tags load."""

    name = "casefile"
    verbose_name = "Casefile"

    def ready(self) -> None:
        # Registers the shared role rules (rules.add_perm) before any permission check.
        from . import roles  # noqa: F401
