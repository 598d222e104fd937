"""Monitoring an SOP (Permenpan RB 35/2012 asks every unit to monitor and evaluate its SOPs):
how each step performs against its time standard, how often decisions send a draft back, and
where the open cases wait. Figures are working time, from the minutes kept on each done task.

Each run of a step is judged by the definition of the SOP version its case ran on (cases pin
their version); a step that a later version renamed (gave another key) or removed keeps its runs
and its waiting cases under the name it had.

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
from .models import Case, Task
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
    standard_minutes: int  # of the version the step is named from (the newest for its own steps)
    within_standard: int  # completions within the standard of the version each one's case ran on
    older_versions: tuple[int, ...] = ()  # for a step the newest version no longer has: the versions that had it

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
    definition: SopDefinition  # the newest version's
    start: datetime.date | None
    end: datetime.date | None
    org_unit: OrgUnit | None
    steps: list[StepFigures]  # the newest version's steps, in its order
    # Steps only older versions have (renamed or removed), as the last version that had them
    # named them, the latest such version's first; listed when they ran in the period or a case
    # waits at one now.
    retired_steps: list[StepFigures]
    decisions: list[DecisionFigures]  # of both, in the same order
    open_by_step: list[tuple[Step, int]]  # of both, in the same order
    roles: dict[str, str]  # role key -> name, as the newest version that has the role names it
    slowest: frozenset[str] = field(default_factory=frozenset)  # step keys

    @property
    def completions(self) -> int:
        return sum(s.runs for s in (*self.steps, *self.retired_steps))


def sop_monitoring(*, sop_key: str, start: datetime.date | None = None, end: datetime.date | None = None,
                   org_unit: OrgUnit | None = None) -> MonitoringReport:
    """The report of an SOP for the steps completed from `start` to `end` (dates in the office's
    time zone, both included; None = unbounded), for one OPD's cases or all."""
    newest = newest_version(sop_key)
    versions = list(newest.sop.versions.order_by("-version"))
    definitions = {v.pk: definition_of(v) for v in versions}
    definition = definitions[newest.pk]
    standards = {(pk, step.key): standard_minutes(step) for pk, d in definitions.items() for step in d.steps}

    histogram: dict[str, list[tuple[int, int]]] = defaultdict(list)
    within: dict[str, int] = defaultdict(int)
    decided: dict[str, int] = defaultdict(int)
    returned: dict[str, int] = defaultdict(int)
    for version_id, step_key, minutes, count, step_decided, step_returned in _done_histogram(
            list(definitions), start, end, org_unit):
        histogram[step_key].append((minutes, count))
        if minutes <= standards[version_id, step_key]:  # the standard the run was held to
            within[step_key] += count
        decided[step_key] += step_decided
        returned[step_key] += step_returned

    open_tasks = Task.objects.filter(case__sop_version_id__in=list(definitions), status=Task.Status.OPEN,
                                     case__status=Case.Status.RUNNING)
    if org_unit is not None:
        open_tasks = open_tasks.filter(case__org_unit=org_unit)
    waiting = dict(open_tasks.order_by().values_list("step_key").annotate(n=Count("id")))

    # A step is the same step in every version that has its key. One the newest lacks (renamed or
    # removed) is named as the last version that had it: the versions go newest first.
    older: dict[str, tuple[Step, list[int]]] = {}
    for version in versions[1:]:
        for step in definitions[version.pk].steps:
            if not definition.is_step(step.key):
                older.setdefault(step.key, (step, []))[1].append(version.version)

    def figures(step: Step, older_versions: tuple[int, ...] = ()) -> StepFigures:
        counts = sorted(histogram.get(step.key, ()))
        return StepFigures(step=step, runs=sum(n for _, n in counts), median_minutes=_percentile(counts, 0.5),
                           p90_minutes=_percentile(counts, 0.9), standard_minutes=standard_minutes(step),
                           within_standard=within[step.key], older_versions=older_versions)

    steps = [figures(step) for step in definition.steps]
    retired_steps = [figures(step, tuple(sorted(numbers))) for key, (step, numbers) in older.items()
                     if key in histogram or key in waiting]
    shown = [s.step for s in (*steps, *retired_steps)]
    # A step decided in the period counts even where the newest version made it a plain step.
    decisions = [DecisionFigures(step=s, decided=decided[s.key], returned=returned[s.key])
                 for s in shown if s.is_decision or decided[s.key]]
    open_by_step = [(s, waiting.get(s.key, 0)) for s in shown]
    roles = {role.key: role.name for d in reversed(definitions.values()) for role in d.roles}

    over = sorted((s for s in (*steps, *retired_steps) if s.median_ratio is not None and s.median_ratio > 1),
                  key=lambda s: -s.median_ratio)
    return MonitoringReport(definition=definition, start=start, end=end, org_unit=org_unit, steps=steps,
                            retired_steps=retired_steps, decisions=decisions, open_by_step=open_by_step, roles=roles,
                            slowest=frozenset(s.step.key for s in over[:SLOWEST]))


def _done_histogram(versions: list[int], start: datetime.date | None, end: datetime.date | None,
                    org_unit: OrgUnit | None) -> list[tuple[int, str, int, int, int, int]]:
    """(SOP version id, step key, working minutes, how many tasks took exactly that, how many of
    them were decided, how many returned) over the done tasks in scope: one grouped query, the
    same on SQLite and PostgreSQL.

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
    sql = (f"SELECT c.sop_version_id, t.step_key, t.working_minutes, COUNT(*),"
           f" SUM(CASE WHEN t.outcome <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN t.outcome = %s THEN 1 ELSE 0 END)"
           f" FROM {Task._meta.db_table} t JOIN {Case._meta.db_table} c ON c.id = t.case_id"
           f" WHERE {' AND '.join(where)}"
           f" GROUP BY c.sop_version_id, t.step_key, t.working_minutes")
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
