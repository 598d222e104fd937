"""A known month of the PKS SOP for the monitoring and evaluation tests: six cases whose steps
took set working minutes on two working days, one of them outside the period."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from alur.org.models import OrgUnit
from alur.workflow.models import Task
from alur.worktime.selectors import working_calendar
from tests.conftest import Walker, backdate


def quiet_monday() -> datetime.date:
    """A Monday at least three weeks back whose Tuesday is a working day too (no holiday)."""
    calendar = working_calendar()
    day = timezone.localdate() - datetime.timedelta(days=21)
    day -= datetime.timedelta(days=day.weekday())
    while not (calendar.is_working_day(day) and calendar.is_working_day(day + datetime.timedelta(days=1))):
        day -= datetime.timedelta(days=7)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


def walk(users, *, opd: str, minutes: list[int], start: datetime.datetime, outcomes: dict[str, str] | None = None) -> Walker:
    """A case whose first len(minutes) steps are done, one after another from `start`, each
    taking the given working minutes (the morning of a working day has 270 of them)."""
    walker = Walker(users, opd=opd, title=f"PKS {opd} {start:%H%M}")
    outcomes = outcomes or {}
    for _ in minutes:
        walker.step(outcomes.get(walker.open_task.step_key, "setuju" if walker.open_task.step_key in DECISIONS else None))
    done = Task.objects.filter(case=walker.case, status=Task.Status.DONE).order_by("id")
    moment = start
    for task, taken in zip(done, minutes):
        end = moment + datetime.timedelta(minutes=taken)
        backdate(task, moment, end)
        moment = end
    return walker


DECISIONS = {"periksa_karo", "bahas_tkksd", "keputusan_gubernur"}


@dataclass
class Dataset:
    monday: datetime.date
    cases: list[Walker]

    @property
    def start(self) -> datetime.date:
        return self.monday

    @property
    def end(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=1)


@pytest.fixture
def dataset(users) -> Dataset:
    """In the period (a Monday and Tuesday):
    step 1 (standard 5 min): 2, 3, 4, 5, 9 minutes -> 4 of 5 within (80 %), median 4, p90 7.4
    step 2 (30 min): 40, 45, 20 -> 1 of 3 within, median 40 (over the standard)
    step 3 (15 min): 10, 12, 30 -> 2 of 3 within, median 12 (within; the tail is late)
    steps 4-6: two runs each, within; step 7 (Karo's decision): two runs within, one returned
    Waiting now: step 2 (cases 4, 5, 6), step 4 (case 3), step 8 (case 1), step 15 (case 2, returned).
    Outside the period: case 6's step 1, two weeks earlier (20 minutes).
    Case 5 is the only one of the DKP."""
    monday = quiet_monday()
    tuesday = monday + datetime.timedelta(days=1)
    cases = [
        walk(users, opd="dispar", minutes=[2, 40, 10, 50, 10, 10, 10], start=at(monday, 8)),
        walk(users, opd="dispar", minutes=[3, 45, 12, 55, 12, 14, 15], start=at(monday, 13),
             outcomes={"periksa_karo": "tidak_setuju"}),
        walk(users, opd="dispar", minutes=[4, 20, 30], start=at(tuesday, 8)),
        walk(users, opd="dispar", minutes=[5], start=at(tuesday, 10)),
        walk(users, opd="dkp", minutes=[9], start=at(tuesday, 13)),
        walk(users, opd="dispar", minutes=[20], start=at(monday - datetime.timedelta(days=14), 8)),
    ]
    return Dataset(monday=monday, cases=cases)


@pytest.fixture
def dkp(db) -> OrgUnit:
    return OrgUnit.objects.get(code="dkp")
