"""What every `alur` subcommand shares: `--json`, `--as USER`, and refusals as plain messages.

A refused command prints one line naming what is wrong to stderr (or {"ok": false, ...} with
--json) and exits 1; it never prints a traceback for a user's mistake.
"""
from __future__ import annotations

import argparse
import contextvars
import functools
import json
import sys
from contextlib import contextmanager
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


# argparse's own words -------------------------------------------------------------------------
#
# argparse writes its refusals ("the following arguments are required: ...") and its help headings
# through gettext: the module calls `_` (gettext.gettext) and `ngettext` by their English msgids.
# ARGPARSE_MESSAGES is a small catalogue of those msgids in Indonesian (Python 3.11's, every one an
# operator can meet; tests/cli/test_argument_errors.py checks it against the running argparse).
# It is handed to argparse alone, and only while an Alur parser is being built, parses or writes
# its help (a context variable, so threads and other parsers are not affected): gettext's global
# domain is left as it is, and every other argparse user in the process keeps its own messages.

ARGPARSE_MESSAGES = {
    # --help and the usage line
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "subcommands": "subperintah",
    # what the operator typed wrong
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen wajib belum diberikan: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diberikan",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan %(value)r tidak dikenal; pilih salah satu dari %(choices)s",
    "invalid %(type)s value: %(value)r": "%(value)r bukan nilai %(type)s yang sah",
    "expected one argument": "memerlukan satu nilai",
    "expected at most one argument": "menerima paling banyak satu nilai",
    "expected at least one argument": "memerlukan paling sedikit satu nilai",
    "expected %s argument": "memerlukan %s nilai",
    "expected %s arguments": "memerlukan %s nilai",
    "not allowed with argument %s": "tidak boleh dipakai bersama argumen %s",
    "ignored explicit argument %r": "tidak menerima nilai, tetapi diberi %r",
    "ambiguous option: %(option)s could match %(matches)s": "opsi %(option)s ambigu; dapat berarti %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "subperintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "berkas '%(filename)s' tidak dapat dibuka: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
}

# argparse's other msgids are mistakes in a command's own definition (two options of one name, a
# positional marked required ...), met by whoever writes the command, never by an operator's input;
# they stay in English.
ARGPARSE_PROGRAMMER_MESSAGES = frozenset({
    ".__call__() not defined", "'required' is an invalid argument for positionals", "mutually exclusive arguments must be optional",
    "%r is not callable", "cannot merge actions - two groups are named %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r", "dest= is required for options like %r",
    "invalid conflict_resolution value: %r", "cannot have multiple subparser arguments", "conflicting subparser: %s",
    "conflicting subparser alias: %s", 'argument "-" with mode %r', "unexpected option string: %s",
    "conflicting option string: %s", "conflicting option strings: %s",
})


class _Catalogue:
    """A gettext translations object over a dict (Indonesian has one plural form)."""

    def __init__(self, messages: dict[str, str]):
        self.messages = messages

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.messages.get(plural if n != 1 else singular, plural if n != 1 else singular)


ARGPARSE_INDONESIAN = _Catalogue(ARGPARSE_MESSAGES)
_in_alur_parser = contextvars.ContextVar("alur_argparse_indonesian", default=False)


def _install_argparse_catalogue() -> None:
    """Route argparse's `_` and `ngettext` through the catalogue while an Alur parser is at work;
    outside one they are argparse's own functions, unchanged."""
    if getattr(argparse._, "alur_catalogue", False):
        return  # already installed (the module imported twice)
    english_gettext, english_ngettext = argparse._, argparse.ngettext

    def gettext(message):
        return ARGPARSE_INDONESIAN.gettext(message) if _in_alur_parser.get() else english_gettext(message)

    def ngettext(singular, plural, n):
        return ARGPARSE_INDONESIAN.ngettext(singular, plural, n) if _in_alur_parser.get() else english_ngettext(singular, plural, n)

    gettext.alur_catalogue = ngettext.alur_catalogue = True
    argparse._, argparse.ngettext = gettext, ngettext


_install_argparse_catalogue()


@contextmanager
def argparse_in_indonesian():
    """argparse speaks Indonesian inside this block (in this thread or task only)."""
    token = _in_alur_parser.set(True)
    try:
        yield
    finally:
        _in_alur_parser.reset(token)


def _in_indonesian(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with argparse_in_indonesian():
            return method(*args, **kwargs)
    return wrapper


def _integer(text: str) -> int:
    """type=int, with a refusal that reads as a sentence (argparse's names the type: "invalid int
    value")."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} bukan bilangan bulat") from None


# Django's options on every command (BaseCommand.create_parser), as `--help` shows them.
BASE_OPTIONS = {
    "--version": {"help": "tampilkan nomor versi program lalu keluar"},
    "--verbosity": {"help": "banyaknya keterangan: 0=sedikit, 1=biasa, 2=rinci, 3=sangat rinci"},
    "--settings": {"metavar": "MODUL", "help": "modul pengaturan Python, misalnya \"alur.settings\"; bila tidak diberikan, "
                                               "dipakai variabel lingkungan DJANGO_SETTINGS_MODULE"},
    "--pythonpath": {"metavar": "DIREKTORI", "help": "direktori yang ditambahkan ke path Python, misalnya \"/srv/alur\""},
    "--traceback": {"help": "tampilkan jejak tumpukan (traceback) lengkap bila terjadi CommandError"},
    "--no-color": {"help": "jangan beri warna pada keluaran perintah"},
    "--force-color": {"help": "selalu beri warna pada keluaran perintah"},
}


class AlurParser(CommandParser):
    """Arguments the parser itself rejects are refusals like any other: exit 1, and JSON when
    --json was asked for (argparse's own habit is usage text and exit 2). Its messages, usage line
    and help headings are Indonesian (ARGPARSE_MESSAGES)."""

    @_in_indonesian
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # the headings and -h's help are written here
        self.speak_indonesian()

    def speak_indonesian(self) -> None:
        """What __init__ adds to a CommandParser, for one Django built (AlurCommand.create_parser)."""
        self.register("type", int, _integer)

    parse_args = _in_indonesian(CommandParser.parse_args)
    parse_known_args = _in_indonesian(CommandParser.parse_known_args)
    format_usage = _in_indonesian(CommandParser.format_usage)
    format_help = _in_indonesian(CommandParser.format_help)

    @_in_indonesian
    def error(self, message):
        if not self.called_from_command_line:
            super().error(message)  # call_command: Django raises CommandError
        if "--json" in sys.argv:
            print(json.dumps({"ok": False, "code": "invalid_arguments", "error": f"{self.prog}: {message}"}, ensure_ascii=False, indent=2))
        else:
            self.print_usage(sys.stderr)
            print(f"{self.prog}: {message}", file=sys.stderr)
        sys.exit(1)


class AlurSubcommandParser(AlurParser):
    """The parser of one subcommand (`alur task complete`). argparse passes what a subcommand does
    not know up to the command's parser, which would refuse it as `alur task: ...` with the
    command's usage; refused here, the message and the usage are the subcommand's."""

    @_in_indonesian
    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(ARGPARSE_MESSAGES["unrecognized arguments: %s"] % " ".join(extras))
        return namespace, extras


class AlurCommand(BaseCommand):
    requires_system_checks: list = []

    def add_arguments(self, parser: CommandParser) -> None:
        # Each command defines add_subcommands(parser) -> {name: subparser}.
        subcommands = self.add_subcommands(parser)
        for sub in subcommands.values():
            sub.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")

    def subparsers(self, parser: CommandParser):
        return parser.add_subparsers(dest="subcommand", required=True, metavar="SUBPERINTAH", parser_class=AlurSubcommandParser)

    def create_parser(self, prog_name, subcommand, **kwargs):
        with argparse_in_indonesian():  # the headings and help argparse writes while it is built
            parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser; AlurParser adds methods and a type, so the object
        # can simply take the subclass.
        parser.__class__ = AlurParser
        parser.speak_indonesian()
        return parser

    def add_base_argument(self, parser, *args, **kwargs):
        for name in args:
            kwargs.update(BASE_OPTIONS.get(name, {}))
        super().add_base_argument(parser, *args, **kwargs)  # still hides those suppressed_base_arguments names

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
