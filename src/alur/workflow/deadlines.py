"""A task's deadlines and durations in working time.

A step's time standard (waktu) is working time of the office (SOP-READING.md): its due time is
its start plus the standard along the working calendar, and the time it took is the working
time between its start and its end. Reminder and escalation times are shares and multiples of
the same standard (ALUR_REMIND_AT, ALUR_ESCALATE_AFTER).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from alur.worktime.calendar import WorkingCalendar
from alur.worktime.selectors import working_calendar


@dataclass(frozen=True)
class Deadlines:
    remind_at: datetime.datetime
    due_at: datetime.datetime
    escalate_at: datetime.datetime


def standard_minutes(step, calendar: WorkingCalendar | None = None) -> int:
    """The step's time standard in working minutes (a "hari kerja" is an ordinary working day)."""
    calendar = calendar or working_calendar()
    return calendar.standard_minutes(minutes=step.waktu.minutes, working_days=step.waktu.working_days)


def deadlines_for(step, start: datetime.datetime, calendar: WorkingCalendar | None = None) -> Deadlines:
    calendar = calendar or working_calendar()
    standard = calendar.standard_minutes(minutes=step.waktu.minutes, working_days=step.waktu.working_days)
    remind_at, due_at, escalate_at = calendar.add_each(
        start, (standard * settings.ALUR_REMIND_AT, standard, standard * settings.ALUR_ESCALATE_AFTER))
    return Deadlines(remind_at=remind_at, due_at=due_at, escalate_at=escalate_at)


def working_minutes_between(start: datetime.datetime, end: datetime.datetime | None = None,
                            calendar: WorkingCalendar | None = None) -> float:
    """Working minutes from start to end (now, for a task still open)."""
    return (calendar or working_calendar()).between(start, end or timezone.now())
