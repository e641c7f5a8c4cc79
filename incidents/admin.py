from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casefile.admin import DeletedThroughService, ShownNotWritten

from .models import (
    Figure,
    Incident,
    IncidentPerpetrator,
    IncidentTranslation,
    PublicationEvent,
    Source,
    Status,
    StatusTranslation,
    Update,
    ViolationType,
)
from .services import incident_delete


class StatusTranslationInline(admin.TabularInline):
    model = StatusTranslation
    fields = ["language", "name", "description"]
    extra = 0


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StatusTranslationInline]


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]


class PerpetratorInline(ShownNotWritten, admin.TabularInline):
    model = IncidentPerpetrator
    autocomplete_fields = ["perpetrator_group"]
    extra = 0


class SourceInline(ShownNotWritten, admin.StackedInline):
    model = Source
    extra = 0


class FigureInline(ShownNotWritten, admin.TabularInline):
    model = Figure
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A figure cites a source of its own incident only (never a draft's).
        formset.form.base_fields["source"].queryset = (
            Source.objects.filter(incident=obj) if obj else Source.objects.none()
        )
        return formset


class UpdateInline(ShownNotWritten, admin.StackedInline):
    model = Update
    extra = 0


class IncidentTranslationInline(ShownNotWritten, admin.StackedInline):
    model = IncidentTranslation
    fields = ["language", "title", "summary", "narrative"]
    extra = 0


class PublicationEventInline(admin.TabularInline):
    model = PublicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "from_state", "to_state", "note", "at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Incident)
class IncidentAdmin(DeletedThroughService, SimpleHistoryAdmin):
    """Cases are written on the staff screens (incidents.services); here they are shown,
    and an administrator may delete one."""

    list_display = ["title", "country", "occurred_on", "status", "publication_state"]
    list_filter = ["publication_state", "status", "country"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["organizations"]
    filter_horizontal = ["violation_types"]
    readonly_fields = ["publication_state", "published_at", "created_by", "updated_by"]
    inlines = [
        IncidentTranslationInline,
        PerpetratorInline,
        SourceInline,
        FigureInline,
        UpdateInline,
        PublicationEventInline,
    ]

    def delete_record(self, request, incident: Incident) -> None:
        incident_delete(actor=request.user, incident=incident)
