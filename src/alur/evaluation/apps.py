from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "alur.evaluation"
    label = "evaluation"
    verbose_name = _("Monitoring dan evaluasi SOP")
    default_auto_field = "django.db.models.BigAutoField"
