from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, WorkingPeriod


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(admin.ModelAdmin):
    list_display = ["weekday", "starts", "ends"]
    list_filter = ["weekday"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fieldsets = [(None, {
        "fields": ["date", "kind", "name"],
        "description": _("Hari libur nasional dan cuti bersama sudah dihitung dari kalender nasional. "
                         "Tambahkan di sini tanggal yang berbeda menurut keputusan tahun berjalan: "
                         "libur tambahan, atau hari libur yang dipindah sehingga menjadi hari kerja."),
    })]
