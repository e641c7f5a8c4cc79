from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from django.core.checks import register

        from . import signals  # noqa: F401  (connects the receivers)
        from .checks import cache_shared_by_processes

        register(cache_shared_by_processes, deploy=True)
