"""What every `alur` subcommand shares: `--json`, `--as USER`, and refusals as plain messages.

A refused command prints one line naming what is wrong to stderr (or {"ok": false, ...} with
--json) and exits 1; it never prints a traceback for a user's mistake.
"""
from __future__ import annotations

import json
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.utils import OperationalError, ProgrammingError

from alur.sop import DefinitionError
from alur.workflow.errors import WorkflowError


class Refused(Exception):
    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message, self.code = message, code


class AlurParser(CommandParser):
    """Arguments the parser itself rejects are refusals like any other: exit 1, and JSON when
    --json was asked for (argparse's own habit is usage text and exit 2)."""

    def error(self, message):
        if not self.called_from_command_line:
            super().error(message)  # call_command: Django raises CommandError
        if "--json" in sys.argv:
            print(json.dumps({"ok": False, "code": "invalid_arguments", "error": f"{self.prog}: {message}"}, ensure_ascii=False, indent=2))
        else:
            self.print_usage(sys.stderr)
            print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(1)


class AlurCommand(BaseCommand):
    requires_system_checks: list = []

    def add_arguments(self, parser: CommandParser) -> None:
        # Each command defines add_subcommands(parser) -> {name: subparser}.
        subcommands = self.add_subcommands(parser)
        for sub in subcommands.values():
            sub.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")

    def subparsers(self, parser: CommandParser):
        return parser.add_subparsers(dest="subcommand", required=True, metavar="SUBPERINTAH", parser_class=AlurParser)

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser; AlurParser adds only error(), so the object can
        # simply take the subclass.
        parser.__class__ = AlurParser
        return parser

    def handle(self, *args, **options) -> None:
        self.as_json = options.get("json", False)
        try:
            getattr(self, "do_" + options["subcommand"])(**options)
        except (WorkflowError, Refused) as exc:
            self.refuse(exc.message, exc.code, data={"missing": exc.missing} if hasattr(exc, "missing") else None)
        except DefinitionError as exc:
            self.refuse(str(exc), "invalid_definition")
        except (OperationalError, ProgrammingError) as exc:
            # A database Alur has not set up yet: say what to do instead of showing a traceback.
            if "no such table" not in str(exc) and "does not exist" not in str(exc):
                raise
            self.refuse("Basis data belum disiapkan untuk Alur; jalankan dahulu: alur migrate", "database_not_ready")

    # Output ----------------------------------------------------------------------------------

    def emit(self, data: Any, text: str) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder) if self.as_json else text)

    def refuse(self, message: str, code: str = "invalid", *, exit_code: int = 1, data: dict | None = None) -> None:
        if self.as_json:
            self.stdout.write(json.dumps({"ok": False, "code": code, "error": message, **(data or {})}, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder))
        else:
            self.stderr.write(message)
        sys.exit(exit_code)

    # Arguments -------------------------------------------------------------------------------

    def user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise Refused(f"Pengguna '{username}' tidak ada.", "not_found")
        if not user.is_active:
            raise Refused(f"Pengguna '{username}' tidak aktif.", "not_allowed")
        return user


def table(headers: list[str], rows: list[list[Any]], *, wrap: dict[int, int] | None = None) -> str:
    """A plain-text table; columns named in `wrap` are cut to that many characters."""
    wrap = wrap or {}
    cells = [[str(h) for h in headers]] + [
        [(str(v) if i not in wrap or len(str(v)) <= wrap[i] else str(v)[: wrap[i] - 1] + "…") for i, v in enumerate(row)]
        for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
