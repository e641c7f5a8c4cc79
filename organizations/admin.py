from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organization, PerpetratorGroup


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym"]


@admin.register(PerpetratorGroup)
class PerpetratorGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases"]
