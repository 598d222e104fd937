from django.contrib import admin

from .models import AuditEvent, Case, Document, Sop, SopVersion, Task


class ReadOnlyAdmin(admin.ModelAdmin):
    """The engine's rows change only through its services, which check and audit every change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sop)
class SopAdmin(ReadOnlyAdmin):
    list_display = ["key", "name"]


@admin.register(SopVersion)
class SopVersionAdmin(ReadOnlyAdmin):
    list_display = ["sop", "version", "source_name", "loaded_at"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "org_unit", "status", "round", "started_at"]
    list_filter = ["status", "org_unit"]
    search_fields = ["title"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "case", "step_key", "role_key", "status", "assignee", "created_at", "completed_at"]
    list_filter = ["status", "role_key"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "version", "original_name", "uploaded_by", "uploaded_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor_name", "action", "case"]
    list_filter = ["action"]
