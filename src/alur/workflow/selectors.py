"""Reads the pages and the CLI need, tuned in one place."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from alur.org.models import RoleAssignment
from alur.org.selectors import roles_held
from alur.sop import SopDefinition
from alur.sop.model import OUTCOME_LABELS, Role, Step

from .audit import display_name
from .deadlines import deadlines_for, standard_minutes, working_minutes_between
from .definitions import definition_of
from .models import Case, Document, SopVersion, Task


def open_tasks_for(user):
    """Open tasks of every role the user holds (in its unit, for unit-scoped roles), oldest first."""
    held = roles_held(user)
    if not held:
        return Task.objects.none()
    match = Q()
    for role_key, unit_id in held:
        match |= Q(role_key=role_key, org_unit__isnull=True) | Q(role_key=role_key, org_unit_id=unit_id)
    # A claim lapses when its holder can no longer act (deactivated, or the role has ended):
    # such a task is everyone's again, as the engine lets any role holder take it over.
    holder_role = RoleAssignment.objects.valid_on(timezone.localdate()).filter(user=OuterRef("assignee"), role_id=OuterRef("role_key"))
    claim_lapsed = (
        Q(assignee__is_active=False)
        | Q(org_unit__isnull=True) & ~Exists(holder_role)
        | Q(org_unit__isnull=False) & ~Exists(holder_role.filter(org_unit_id=OuterRef("org_unit_id")))
    )
    return (
        Task.objects.filter(match, status=Task.Status.OPEN)
        .filter(Q(assignee__isnull=True) | Q(assignee=user) | claim_lapsed)
        .select_related("case__sop_version", "case__org_unit", "assignee")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class WaitingTask:
    """An open task as Tugas saya, `alur task list` and the case page show it: its step and role,
    when it is due, and how long it has waited (working time, and calendar time beside it)."""

    task: Task
    step: Step
    role: Role
    due: datetime.datetime
    waited_minutes: float  # working time
    waited_span: datetime.timedelta  # calendar time
    overdue: bool

    @property
    def waited(self) -> str:
        return minutes_text(self.waited_minutes)

    @property
    def waited_calendar(self) -> str:
        return span_text(self.waited_span)


def _waiting(tasks, now: datetime.datetime | None) -> list[WaitingTask]:
    now = now or timezone.now()
    rows = []
    for task in tasks:
        definition = definition_of(task.case.sop_version)
        step = definition.step(task.step_key)
        due = due_at(task)
        rows.append(WaitingTask(task=task, step=step, role=definition.role(step.actor), due=due,
                                waited_minutes=working_minutes_between(task.created_at, now),
                                waited_span=now - task.created_at, overdue=due < now))
    return rows


def inbox_for(user, *, related: tuple[str, ...] = (), now: datetime.datetime | None = None) -> list[WaitingTask]:
    """Tugas saya: the open tasks of every role the user holds (open_tasks_for), the soonest due
    first. `related`: further relations to load with each task, for what a caller shows beside
    it (the web: the agreement a case carries, which the engine does not know)."""
    tasks = open_tasks_for(user)
    if related:  # select_related() with no names would follow every relation
        tasks = tasks.select_related(*related)
    return sorted(_waiting(tasks, now), key=lambda row: row.due)


def waiting_tasks_of(case: Case, *, now: datetime.datetime | None = None) -> list[WaitingTask]:
    """The case's open tasks (more than one where the SOP runs steps side by side), in the order
    they opened."""
    return _waiting(open_tasks_of(case).select_related("assignee", "org_unit"), now)


def open_tasks_of(case: Case):
    return case.tasks.filter(status=Task.Status.OPEN).order_by("id")


@dataclass(frozen=True)
class TimelineEntry:
    task: Task
    number: int
    step_name: str
    role_name: str
    standard: str
    standard_minutes: int
    actor_name: str
    actor_username: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    outcome: str
    note: str
    recorded: tuple[tuple[str, str], ...] = ()  # (label, value as shown) of the step's record fields

    @property
    def elapsed(self) -> datetime.timedelta:
        """Calendar time from start to end (or now)."""
        return (self.ended_at or timezone.now()) - self.started_at

    @cached_property
    def working_minutes(self) -> float:
        """Working time the step took (or has taken so far): what its standard is measured against."""
        if self.ended_at is not None and self.task.working_minutes is not None:
            return self.task.working_minutes
        return working_minutes_between(self.started_at, self.ended_at)

    @property
    def elapsed_text(self) -> str:
        return minutes_text(self.working_minutes)

    @property
    def calendar_text(self) -> str:
        return span_text(self.elapsed)

    @property
    def late(self) -> bool:
        return self.working_minutes > self.standard_minutes > 0

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "")


def minutes_text(minutes: float) -> str:
    """A duration as people say it: '45 menit', '2 jam', '3 jam 5 menit'."""
    minutes = int(round(minutes))
    if minutes < 60:
        return f"{minutes} menit"
    hours, rest = divmod(minutes, 60)
    return f"{hours} jam {rest} menit" if rest else f"{hours} jam"


def span_text(span: datetime.timedelta) -> str:
    """Calendar time, shown beside working time: '3 hari 2 jam', '40 menit'."""
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    if not days:
        return minutes_text(rest)
    hours = rest // 60
    return f"{days} hari {hours} jam" if hours else f"{days} hari"


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Every step the case has taken, in every round, with who acted and the time standard."""
    definition = definition_of(case.sop_version)
    entries = []
    for task in case.tasks.select_related("completed_by", "assignee").order_by("id"):
        step = definition.step(task.step_key)
        actor = task.completed_by or task.assignee
        entries.append(TimelineEntry(
            task=task, number=step.number, step_name=step.activity, role_name=definition.role(step.actor).name,
            standard=str(step.waktu), standard_minutes=standard_minutes(step), actor_name=display_name(actor) if actor else "",
            actor_username=actor.get_username() if actor else "",
            started_at=task.created_at, ended_at=task.completed_at, outcome=task.outcome, note=task.note,
            recorded=tuple((field.label, dict(field.choices).get(task.data[field.key], task.data[field.key]))
                           for field in step.record if field.key in (task.data or {})),
        ))
    return entries


def case_documents(case: Case):
    return Document.objects.filter(case=case).select_related("uploaded_by").order_by("kind", "version")


def due_at(task: Task) -> datetime.datetime:
    """When the task is due: its start plus its step's time standard in working time (kept on the
    task when it opens; computed for a task from before that)."""
    if task.due_at is not None:
        return task.due_at
    step = definition_of(task.case.sop_version).step(task.step_key)
    return deadlines_for(step, task.created_at).due_at


@dataclass(frozen=True)
class ChecklistItem:
    """One document a step needs: its kind, the version there is (None: not yet), whether the
    step itself must yield it, and, for a document only one recorded choice calls for, that
    choice (field label, choice label)."""

    kind: object  # alur.sop.model.DocumentKind
    document: Document | None
    own: bool
    when: tuple[str, str] | None = None

    @property
    def conditional(self) -> bool:
        return self.when is not None


def step_checklist(task: Task) -> tuple[list[ChecklistItem], bool]:
    """The documents the task's step needs, as the engine checks them when it is completed:
    kelengkapan from anywhere in the case, the step's own products from this task. Returns the
    items and whether every unconditional one is there."""
    definition = definition_of(task.case.sop_version)
    step = definition.step(task.step_key)
    on_case, this_task = {}, {}
    for document in task.case.documents.order_by("version"):
        on_case[document.kind] = document
        if document.task_id == task.pk:
            this_task[document.kind] = document
    items = [ChecklistItem(definition.document(k), on_case.get(k), own=False) for k in step.kelengkapan]
    items += [ChecklistItem(definition.document(k), this_task.get(k), own=True) for k in step.produces]
    for field in step.record:
        for value, kinds in field.documents:
            when = (field.label, dict(field.choices)[value])
            items += [ChecklistItem(definition.document(k), this_task.get(k), own=True, when=when) for k in kinds]
    return items, all(item.document for item in items if not item.conditional)


def sops_startable_by(user) -> list[tuple[SopVersion, SopDefinition]]:
    """The newest version of each loaded SOP whose cases the user may start (Perkara baru), with
    its definition, by name."""
    held = {role_key for role_key, _ in roles_held(user)}
    if not held:
        return []
    newest: dict[int, SopVersion] = {}
    for version in SopVersion.objects.select_related("sop").order_by("sop_id", "version"):
        newest[version.sop_id] = version
    startable = [(version, definition_of(version)) for version in newest.values()]
    startable = [(v, d) for v, d in startable if any(d.may_start(role_key) for role_key in held)]
    return sorted(startable, key=lambda pair: pair[1].name)
