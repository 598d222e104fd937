from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "alur.agreements"
    label = "agreements"
    verbose_name = _("Perjanjian kerja sama")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from alur.workflow.hooks import register_subject

        from . import lifecycle
        from .register import check_settings
        from .search import repair_after_migrate

        # A register pattern that cannot make numbers stops Alur at its start, not at the first registration.
        check_settings()
        # The engine calls the lifecycle on every move of a case that carries an agreement.
        register_subject("agreement", lifecycle)
        # SQLite loses the search index's triggers when a migration rebuilds agreements_agreement.
        post_migrate.connect(repair_after_migrate, sender=self, dispatch_uid="agreements-search-index")
