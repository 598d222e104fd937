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


class ReadOnlyAdmin:
    """Shown, never written here: the register's rules (the five-year rule and its legal basis,
    the surat kuasa, an addendum's agreement, the length of each field, the counter, the audit
    event of every correction, the check of an attachment's content) live in the services the
    register's own pages call. Corrections are made on the agreement's page (Koreksi)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DistributionInline(ReadOnlyAdmin, admin.TabularInline):
    model = Distribution
    extra = 0


class ImplementationReportInline(ReadOnlyAdmin, admin.StackedInline):
    model = ImplementationReport
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["number", "title", "kind", "org_unit", "partner", "signed_on", "ends_on"]
    list_filter = ["kind", "org_unit", "source"]
    search_fields = ["number", "partner_number", "title", "partner__name"]
    inlines = [DistributionInline, ImplementationReportInline]

    def view_on_site(self, obj):
        # Straight to the agreement's page, where it is corrected. The address is the web's to
        # know, not this app's: settings.ABSOLUTE_URL_OVERRIDES gives the model get_absolute_url.
        return obj.get_absolute_url()


@admin.register(RegisterCounter)
class RegisterCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "last"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the running number is the register's alone: editing it would repeat or skip numbers

    def has_delete_permission(self, request, obj=None):
        return False
