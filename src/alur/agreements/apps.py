from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "alur.agreements"
    label = "agreements"
    verbose_name = _("Perjanjian kerja sama")

    def ready(self) -> None:
        from alur.workflow.hooks import register_subject

        from . import lifecycle
        from .register import check_settings

        # A register pattern that cannot make numbers stops Alur at its start, not at the first registration.
        check_settings()
        # The engine calls the lifecycle on every move of a case that carries an agreement.
        register_subject("agreement", lifecycle)
