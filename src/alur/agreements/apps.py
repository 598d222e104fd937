from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "alur.agreements"
    label = "agreements"
    verbose_name = _("Perjanjian kerja sama")

    def ready(self) -> None:
        from alur.workflow.signals import case_ended, step_completing

        from .register import check_settings
        from .registration import check_completion, register_at_end

        # A register pattern that cannot make numbers stops Alur at its start, not at the first registration.
        check_settings()
        # The engine tells of its moves; the register checks signings and registers at the end.
        step_completing.connect(check_completion, dispatch_uid="agreements-check-completion")
        case_ended.connect(register_at_end, dispatch_uid="agreements-register-at-end")
