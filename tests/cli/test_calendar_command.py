"""`alur calendar`: the working hours and days off the time standards are measured on."""
from __future__ import annotations

import datetime

import pytest

from alur.worktime.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_show_lists_the_working_hours_of_each_weekday(alur):
    result = alur("calendar", "show", "--year", "2026")

    assert result.exit_code == 0, result
    assert "37 jam 30 menit seminggu" in result.out
    assert "Jumat   07:30-11:30, 13:00-16:30" in result.out
    assert "Sabtu   libur" in result.out


def test_show_lists_national_holidays_and_cuti_bersama_on_working_days(alur):
    data = alur("calendar", "show", "--year", "2026", "--json").json()

    days = {d["date"]: (d["name"], d["source"]) for d in data["days_off"]}
    assert days["2026-08-17"] == ("Hari Kemerdekaan Republik Indonesia", "libur nasional")
    assert days["2026-12-24"][1] == "cuti bersama"
    assert "2026-03-21" not in days  # Idulfitri 2026 falls on a Saturday: no working day lost


def test_show_includes_the_offices_own_days_off_and_drops_moved_holidays(alur):
    CalendarDay.objects.create(date=datetime.date(2026, 2, 9), kind=CalendarDay.Kind.LIBUR, name="Libur daerah")
    CalendarDay.objects.create(date=datetime.date(2026, 8, 17), kind=CalendarDay.Kind.MASUK, name="Dipindah")

    days = {d["date"]: d for d in alur("calendar", "show", "--year", "2026", "--json").json()["days_off"]}

    assert days["2026-02-09"]["source"] == "tabel hari khusus"
    assert "2026-08-17" not in days


def test_due_computes_a_due_time_across_a_long_weekend(alur):
    result = alur("calendar", "due", "2026-05-13T15:50", "180")

    assert result.exit_code == 0, result
    assert result.out.strip() == "Mulai 13-05-2026 15:50 + 3 jam kerja = tenggat 18-05-2026 10:20"


def test_due_refuses_an_unreadable_start(alur):
    result = alur("calendar", "due", "kemarin", "5")

    assert result.exit_code == 1
    assert "Saat mulai 'kemarin' tidak dapat dibaca" in result.err


def test_due_refuses_a_standard_of_zero(alur):
    result = alur("calendar", "due", "2026-05-13T15:50", "0")

    assert result.exit_code == 1
    assert "lebih dari nol menit" in result.err


def test_show_refuses_a_year_out_of_range(alur):
    result = alur("calendar", "show", "--year", "20260")

    assert result.exit_code == 1
    assert "Tahun 20260 di luar jangkauan" in result.err
