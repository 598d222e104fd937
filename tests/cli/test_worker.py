"""`alur worker`: one pass with --once (the sweep, then the e-mail outbox through a real SMTP
server), refusals of bad arguments, and the loop started as `make run` starts it, stopped by
SIGTERM or Ctrl-C."""
from __future__ import annotations

import datetime
import os
import signal
import subprocess
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from alur.notifications.models import Notification
from alur.workflow.models import Task
from tests.cli.test_console_script import ALUR
from tests.conftest import backdate
from tests.mailserver import smtp_server  # noqa: F401 (fixture)

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MONDAY_0900 = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=WIB)


@pytest.fixture
def late_task(walker) -> Task:
    """Step 2, the Kabag's, opened long ago: overdue and past its escalation."""
    walker.steps(1)
    return backdate(walker.open_task, MONDAY_0900)


def test_once_sends_the_notices_that_are_due_and_prints_one_line_each(alur, late_task):
    result = alur("worker", "--once")

    assert result.exit_code == 0, result
    where = f"tugas #{late_task.pk} (perkara #{late_task.case_id}, langkah 2)"
    assert result.out.splitlines() == [
        f"Pengingat {where} tidak dikirim: tugas sudah terlambat, diganti pemberitahuan terlambat.",
        f"Pemberitahuan terlambat {where} dikirim kepada kabag.",
        f"Eskalasi {where} dikirim kepada karo.",
    ]


def test_once_emails_the_notices_through_smtp(alur, users, late_task, smtp_server):
    get_user_model().objects.filter(username="karo").update(email="karo@babelprov.go.id")

    result = alur("worker", "--once")

    assert result.exit_code == 0, result
    (mail,) = smtp_server.delivered  # the Kabag has no address: in the app only
    assert mail.rcpt_tos == ("karo@babelprov.go.id",)
    assert mail.subject.startswith("[Alur] Eskalasi: langkah 2 perkara #")
    assert result.out.splitlines()[-1] == "Surel: 1 terkirim."


def test_once_run_again_sends_nothing_more(alur, late_task):
    alur("worker", "--once")

    result = alur("worker", "--once")

    assert result.out.strip() == "Tidak ada pemberitahuan yang jatuh waktu dan tidak ada surel yang menunggu."
    assert Notification.objects.count() == 2


def test_once_json_gives_the_notices_and_the_outbox(alur, late_task):
    data = alur("worker", "--once", "--json").json()

    assert data["ok"] is True
    assert (data["sweep"]["reminders"], data["sweep"]["overdue"], data["sweep"]["escalations"]) == (0, 1, 1)
    assert [(n["kind"], n["recipients"]) for n in data["sweep"]["notices"]] == [
        ("reminder", []), ("overdue", ["kabag"]), ("escalation", ["karo"])]
    assert data["email"]["sent"] == []


@pytest.mark.parametrize("value, message", [
    ("sebentar", "--interval 'sebentar' bukan bilangan bulat detik; tulis misalnya --interval 60."),
    ("0", "--interval 0: jeda paling sedikit 1 detik."),
])
def test_a_bad_interval_is_refused_in_one_line(alur_argv, db, value, message):
    result = alur_argv("worker", "--interval", value)

    assert result.exit_code == 1
    assert result.err.strip() == message
    assert result.out == ""


def test_an_unknown_option_exits_1_without_a_traceback(alur_argv, db):
    result = alur_argv("worker", "--sekali")

    assert result.exit_code == 1
    assert "alur worker: argumen tidak dikenal: --sekali" in result.err and "Traceback" not in result.err


# --- the loop, in a process of its own ------------------------------------------------------

def _start_worker(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "ALUR_DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}", "ALUR_VAR_DIR": str(home),
           "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([*ALUR, "worker", *args], cwd=home, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("alur-worker")
    env = {**os.environ, "ALUR_DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}", "ALUR_VAR_DIR": str(home)}
    subprocess.run([*ALUR, "migrate", "--verbosity", "0"], cwd=home, env=env, check=True, timeout=120)
    return home


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_loop_runs_until_it_is_told_to_stop_and_exits_cleanly(migrated, stop_with):
    worker = _start_worker(migrated, "--interval", "1")
    try:
        first = worker.stdout.readline()
        assert "Pekerja Alur berjalan: putaran setiap 1 detik." in first
        worker.send_signal(stop_with)
        out, err = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    assert out.strip().endswith("Pekerja Alur berhenti.")
    assert "Traceback" not in err


def test_the_loop_on_a_database_not_yet_migrated_says_to_migrate_first(tmp_path):
    worker = _start_worker(tmp_path, "--interval", "1")
    out, err = worker.communicate(timeout=60)

    assert worker.returncode == 1
    assert err.strip() == "Basis data belum disiapkan untuk Alur; jalankan dahulu: alur migrate"
