from django.contrib import admin

from .models import Agreement, Distribution, ImplementationReport, Partner, PartnerContact, RegisterCounter


class PartnerContactInline(admin.TabularInline):
    model = PartnerContact
    extra = 1


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "contacts__name"]
    inlines = [PartnerContactInline]


class DistributionInline(admin.TabularInline):
    model = Distribution
    extra = 0


class ImplementationReportInline(admin.StackedInline):
    model = ImplementationReport
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "org_unit", "partner", "signed_on", "ends_on"]
    list_filter = ["kind", "org_unit", "source"]
    search_fields = ["number", "partner_number", "title", "partner__name"]
    # The number comes from the register (never typed), the case from the engine.
    readonly_fields = ["case", "number", "registered_by", "registered_at", "source", "expiry_notices"]
    inlines = [DistributionInline, ImplementationReportInline]


@admin.register(RegisterCounter)
class RegisterCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "last"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the running number is the register's alone: editing it would repeat or skip numbers

    def has_delete_permission(self, request, obj=None):
        return False
