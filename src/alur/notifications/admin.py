from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext

from .models import Notification
from .services import requeue_emails


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notices are written by the app; the admin shows them and their e-mail state, and can queue
    the e-mail of failed ones again once the cause is fixed."""

    list_display = ["created_at", "recipient", "kind", "title", "read_at", "email_state", "email_attempts"]
    list_filter = ["kind", "email_state"]
    search_fields = ["recipient__username", "title", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend_email"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Kirim ulang surel yang gagal"), permissions=["change"])
    def resend_email(self, request, queryset):
        count = requeue_emails(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext("%d surel dijadwalkan ulang.", "%d surel dijadwalkan ulang.", count) % count,
                          messages.SUCCESS)
