from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "alur.workflow"
    label = "workflow"
    verbose_name = _("Alur kerja")

    def ready(self) -> None:
        from alur.worktime.models import CalendarDay, WorkingPeriod

        post_migrate.connect(_load_shipped_definitions, sender=self)
        # The working hours or the days off changed (a framework save, from the admin): open tasks
        # are due when the new calendar says.
        for model in (WorkingPeriod, CalendarDay):
            post_save.connect(_calendar_changed, sender=model, dispatch_uid=f"workflow-deadlines-saved-{model.__name__}")
            post_delete.connect(_calendar_changed, sender=model, dispatch_uid=f"workflow-deadlines-deleted-{model.__name__}")


def _load_shipped_definitions(sender, using="default", **kwargs) -> None:
    # `alur migrate` leaves the database ready to run the SOPs that ship with the package, and
    # gives tasks opened before deadlines were kept their due times.
    from .services import fill_missing_working_minutes, load_shipped_sops, recompute_open_deadlines

    load_shipped_sops()
    recompute_open_deadlines(only_missing=True)
    fill_missing_working_minutes()


def _calendar_changed(sender, **kwargs) -> None:
    from alur.worktime.selectors import forget_calendar

    from .services import recompute_open_deadlines

    forget_calendar()  # whichever app hears of the save first, the new calendar is the one read
    recompute_open_deadlines()
