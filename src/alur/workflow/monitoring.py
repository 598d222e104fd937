"""Monitoring an SOP (Permenpan RB 35/2012 asks every unit to monitor and evaluate its SOPs):
how each step performs against its time standard, how often decisions send a draft back, and
where the open cases wait. Figures are working time, from the minutes kept on each done task.

One report is the input of the monitoring page and of the Permenpan monitoring form.
"""
from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from alur.org.models import OrgUnit
from alur.sop import SopDefinition
from alur.sop.model import Step

from .deadlines import standard_minutes
from .definitions import definition_of
from .models import Case, Task
from .services import newest_version

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
    done = Task.objects.filter(case__sop_version__sop__key=sop_key, status=Task.Status.DONE,
                               working_minutes__isnull=False)
    if start is not None:
        done = done.filter(completed_at__gte=_local_midnight(start))
    if end is not None:
        done = done.filter(completed_at__lt=_local_midnight(end + datetime.timedelta(days=1)))
    if org_unit is not None:
        done = done.filter(case__org_unit=org_unit)

    minutes_by_step: dict[str, list[int]] = defaultdict(list)
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for step_key, minutes, outcome in done.values_list("step_key", "working_minutes", "outcome").iterator(chunk_size=5000):
        minutes_by_step[step_key].append(minutes)
        if outcome:
            outcomes[step_key][outcome] += 1

    steps = []
    for step in definition.steps:
        taken = sorted(minutes_by_step.get(step.key, ()))
        standard = standard_minutes(step)
        steps.append(StepFigures(
            step=step, runs=len(taken), median_minutes=statistics.median(taken) if taken else None,
            p90_minutes=_percentile(taken, 0.9), standard_minutes=standard,
            within_standard=sum(1 for m in taken if m <= standard),
        ))
    decisions = [DecisionFigures(step=s, decided=sum(outcomes[s.key].values()), returned=outcomes[s.key].get("tidak_setuju", 0))
                 for s in definition.steps if s.is_decision]

    open_tasks = Task.objects.filter(case__sop_version__sop__key=sop_key, status=Task.Status.OPEN,
                                     case__status=Case.Status.RUNNING)
    if org_unit is not None:
        open_tasks = open_tasks.filter(case__org_unit=org_unit)
    waiting = defaultdict(int)
    for step_key in open_tasks.values_list("step_key", flat=True):
        waiting[step_key] += 1
    open_by_step = [(s, waiting.get(s.key, 0)) for s in definition.steps]

    over = sorted((s for s in steps if s.median_ratio is not None and s.median_ratio > 1), key=lambda s: -s.median_ratio)
    return MonitoringReport(definition=definition, start=start, end=end, org_unit=org_unit, steps=steps,
                            decisions=decisions, open_by_step=open_by_step,
                            slowest=frozenset(s.step.key for s in over[:SLOWEST]))


def _percentile(ordered: list[int], share: float) -> float | None:
    """Linear interpolation between closest ranks (what PostgreSQL's percentile_cont computes)."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_default_timezone())
