"""Helpers for the `alur` command tests: run a command and see what it printed and how it exited,
count every table's rows (a refusal must change nothing), and write small files to attach."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections


@dataclass(frozen=True)
class Result:
    """What one `alur ...` run left behind: its exit status and its two output streams."""

    exit_code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)

    def __str__(self) -> str:  # shown by pytest when an assertion on a result fails
        return f"exit {self.exit_code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    return exc.code if isinstance(exc.code, int) else 1


@pytest.fixture
def alur():
    """Run `alur <command> <args...>` in-process through call_command, as the operator types it."""

    def run(*args: str) -> Result:
        out, err = StringIO(), StringIO()
        try:
            call_command(*[str(a) for a in args], stdout=out, stderr=err)
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc)
        return Result(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def alur_argv(capsys, monkeypatch):
    """Run the console script's entry point in-process with a real argv.

    Unlike call_command this goes through argparse as the shell does, so it shows the exit status
    an argument the parser itself rejects gives."""
    from alur.__main__ import main

    # run_from_argv closes the connections when it ends, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["alur", *[str(a) for a in args]])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def row_counts(db):
    """The number of rows of every table, to show that a refused command added nothing."""

    def count() -> dict[str, int]:
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    return count


@pytest.fixture
def attach(tmp_path):
    """`attach("notulen")` writes a small file and returns the `KIND=PATH` of --attach."""
    folder = tmp_path / "berkas"
    folder.mkdir()

    def make(kind: str, name: str | None = None, content: bytes | None = None) -> str:
        path = folder / (name or f"{kind}.pdf")
        path.write_bytes(content if content is not None else f"%PDF-1.4 {kind}".encode())
        return f"{kind}={path}"

    return make


@pytest.fixture
def stored_files(settings):
    """The files under MEDIA_ROOT (where the engine keeps documents)."""

    def files() -> list[Path]:
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return files
