from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "alur.worktime"
    label = "worktime"
    verbose_name = _("Hari dan jam kerja")

    def ready(self) -> None:
        from .models import CalendarDay, WorkingPeriod

        for model in (WorkingPeriod, CalendarDay):
            post_save.connect(_calendar_edited, sender=model, dispatch_uid=f"calendar-saved-{model.__name__}")
            post_delete.connect(_calendar_edited, sender=model, dispatch_uid=f"calendar-deleted-{model.__name__}")


def _calendar_edited(sender, **kwargs) -> None:
    from .selectors import forget_calendar

    forget_calendar()
