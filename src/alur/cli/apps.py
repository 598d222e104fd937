from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "alur.cli"
    label = "cli"
    verbose_name = "CLI"
