"""Monitoring an SOP (Permenpan RB 35/2012 asks every unit to monitor and evaluate its SOPs):
how each step performs against its time standard, how often decisions send a draft back, and
where the open cases wait. Figures are working time, from the minutes kept on each done task.

One report is the input of the monitoring page and of the Permenpan monitoring form.
"""
from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from alur.org.models import OrgUnit
from alur.sop import SopDefinition
from alur.sop.model import DECISION_OUTCOMES, Step

from .deadlines import standard_minutes
from .definitions import definition_of
from .models import Case, SopVersion, Task
from .services import newest_version

# The decision that sends a draft back: every decision's outcome off the straight path.
RETURNED = DECISION_OUTCOMES[1]

# The steps highlighted as slowest: at most this many, and only those whose median is over standard.
SLOWEST = 3


@dataclass(frozen=True)
class StepFigures:
    step: Step
    runs: int  # completions of the step in the period
    median_minutes: float | None
    p90_minutes: float | None
    standard_minutes: int
    within_standard: int  # completions that took no longer than the standard

    @property
    def within_share(self) -> float | None:
        return self.within_standard / self.runs if self.runs else None

    @property
    def median_ratio(self) -> float | None:
        """The median against the standard (1.0 = exactly the standard)."""
        if self.median_minutes is None or not self.standard_minutes:
            return None
        return self.median_minutes / self.standard_minutes


@dataclass(frozen=True)
class DecisionFigures:
    step: Step
    decided: int
    returned: int  # decided tidak_setuju

    @property
    def return_rate(self) -> float | None:
        return self.returned / self.decided if self.decided else None


@dataclass(frozen=True)
class MonitoringReport:
    definition: SopDefinition
    start: datetime.date | None
    end: datetime.date | None
    org_unit: OrgUnit | None
    steps: list[StepFigures]
    decisions: list[DecisionFigures]
    open_by_step: list[tuple[Step, int]]
    slowest: frozenset[str] = field(default_factory=frozenset)  # step keys

    @property
    def completions(self) -> int:
        return sum(s.runs for s in self.steps)


def sop_monitoring(*, sop_key: str, start: datetime.date | None = None, end: datetime.date | None = None,
                   org_unit: OrgUnit | None = None) -> MonitoringReport:
    """The report of an SOP for the steps completed from `start` to `end` (dates in the office's
    time zone, both included; None = unbounded), for one OPD's cases or all."""
    definition = definition_of(newest_version(sop_key))
    versions = list(SopVersion.objects.filter(sop__key=sop_key).values_list("pk", flat=True))

    histogram: dict[str, list[tuple[int, int]]] = defaultdict(list)
    decided: dict[str, int] = defaultdict(int)
    returned: dict[str, int] = defaultdict(int)
    for step_key, minutes, count, step_decided, step_returned in _done_histogram(versions, start, end, org_unit):
        histogram[step_key].append((minutes, count))
        decided[step_key] += step_decided
        returned[step_key] += step_returned

    steps = []
    for step in definition.steps:
        counts = sorted(histogram.get(step.key, ()))
        standard = standard_minutes(step)
        steps.append(StepFigures(
            step=step, runs=sum(n for _, n in counts), median_minutes=_percentile(counts, 0.5),
            p90_minutes=_percentile(counts, 0.9), standard_minutes=standard,
            within_standard=sum(n for minutes, n in counts if minutes <= standard),
        ))
    decisions = [DecisionFigures(step=s, decided=decided[s.key], returned=returned[s.key])
                 for s in definition.steps if s.is_decision]

    open_tasks = Task.objects.filter(case__sop_version_id__in=versions, status=Task.Status.OPEN,
                                     case__status=Case.Status.RUNNING)
    if org_unit is not None:
        open_tasks = open_tasks.filter(case__org_unit=org_unit)
    waiting = dict(open_tasks.order_by().values_list("step_key").annotate(n=Count("id")))
    open_by_step = [(s, waiting.get(s.key, 0)) for s in definition.steps]

    over = sorted((s for s in steps if s.median_ratio is not None and s.median_ratio > 1), key=lambda s: -s.median_ratio)
    return MonitoringReport(definition=definition, start=start, end=end, org_unit=org_unit, steps=steps,
                            decisions=decisions, open_by_step=open_by_step,
                            slowest=frozenset(s.step.key for s in over[:SLOWEST]))


def _done_histogram(versions: list[int], start: datetime.date | None, end: datetime.date | None,
                    org_unit: OrgUnit | None) -> list[tuple[str, int, int, int, int]]:
    """(step key, working minutes, how many tasks took exactly that, how many of them were
    decided, how many returned) over the done tasks in scope: one grouped query, the same on
    SQLite and PostgreSQL.

    Working minutes are whole numbers and cluster (a step takes minutes to a few days), so a
    million tasks fold into a few thousand rows, from which the percentiles are exact. This is
    faster than PostgreSQL's percentile_cont: that ordered-set aggregate sorts every step's rows
    and cannot run in parallel, where a grouped count is a parallel hash aggregate (on a million
    done tasks, about 0.7 s against 0.3 s; `make bench` prints the report's figures).
    """
    sql, params = _done_histogram_sql(versions, start, end, org_unit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _done_histogram_sql(versions: list[int], start: datetime.date | None, end: datetime.date | None,
                        org_unit: OrgUnit | None) -> tuple[str, list]:
    # Written by hand for the partial index of done tasks (Task.Meta): a database uses a partial
    # index only when the query states its condition in its text (SQLite never matches a bound
    # parameter against it), which the ORM does not do.
    ops = connection.ops
    where = [f"t.status = '{Task.Status.DONE}'", "t.working_minutes IS NOT NULL",
             f"c.sop_version_id IN ({', '.join(['%s'] * len(versions))})"]
    params: list = [RETURNED, *versions]
    if start is not None:
        where.append("t.completed_at >= %s")
        params.append(ops.adapt_datetimefield_value(_local_midnight(start)))
    if end is not None:
        where.append("t.completed_at < %s")
        params.append(ops.adapt_datetimefield_value(_local_midnight(end + datetime.timedelta(days=1))))
    if org_unit is not None:
        where.append("c.org_unit_id = %s")
        params.append(org_unit.pk)
    sql = (f"SELECT t.step_key, t.working_minutes, COUNT(*),"
           f" SUM(CASE WHEN t.outcome <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN t.outcome = %s THEN 1 ELSE 0 END)"
           f" FROM {Task._meta.db_table} t JOIN {Case._meta.db_table} c ON c.id = t.case_id"
           f" WHERE {' AND '.join(where)}"
           f" GROUP BY t.step_key, t.working_minutes")
    return sql, params


def _percentile(counts: list[tuple[int, int]], share: float) -> float | None:
    """The percentile of values given as sorted (value, how many) pairs, by linear interpolation
    between closest ranks: what PostgreSQL's percentile_cont computes over the values themselves."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    position = (total - 1) * share
    below = math.floor(position)
    low = _value_at(counts, below)
    high = _value_at(counts, min(below + 1, total - 1))
    return low + (high - low) * (position - below)


def _value_at(counts: list[tuple[int, int]], rank: int) -> float:
    """The value at a 0-based rank of the values the pairs stand for."""
    seen = 0
    for value, n in counts:
        seen += n
        if rank < seen:
            return float(value)
    raise IndexError(rank)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())
