"""`alur calendar show|due`: the working calendar the time standards are measured on."""
from __future__ import annotations

import datetime

from django.utils import timezone

from alur.cli.base import AlurCommand, Refused, table
from alur.cli.parsing import format_dt
from alur.workflow.selectors import minutes_text
from alur.worktime.calendar import WEEKDAY_NAMES, NoWorkingTime
from alur.worktime.selectors import days_off_in, working_calendar


class Command(AlurCommand):
    help = "Menampilkan hari dan jam kerja yang dipakai untuk menghitung waktu baku."

    def add_subcommands(self, parser):
        subs = self.subparsers(parser)
        show = subs.add_parser("show", help="jam kerja per hari dan hari libur setahun")
        show.add_argument("--year", type=int, default=None, metavar="TAHUN", help="tahun (bawaan: tahun ini)")
        due = subs.add_parser("due", help="kapan waktu baku yang dimulai pada suatu saat berakhir")
        due.add_argument("start", metavar="MULAI", help="saat mulai, misalnya 2026-05-13T15:50 (WIB)")
        due.add_argument("minutes", type=int, metavar="MENIT", help="waktu baku dalam menit kerja")
        return {"show": show, "due": due}

    def do_show(self, year, **_):
        year = year or timezone.localdate().year
        if not 1900 <= year <= 2200:
            raise Refused(f"Tahun {year} di luar jangkauan kalender (1900-2200).")
        calendar = working_calendar()
        hours = [{"weekday": WEEKDAY_NAMES[day], "periods": [f"{p.start:%H:%M}-{p.end:%H:%M}" for p in periods],
                  "minutes": sum(p.minutes for p in periods)} for day, periods in calendar.hours.items()]
        days_off = [{"date": day, "name": name, "source": source} for day, name, source in days_off_in(year)]
        text = "\n".join([
            f"Jam kerja ({minutes_text(calendar.weekly_minutes)} seminggu; satu hari kerja = {minutes_text(calendar.workday_minutes)}):",
            table(["Hari", "Jam", "Lama"], [[h["weekday"], ", ".join(h["periods"]) or "libur", minutes_text(h["minutes"]) if h["minutes"] else "-"] for h in hours]),
            "",
            f"Hari libur pada hari kerja tahun {year} ({len(days_off)}):",
            table(["Tanggal", "Keterangan", "Sumber"], [[f"{d['date']:%d-%m-%Y} ({WEEKDAY_NAMES[d['date'].weekday()]})", d["name"], d["source"]] for d in days_off]),
        ])
        self.emit({"ok": True, "year": year, "weekly_minutes": calendar.weekly_minutes, "workday_minutes": calendar.workday_minutes,
                   "hours": hours, "days_off": days_off}, text)

    def do_due(self, start, minutes, **_):
        try:
            moment = datetime.datetime.fromisoformat(start)
        except ValueError:
            raise Refused(f"Saat mulai '{start}' tidak dapat dibaca; tulis seperti 2026-05-13T15:50.") from None
        if moment.tzinfo is None:
            moment = timezone.make_aware(moment)
        if minutes <= 0:
            raise Refused(f"Waktu baku harus lebih dari nol menit (bukan {minutes}).")
        try:
            due = working_calendar().add(moment, minutes)
        except NoWorkingTime as exc:
            raise Refused(f"Tidak dapat dihitung: {exc}.") from None
        self.emit({"ok": True, "start": moment, "minutes": minutes, "due": due},
                  f"Mulai {format_dt(moment)} + {minutes_text(minutes)} kerja = tenggat {format_dt(due)}")
