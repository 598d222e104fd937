"""`alur worker [--interval SECONDS] [--once]`: the background worker `make run` starts next to
the web server.

Each pass sweeps the open tasks (workflow/sweep.py: reminders, overdue notices, escalations), then
the register's agreements nearing their end (agreements/expiry.py: 90, 60, 30, 7 and 0 days), then
makes the rekapitulasi XLSX files too long for a request (agreements/exports.py), and then empties
the e-mail outbox (notifications/services.py). All it knows is in the database, so it may be
stopped at any moment and started again, and two may run at once: every notice, every file and
every e-mail is claimed by a conditional UPDATE before it is made or goes out. `--once` runs one
pass and exits (for cron and tests). SIGTERM or Ctrl-C ends the loop after the pass under way.
"""
from __future__ import annotations

import json
import logging
import signal
import threading

from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, connections
from django.db.utils import OperationalError, ProgrammingError
from django.utils import timezone

from alur.agreements.expiry import ExpiryReport, sweep_expiring
from alur.agreements.exports import KEPT_FOR, ExportReport, build_requested_xlsx
from alur.cli.base import AlurCommand, Refused
from alur.notifications.services import OutboxReport, send_pending_emails
from alur.workflow.sweep import SweepReport, sweep_open_tasks

log = logging.getLogger(__name__)


class Command(AlurCommand):
    help = ("Pekerja latar: pengingat, pemberitahuan terlambat dan eskalasi tugas, masa berlaku perjanjian, berkas XLSX "
            "rekapitulasi yang panjang, lalu pengiriman surel.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", default="60", metavar="DETIK",
                            help="jeda antarputaran dalam detik (bawaan 60)")
        parser.add_argument("--once", action="store_true", help="jalankan satu putaran lalu berhenti (untuk cron dan uji)")
        parser.add_argument("--json", action="store_true", help="cetak hasil tiap putaran sebagai JSON")

    def handle(self, *args, **options):
        # The command has no subcommands; the base class's refusals (one line, exit 1) still apply.
        options["subcommand"] = "run"
        super().handle(*args, **options)

    def do_run(self, interval: str, once: bool, **_):
        seconds = _seconds(interval)
        if once:
            sweep, expiry, exports, outbox = _one_pass()
            self.emit(_as_data(sweep, expiry, exports, outbox), "\n".join(_lines(sweep, expiry, exports, outbox)) or
                      "Tidak ada pemberitahuan yang jatuh waktu dan tidak ada surel yang menunggu.")
            return
        self._loop(seconds)

    def _loop(self, seconds: int) -> None:
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()  # the pass under way finishes; no notice is left half written

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        self._say(f"Pekerja Alur berjalan: putaran setiap {seconds} detik. Hentikan dengan Ctrl-C.")
        try:
            while not stop.is_set():
                # A long-running process drops connections the database closed or that outlived
                # their age, as Django does around each request.
                close_old_connections()
                try:
                    sweep, expiry, exports, outbox = _one_pass()
                except (OperationalError, ProgrammingError) as exc:
                    if "no such table" in str(exc) or "does not exist" in str(exc):
                        raise  # not migrated: the base class says so and exits 1
                    self.stderr.write(f"{_stamp()} Putaran gagal ({exc}); dicoba lagi dalam {seconds} detik.".replace("\n", " "))
                    connections.close_all()
                except Exception as exc:  # a worker that dies sends nothing more: report and go on
                    log.exception("worker pass failed")
                    self.stderr.write(f"{_stamp()} Putaran gagal: {type(exc).__name__}: {exc}".replace("\n", " "))
                else:
                    if self.as_json:
                        if sweep.notices or expiry.notices or exports.anything or outbox.anything or outbox.errors:
                            self.stdout.write(json.dumps(_as_data(sweep, expiry, exports, outbox), ensure_ascii=False,
                                                         cls=DjangoJSONEncoder))
                    else:
                        for line in _lines(sweep, expiry, exports, outbox):
                            self.stdout.write(f"{_stamp()} {line}")
                stop.wait(seconds)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            connections.close_all()
        self._say("Pekerja Alur berhenti.")

    def _say(self, text: str) -> None:
        if self.as_json:
            return
        self.stdout.write(f"{_stamp()} {text}")
        self.stdout.flush()


def _seconds(raw: str) -> int:
    try:
        seconds = int(str(raw).strip())
    except ValueError:
        raise Refused(f"--interval '{raw}' bukan bilangan bulat detik; tulis misalnya --interval 60.") from None
    if seconds < 1:
        raise Refused(f"--interval {seconds}: jeda paling sedikit 1 detik.")
    return seconds


def _one_pass() -> tuple[SweepReport, ExpiryReport, ExportReport, OutboxReport]:
    # The files before the outbox: the notice that one is ready is mailed in the same pass.
    return sweep_open_tasks(), sweep_expiring(), build_requested_xlsx(), send_pending_emails()


def _lines(sweep: SweepReport, expiry: ExpiryReport, exports: ExportReport, outbox: OutboxReport) -> list[str]:
    lines = [notice.line() for notice in sweep.notices] + [notice.line() for notice in expiry.notices]
    if exports.anything:
        parts = [f"{len(exports.ready)} siap"]
        if exports.failed:
            parts.append(f"{len(exports.failed)} gagal")
        if exports.requeued:
            parts.append(f"{len(exports.requeued)} dijadwalkan ulang (pembuatan sebelumnya terhenti)")
        if exports.removed:
            parts.append(f"{exports.removed} dihapus (lebih dari {KEPT_FOR.days} hari)")
        lines.append("Berkas XLSX rekapitulasi: " + ", ".join(parts) + ".")
    if outbox.anything:
        parts = [f"{len(outbox.sent)} terkirim"]
        if outbox.retrying:
            parts.append(f"{len(outbox.retrying)} ditolak, dicoba lagi nanti")
        if outbox.failed:
            parts.append(f"{len(outbox.failed)} gagal setelah batas percobaan")
        if outbox.requeued:
            parts.append(f"{len(outbox.requeued)} dijadwalkan ulang (pengiriman sebelumnya terhenti)")
        lines.append("Surel: " + ", ".join(parts) + ".")
    lines += [f"Surel: {error}" for error in outbox.errors]
    return lines


def _as_data(sweep: SweepReport, expiry: ExpiryReport, exports: ExportReport, outbox: OutboxReport) -> dict:
    return {"ok": True, "sweep": sweep.as_dict(), "expiry": expiry.as_dict(), "exports": exports.as_dict(),
            "email": outbox.as_dict()}


def _stamp() -> str:
    return timezone.localtime().strftime("[%d-%m-%Y %H:%M:%S]")
