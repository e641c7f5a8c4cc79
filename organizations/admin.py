from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Organization,
    OrganizationTranslation,
    PerpetratorGroup,
    PerpetratorGroupTranslation,
)


class OrganizationTranslationInline(admin.StackedInline):
    model = OrganizationTranslation
    fields = ["language", "about"]
    extra = 0


class PerpetratorGroupTranslationInline(admin.StackedInline):
    model = PerpetratorGroupTranslation
    fields = ["language", "description"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym"]
    inlines = [OrganizationTranslationInline]


@admin.register(PerpetratorGroup)
class PerpetratorGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases"]
    inlines = [PerpetratorGroupTranslationInline]
