"""Working time: the office's hours per weekday, minus its days off.

Pure Python (no Django), so the arithmetic is tested on its own. An SOP's time standards are
working time: "3 jam" that start at 15:00 on a Friday end at 09:30 on Monday under the default
hours, and a step that took from Friday 15:50 to Monday 08:00 took 40 working minutes.

`WorkingCalendar.add` walks forward through working periods; `WorkingCalendar.between` sums the
overlap of a span with them. Both look at each day once, so a span of a few weeks costs a few
dozen small steps.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# The province's civil-service hours, 37.5 a week: Monday to Thursday 07:30-16:00 with a break
# 12:00-13:00, Friday 07:30-16:30 with the longer Friday-prayer break 11:30-13:00.
DEFAULT_HOURS: dict[int, tuple[tuple[datetime.time, datetime.time], ...]] = {
    weekday: ((datetime.time(7, 30), datetime.time(12, 0)), (datetime.time(13, 0), datetime.time(16, 0)))
    for weekday in range(4)
}
DEFAULT_HOURS[4] = ((datetime.time(7, 30), datetime.time(11, 30)), (datetime.time(13, 0), datetime.time(16, 30)))

# How far `add` looks for working time before deciding there is none (a calendar with no hours).
_MAX_DAYS = 3 * 366
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICROSECOND = datetime.timedelta(microseconds=1)
_PER_MINUTE = 60_000_000
_DAY = datetime.timedelta(days=1)


def _microseconds(moment: datetime.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _moment(microseconds: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(microseconds=microseconds)


class NoWorkingTime(ValueError):
    """The calendar has no working hours at all within reach."""


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.time
    end: datetime.time

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


class WorkingCalendar:
    """Working hours per weekday (0 = Monday) in one time zone, and a rule for days off."""

    def __init__(self, hours: Mapping[int, Sequence[tuple[datetime.time, datetime.time]]], *,
                 is_day_off: Callable[[datetime.date], bool] = lambda day: False,
                 tz: datetime.tzinfo = ZoneInfo("Asia/Jakarta")) -> None:
        self.tz = tz
        self.hours = {weekday: tuple(sorted(Period(*p) for p in hours.get(weekday, ()))) for weekday in range(7)}
        for weekday, periods in self.hours.items():
            for period in periods:
                if period.minutes <= 0:
                    raise ValueError(f"{WEEKDAY_NAMES[weekday]}: jam {period.start:%H:%M}-{period.end:%H:%M} tidak berurutan")
            for before, after in zip(periods, periods[1:]):
                if after.start < before.end:
                    raise ValueError(f"{WEEKDAY_NAMES[weekday]}: jam {before.start:%H:%M}-{before.end:%H:%M} dan "
                                     f"{after.start:%H:%M}-{after.end:%H:%M} bertumpang tindih")
        self._is_day_off = is_day_off
        self.weekly_minutes = sum(p.minutes for periods in self.hours.values() for p in periods)
        days = [sum(p.minutes for p in periods) for periods in self.hours.values() if periods]
        # The length of an ordinary working day: what one "hari kerja" of a time standard is worth.
        self.workday_minutes = round(sum(days) / len(days)) if days else 0
        # A date's periods as microseconds since the epoch, computed once per date: the engine asks
        # for deadlines on every step, and integer arithmetic is exact and cheap.
        self.periods_on = lru_cache(maxsize=4096)(self._periods_on)

    def is_working_day(self, day: datetime.date) -> bool:
        return bool(self.hours[day.weekday()]) and not self._is_day_off(day)

    def _periods_on(self, day: datetime.date) -> tuple[tuple[int, int], ...]:
        if not self.is_working_day(day):
            return ()
        return tuple((_microseconds(datetime.datetime.combine(day, p.start, self.tz)),
                      _microseconds(datetime.datetime.combine(day, p.end, self.tz)))
                     for p in self.hours[day.weekday()])

    def add(self, start: datetime.datetime, minutes: float) -> datetime.datetime:
        """The moment `minutes` of working time after `start`. Zero minutes from outside working
        hours is the start itself: nothing is due before it arrives."""
        return self.add_each(start, (minutes,))[0]

    def add_each(self, start: datetime.datetime, minutes: Sequence[float]) -> list[datetime.datetime]:
        """`add` for several amounts from one start, in one walk (a task's reminder, due and
        escalation times)."""
        targets = sorted((round(m * _PER_MINUTE), i) for i, m in enumerate(minutes))
        results = [start] * len(targets)
        pending = [(amount, i) for amount, i in targets if amount > 0]
        if not pending:
            return results
        position, worked, k = _microseconds(start), 0, 0
        day = start.astimezone(self.tz).date()
        for _ in range(_MAX_DAYS):
            for begins, ends in self.periods_on(day):
                if ends <= position:
                    continue
                begins = max(begins, position)
                while k < len(pending) and pending[k][0] - worked <= ends - begins:
                    amount, i = pending[k]
                    results[i] = _moment(begins + amount - worked)
                    k += 1
                if k == len(pending):
                    return results
                worked += ends - begins
            day += _DAY
        raise NoWorkingTime(f"tidak ada jam kerja dalam {_MAX_DAYS} hari setelah {start.astimezone(self.tz):%d-%m-%Y}")

    def between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """Working minutes from `start` to `end` (0 when end is not after start)."""
        first, last = _microseconds(start), _microseconds(end)
        if last <= first:
            return 0.0
        total = 0
        day, last_day = start.astimezone(self.tz).date(), end.astimezone(self.tz).date()
        while day <= last_day:
            for begins, ends in self.periods_on(day):
                overlap = min(ends, last) - max(begins, first)
                if overlap > 0:
                    total += overlap
            day += _DAY
        return total / _PER_MINUTE

    def standard_minutes(self, *, minutes: int = 0, working_days: int = 0) -> int:
        """A time standard in working minutes: "2 hari kerja" is two ordinary working days."""
        return minutes + working_days * self.workday_minutes
