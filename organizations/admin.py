"""Organizations and perpetrator groups are shown here, not written.

They are edited on the staff screens (/staff/organizations/, /staff/perpetrators/ and
their translation pages), which save through ``organizations.services``: the role check,
the actor on the history row, no translation into a record's own language. The admin
would skip all three.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casefile.admin import ShownNotWritten

from .models import (
    Organization,
    OrganizationTranslation,
    PerpetratorGroup,
    PerpetratorGroupTranslation,
)


class OrganizationTranslationInline(ShownNotWritten, admin.StackedInline):
    model = OrganizationTranslation
    fields = ["language", "name", "about"]
    extra = 0


class PerpetratorGroupTranslationInline(ShownNotWritten, admin.StackedInline):
    model = PerpetratorGroupTranslation
    fields = ["language", "name", "description"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ShownNotWritten, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym"]
    inlines = [OrganizationTranslationInline]


@admin.register(PerpetratorGroup)
class PerpetratorGroupAdmin(ShownNotWritten, SimpleHistoryAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases"]
    inlines = [PerpetratorGroupTranslationInline]
