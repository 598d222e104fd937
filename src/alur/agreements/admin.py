from django.contrib import admin

from .models import Agreement, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_name", "contact_phone"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_name"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "org_unit", "partner", "disposition_date"]
    list_filter = ["kind", "org_unit"]
    search_fields = ["title", "partner__name"]
    readonly_fields = ["case", "registered_by", "registered_at"]
