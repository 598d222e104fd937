from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "alur.workflow"
    label = "workflow"
    verbose_name = _("Alur kerja")

    def ready(self) -> None:
        post_migrate.connect(_load_shipped_definitions, sender=self)


def _load_shipped_definitions(sender, using="default", **kwargs) -> None:
    # `alur migrate` leaves the database ready to run the SOPs that ship with the package.
    from .services import load_shipped_sops

    load_shipped_sops()
