"""Admin for superusers: the letterhead lives here; appeals are worked on the staff screens."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casefile.admin import ShownNotWritten

from .models import Addressee, Appeal, AppealText, AppealVersion, Letterhead, RenderJob


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ["organization_name", "website"]

    def has_add_permission(self, request):
        # One letterhead: the sign-off of every appeal.
        return super().has_add_permission(request) and not Letterhead.objects.exists()


@admin.register(Addressee)
class AddresseeAdmin(ShownNotWritten, admin.ModelAdmin):
    """Addressees are edited on the staff screens (/staff/addressees/), which save through
    ``appeals.services.addressee_save`` with its role check; here they are shown."""

    list_display = ["name", "position", "institution", "country"]
    search_fields = ["name", "position", "institution"]


class AppealTextInline(ShownNotWritten, admin.StackedInline):
    model = AppealText
    extra = 0


class AppealVersionInline(admin.TabularInline):
    model = AppealVersion
    extra = 0
    can_delete = False
    readonly_fields = [
        "language",
        "number",
        "file_name",
        "sha256",
        "size",
        "page_count",
        "created_at",
        "ready_at",
        "content_hash",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(ShownNotWritten, SimpleHistoryAdmin):
    """Appeals are written on the staff screens (appeals.services); here they are shown.
    Not deleted here either: a deleted appeal's public files would stay where they are."""

    list_display = ["__str__", "incident", "kind", "publication_state", "issued_on"]
    list_filter = ["publication_state", "kind"]
    search_fields = ["reference", "texts__title"]
    readonly_fields = [
        "reference",
        "reference_slug",
        "follow_up_number",
        "issued_on",
        "publication_state",
        "published_at",
    ]
    inlines = [AppealTextInline, AppealVersionInline]


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "appeal", "language", "state", "attempts", "created_at", "finished_at"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in RenderJob._meta.fields]

    def has_add_permission(self, request):
        return False
