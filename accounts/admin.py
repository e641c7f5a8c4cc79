from allauth.mfa.base.internal.flows import delete_dangling_recovery_codes
from allauth.mfa.models import Authenticator
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


# allauth's own admin shows and edits an authenticator's data: the TOTP secret, and which
# recovery codes are used (resetting them, unaudited). Here it is read-only, data hidden;
# deleting one is allowed, and ends the user's sessions and tokens and is audited
# (accounts.signals).
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        # As allauth's own page does: recovery codes alone are no second factor.
        delete_dangling_recovery_codes(obj.user)

    def delete_queryset(self, request, queryset):
        users = {authenticator.user for authenticator in queryset}
        super().delete_queryset(request, queryset)
        for user in users:
            delete_dangling_recovery_codes(user)
