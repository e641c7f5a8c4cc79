from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "casefile.audit"
    label = "audit"
    verbose_name = "Audit trail"
