"""Arguments argparse itself refuses, and the help it writes, in Indonesian.

argparse's own words (a required argument missing, an unknown one, a choice or a number it cannot
read, the usage line, the headings of --help) go through a small catalogue in alur/cli/base.py,
handed to argparse only while an Alur parser works. Each refusal is one line naming the argument,
after the usage of the (sub)command, exit 1, and nothing changed; with --json it is the usual JSON
refusal, code invalid_arguments.
"""
from __future__ import annotations

import argparse
import ast
import inspect
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command, find_commands, load_command_class

from alur.cli.base import ARGPARSE_MESSAGES, ARGPARSE_PROGRAMMER_MESSAGES, AlurCommand
from tests.cli.test_console_script import ok, run_alur, table_counts

ALUR_COMMANDS = sorted(find_commands(str(Path(apps.get_app_config("cli").path) / "management")))
# Commands not built on AlurCommand, whose parser is still Django's own: English, and exit 2.
NOT_ALUR_COMMANDS: set[str] = set()  # every command is on the Alur parser

# What argparse and Django's BaseCommand write in English; none of it may reach an Alur command's
# refusal or help.
ENGLISH = [
    "usage:", "error:", "argument ", "arguments", "required", "invalid", "expected", "unrecognized", "choose from",
    "positional", "options:", "show this help", "Show program's version", "Verbosity level", "settings module",
    "Python path", "stack trace", "colorize", "colorization", "--settings SETTINGS", "--pythonpath PYTHONPATH",
]


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


# --- the catalogue ---------------------------------------------------------------------------

def argparse_msgids() -> set[str]:
    """Every msgid the running argparse passes to `_` or `ngettext`."""
    msgids = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
            for arg in node.args:
                # _(kwargs.pop('title', 'subcommands')): the default is the msgid
                for const in ast.walk(arg):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str) and const.value not in ("title", "description"):
                        msgids.add(const.value)
    return msgids


def test_every_message_argparse_translates_has_indonesian_or_is_a_programmers_mistake():
    msgids = argparse_msgids()

    assert msgids - set(ARGPARSE_MESSAGES) - ARGPARSE_PROGRAMMER_MESSAGES == set()
    assert set(ARGPARSE_MESSAGES) - msgids == set(), "msgids this argparse no longer has"


@pytest.mark.parametrize("msgid", sorted(ARGPARSE_MESSAGES))
def test_a_translation_keeps_the_placeholders_of_its_msgid(msgid):
    def placeholders(text):
        return sorted(re.findall(r"%(?:\(\w+\))?[sr]", text))

    assert placeholders(ARGPARSE_MESSAGES[msgid]) == placeholders(msgid)


def test_other_argparse_parsers_in_the_process_keep_their_own_messages(alur_argv, db):
    class Plain(argparse.ArgumentParser):
        def error(self, message):
            raise ValueError(message)

    alur_argv("case", "show", "tujuh")  # an Alur parser has spoken Indonesian in this process
    plain = Plain(prog="lain")
    plain.add_argument("count", type=int)

    with pytest.raises(ValueError, match="^the following arguments are required: count$"):
        plain.parse_args([])
    with pytest.raises(ValueError, match="^argument count: invalid int value: 'x'$"):
        plain.parse_args(["x"])
    assert plain.format_usage().startswith("usage: lain")


# --- refusals through the console script's entry point (argv as typed) ------------------------

REFUSALS = [
    # a required argument missing
    (["register", "import"], "alur register import: argumen wajib belum diberikan: BERKAS"),
    (["case", "start", "--sop", "pks-pihak-ketiga", "--title", "PKS Uji"], "alur case start: argumen wajib belum diberikan: --as"),
    (["sop", "render", "pks-pihak-ketiga", "--format", "svg"], "alur sop render: argumen wajib belum diberikan: -o/--output"),
    (["calendar", "due"], "alur calendar due: argumen wajib belum diberikan: MULAI, MENIT"),
    (["sop", "check"], "alur sop check: argumen wajib belum diberikan: BERKAS"),
    (["audit"], "alur audit: argumen wajib belum diberikan: SUBPERINTAH"),
    # an option given without its value
    (["task", "complete", "1", "--as"], "alur task complete: argumen --as: memerlukan satu nilai"),
    (["register", "template", "-o"], "alur register template: argumen -o/--output: memerlukan satu nilai"),
    # an argument the (sub)command does not have: named by the subcommand, not only the command
    (["task", "claim", "1", "--as", "karo", "--paksa"], "alur task claim: argumen tidak dikenal: --paksa"),
    (["case", "show", "1", "2"], "alur case show: argumen tidak dikenal: 2"),
    (["sop", "list", "--semua"], "alur sop list: argumen tidak dikenal: --semua"),
    (["worker", "--sekali"], "alur worker: argumen tidak dikenal: --sekali"),
    (["register", "import", "daftar.xlsx", "--confirm=ya"], "alur register import: argumen --confirm: tidak menerima nilai, tetapi diberi 'ya'"),
    # a choice not among those offered
    (["case", "list", "--status", "selesai"],
     "alur case list: argumen --status: pilihan 'selesai' tidak dikenal; pilih salah satu dari 'running', 'returned', 'completed', 'cancelled'"),
    (["task", "complete", "1", "--as", "karo", "--decision", "mungkin"],
     "alur task complete: argumen --decision: pilihan 'mungkin' tidak dikenal; pilih salah satu dari 'setuju', 'tidak_setuju'"),
    (["sop", "render", "pks-pihak-ketiga", "--format", "odt", "-o", "sop.odt"],
     "alur sop render: argumen --format: pilihan 'odt' tidak dikenal; pilih salah satu dari 'bpmn', 'docx', 'html', 'pdf', 'svg'"),
    (["register", "hapus"], "alur register: argumen SUBPERINTAH: pilihan 'hapus' tidak dikenal; pilih salah satu dari 'import', 'template'"),
    (["case", "-v", "5", "list"], "alur case: argumen -v/--verbosity: pilihan 5 tidak dikenal; pilih salah satu dari 0, 1, 2, 3"),
    # a number that is not one
    (["case", "show", "tujuh"], "alur case show: argumen ID: 'tujuh' bukan bilangan bulat"),
    (["task", "claim", "satu", "--as", "karo"], "alur task claim: argumen ID: 'satu' bukan bilangan bulat"),
    (["case", "resubmit", "1.5", "--as", "pengelola"], "alur case resubmit: argumen ID: '1.5' bukan bilangan bulat"),
    (["calendar", "show", "--year", "duaribu"], "alur calendar show: argumen --year: 'duaribu' bukan bilangan bulat"),
    (["calendar", "due", "2026-05-13T15:50", "sejam"], "alur calendar due: argumen MENIT: 'sejam' bukan bilangan bulat"),
]


def ids(cases):
    return [" ".join(args) for args, _ in cases]


@pytest.mark.parametrize("args, message", REFUSALS, ids=ids(REFUSALS))
def test_a_bad_argument_is_refused_in_indonesian_naming_it_and_nothing_changes(
        alur_argv, demo, row_counts, stored_files, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)  # a refused render or template must write no file here
    before = row_counts()

    result = alur_argv(*args)

    assert result.exit_code == 1, result
    lines = result.err.splitlines()
    assert lines[0].startswith(f"penggunaan: alur {args[0]}"), result
    assert lines[-1] == message, result
    assert english_in(result.err) == [], result
    assert result.out == ""
    assert row_counts() == before
    assert stored_files() == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["register", "import", "--json"], "alur register import: argumen wajib belum diberikan: BERKAS"),
    (["task", "claim", "1", "--as", "karo", "--paksa", "--json"], "alur task claim: argumen tidak dikenal: --paksa"),
    (["case", "list", "--status", "selesai", "--json"],
     "alur case list: argumen --status: pilihan 'selesai' tidak dikenal; pilih salah satu dari 'running', 'returned', 'completed', 'cancelled'"),
    (["case", "show", "tujuh", "--json"], "alur case show: argumen ID: 'tujuh' bukan bilangan bulat"),
])
def test_with_json_the_refusal_is_json_with_code_invalid_arguments(alur_argv, demo, row_counts, args, message):
    before = row_counts()

    result = alur_argv(*args)

    assert result.exit_code == 1, result
    assert result.json() == {"ok": False, "code": "invalid_arguments", "error": message}
    assert result.err == ""
    assert row_counts() == before


def test_through_call_command_the_refusal_is_a_command_error_in_indonesian(db):
    with pytest.raises(CommandError, match=r"^Error: argumen ID: 'tujuh' bukan bilangan bulat$"):
        call_command("case", "show", "tujuh")
    with pytest.raises(CommandError, match=r"^Error: argumen wajib belum diberikan: BERKAS$"):
        call_command("register", "import")


# --- --help ---------------------------------------------------------------------------------

def parsers_of_every_alur_command():
    """(name, parser) of each Alur command and each of its subcommands."""
    for name in ALUR_COMMANDS:
        command = load_command_class("alur.cli", name)
        if name in NOT_ALUR_COMMANDS:
            continue
        assert isinstance(command, AlurCommand), name
        parser = command.create_parser("alur", name)
        yield name, parser
        for action in parser._subparsers._group_actions if parser._subparsers else []:
            for sub, subparser in action.choices.items():
                yield f"{name} {sub}", subparser


def test_the_help_of_every_alur_command_and_subcommand_is_indonesian():
    seen = []
    for name, parser in parsers_of_every_alur_command():
        text = parser.format_help()
        seen.append(name)
        assert text.startswith(f"penggunaan: alur {name} "), text
        assert "\nopsi:\n" in text and "tampilkan bantuan ini lalu keluar" in text, text
        assert english_in(text) == [], (name, text)

    assert {"audit verify", "calendar due", "case start", "register import", "sop render", "task complete", "worker"} <= set(seen)


def test_the_commands_left_on_django_s_parser_are_those_known():
    """When demo.py becomes an AlurCommand, drop it from NOT_ALUR_COMMANDS: its help is then checked too."""
    assert {name for name in ALUR_COMMANDS if not isinstance(load_command_class("alur.cli", name), AlurCommand)} == NOT_ALUR_COMMANDS


@pytest.mark.parametrize("args", [["case", "--help"], ["task", "complete", "--help"], ["register", "import", "-h"],
                                  ["help", "calendar"], ["worker", "--help"]], ids=" ".join)
def test_help_through_the_entry_point_has_indonesian_headings(alur_argv, db, args):
    result = alur_argv(*args)

    assert result.exit_code == 0, result
    assert result.out.startswith("penggunaan: alur "), result
    assert "\nopsi:\n" in result.out and "  -h, --help" in result.out
    assert english_in(result.out) == [], result


def test_help_of_a_command_names_django_s_options_in_indonesian(alur_argv, db):
    text = alur_argv("sop", "--help").out

    assert "argumen posisi:\n  SUBPERINTAH\n" in text
    assert "[--settings MODUL]" in text and "[--pythonpath DIREKTORI]" in text
    for help_text in ["tampilkan nomor versi program lalu keluar", "banyaknya keterangan: 0=sedikit",
                      "jangan beri warna pada keluaran perintah"]:
        assert help_text in text


# --- the same as real `alur` processes ---------------------------------------------------------

PROCESS_REFUSALS = [
    (["register", "import"], "alur register import: argumen wajib belum diberikan: BERKAS"),
    (["task", "claim", "1", "--as", "karo", "--paksa"], "alur task claim: argumen tidak dikenal: --paksa"),
    (["task", "complete", "1", "--as", "karo", "--decision", "mungkin"],
     "alur task complete: argumen --decision: pilihan 'mungkin' tidak dikenal; pilih salah satu dari 'setuju', 'tidak_setuju'"),
    (["case", "show", "tujuh"], "alur case show: argumen ID: 'tujuh' bukan bilangan bulat"),
    (["calendar", "show", "--year", "duaribu"], "alur calendar show: argumen --year: 'duaribu' bukan bilangan bulat"),
    (["sop", "render", "pks-pihak-ketiga", "--format", "svg"], "alur sop render: argumen wajib belum diberikan: -o/--output"),
]


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    """A migrated demo site, and what each refused command and two --help printed, run at once."""
    home = tmp_path_factory.mktemp("alur-argumen")
    ok(run_alur(home, "migrate", "--verbosity", "0"))
    ok(run_alur(home, "demo"))
    before = table_counts(home)
    files_before = sorted(home.rglob("*"))
    runs = [args for args, _ in PROCESS_REFUSALS] + [["task", "--help"], ["sop", "render", "--help"]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(map(tuple, runs), pool.map(lambda args: run_alur(home, *args), runs)))
    return {"results": results, "changed": table_counts(home) != before, "files_changed": sorted(home.rglob("*")) != files_before}


@pytest.mark.parametrize("args, message", PROCESS_REFUSALS, ids=ids(PROCESS_REFUSALS))
def test_the_alur_process_refuses_in_indonesian_with_exit_1(processes, args, message):
    result = processes["results"][tuple(args)]

    assert result.exit_code == 1, result
    assert result.err.startswith(f"penggunaan: alur {args[0]} "), result
    assert result.err.splitlines()[-1] == message, result
    assert english_in(result.err) == [] and "Traceback" not in result.err, result
    assert result.out == ""


def test_the_refused_processes_changed_nothing(processes):
    assert processes["changed"] is False
    assert processes["files_changed"] is False


@pytest.mark.parametrize("args", [["task", "--help"], ["sop", "render", "--help"]], ids=" ".join)
def test_the_alur_process_writes_help_in_indonesian(processes, args):
    result = processes["results"][tuple(args)]

    assert result.exit_code == 0, result
    assert result.out.startswith(f"penggunaan: alur {' '.join(args[:-1])} "), result
    assert "\nopsi:\n" in result.out and "tampilkan bantuan ini lalu keluar" in result.out
    assert english_in(result.out) == [], result
