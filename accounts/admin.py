from django.contrib import admin

from .models import StaffSession


@admin.register(StaffSession)
class StaffSessionAdmin(admin.ModelAdmin):
    """Who is logged in, from where. Sessions are ended from the user's page, or by
    deactivating the user; rows are not edited here."""

    list_display = ["user", "started_at", "last_seen_at", "client_address", "user_agent"]
    list_filter = ["started_at"]
    search_fields = ["user__username", "client_address"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
