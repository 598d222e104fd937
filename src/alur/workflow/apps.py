from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "alur.workflow"
    label = "workflow"
    verbose_name = _("Alur kerja")

    def ready(self) -> None:
        from alur.worktime.selectors import calendar_changed

        post_migrate.connect(_load_shipped_definitions, sender=self)
        calendar_changed.connect(_calendar_changed, dispatch_uid="workflow-recompute-deadlines")


def _load_shipped_definitions(sender, using="default", **kwargs) -> None:
    # `alur migrate` leaves the database ready to run the SOPs that ship with the package, and
    # gives tasks opened before deadlines were kept their due times.
    from .services import fill_missing_working_minutes, load_shipped_sops, recompute_open_deadlines

    load_shipped_sops()
    recompute_open_deadlines(only_missing=True)
    fill_missing_working_minutes()


def _calendar_changed(sender, **kwargs) -> None:
    # Working hours or days off changed: open tasks are due when the new calendar says.
    from .services import recompute_open_deadlines

    recompute_open_deadlines()
