"""The `alur` command: Django's manage.py under the project's name (`alur migrate`, `alur sop check` ...)."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alur.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["alur", *sys.argv[1:]])


if __name__ == "__main__":
    main()
