"""Monitoring forms and evaluations in the admin: for looking up, not for filling in (the pages
and their services do that, with the audit trail)."""
from django.contrib import admin

from .models import EvaluationAnswer, MonitoringForm, MonitoringFormRow, SopEvaluation


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RowInline(ReadOnlyInline):
    model = MonitoringFormRow
    fields = ["number", "prosedur", "penilaian", "catatan", "tindakan"]


class AnswerInline(ReadOnlyInline):
    model = EvaluationAnswer
    fields = ["number", "text", "answer", "keterangan"]


@admin.register(MonitoringForm)
class MonitoringFormAdmin(admin.ModelAdmin):
    list_display = ["sop", "period_start", "period_end", "org_unit", "penilai", "created_at"]
    list_filter = ["sop"]
    inlines = [RowInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SopEvaluation)
class SopEvaluationAdmin(admin.ModelAdmin):
    list_display = ["sop", "period_start", "period_end", "evaluator", "created_at"]
    list_filter = ["sop"]
    inlines = [AnswerInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
