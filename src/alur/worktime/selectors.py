"""The calendar in force, built from the tables and the `holidays` package, cached per process.

Building it reads two small tables; every task's due time and every duration shown needs it, so
a process keeps it for CACHE_SECONDS. A change through the admin clears this process's copy at
once (the model's save signals, worktime/apps.py); other processes (the worker, other web workers)
see it within a minute, and the engine recomputes the due times of open tasks on the same save
(workflow/apps.py).
"""
from __future__ import annotations

import datetime
import time
from functools import lru_cache

import holidays
from django.conf import settings
from zoneinfo import ZoneInfo

from .calendar import DEFAULT_HOURS, WorkingCalendar

CACHE_SECONDS = 60

_cached: tuple[float, WorkingCalendar] | None = None


def working_calendar() -> WorkingCalendar:
    global _cached
    now = time.monotonic()
    if _cached is None or now - _cached[0] > CACHE_SECONDS:
        _cached = (now, build_calendar())
    return _cached[1]


def forget_calendar() -> None:
    global _cached
    _cached = None


def build_calendar() -> WorkingCalendar:
    from .models import CalendarDay, WorkingPeriod

    hours: dict[int, list] = {}
    for period in WorkingPeriod.objects.all():
        hours.setdefault(period.weekday, []).append((period.starts, period.ends))
    if not hours:
        # An empty table is a mistake, not an office that never works: keep to the default hours
        # rather than refuse every step's due time.
        hours = DEFAULT_HOURS
    overrides = dict(CalendarDay.objects.values_list("date", "kind"))
    national = national_days_off()

    def is_day_off(day: datetime.date) -> bool:
        kind = overrides.get(day)
        if kind is not None:
            return kind == "libur"
        return day in national

    return WorkingCalendar(hours, is_day_off=is_day_off, tz=ZoneInfo(settings.TIME_ZONE))


@lru_cache(maxsize=1)
def national_days_off() -> holidays.HolidayBase:
    """Indonesia's national holidays (public) and cuti bersama (government), named in Indonesian.
    The package computes a year when a date of it is first asked for."""
    return holidays.country_holidays("ID", categories=("public", "government"), language="id")


@lru_cache(maxsize=1)
def cuti_bersama() -> holidays.HolidayBase:
    return holidays.country_holidays("ID", categories=("government",), language="id")


def days_off_in(year: int) -> list[tuple[datetime.date, str, str]]:
    """Every day off of a year that falls on a working weekday: (date, name, where it comes from)."""
    from .models import CalendarDay

    calendar = working_calendar()
    national = national_days_off()
    national.get(datetime.date(year, 1, 1))  # make the package compute the year
    overrides = {day.date: day for day in CalendarDay.objects.filter(date__year=year)}
    rows = []
    day = datetime.date(year, 1, 1)
    while day.year == year:
        if calendar.hours[day.weekday()]:
            override = overrides.get(day)
            if override is not None and override.kind == CalendarDay.Kind.LIBUR:
                rows.append((day, override.name, "tabel hari khusus"))
            elif override is None and day in national:
                rows.append((day, national.get(day), "cuti bersama" if day in cuti_bersama() else "libur nasional"))
        day += datetime.timedelta(days=1)
    return rows
