from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "alur.web"
    label = "web"
    verbose_name = _("Aplikasi web")

    def ready(self) -> None:
        from alur.notifications.links import resolve_subjects_with

        from .links import subject_path

        # Notices store what they are about; the e-mail asks the web which page shows it.
        resolve_subjects_with(subject_path)
