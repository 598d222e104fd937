"""The deadline sweep: what the worker does to open tasks as their times pass.

Each open task of a running case keeps three times (deadlines.py) and a marker for each:
- remind_at  -> reminded_at:        the holder is reminded that the task is nearly due;
- due_at     -> overdue_noticed_at: the holder hears that it is late;
- escalate_at -> escalated_at:      the holders of the role it reports to (the SOP definition's
  `reports_to`) hear that it is still late.

Everything is decided by these columns, not by timers in a process, so a worker may stop and
start again, or two may run at once: each notice is claimed by a conditional UPDATE
(SET reminded_at = now WHERE id = ? AND reminded_at IS NULL) and only the sweep whose UPDATE
changed the row writes the notice and its audit event, in the same transaction. A sweep that
finds the row already marked knows another sent it. The notices' own unique key (per person and
task) would refuse a second copy even then.

The holder is the person who claimed the task, while they still hold its role; otherwise every
current holder of the role (in the task's unit, for a role such as kepala_opd).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone

from alur.notifications.models import Notification
from alur.notifications.services import notify
from alur.org.selectors import holders_of, holds_role
from alur.worktime.selectors import working_calendar

from .audit import display_name, record_event
from .definitions import definition_of
from .models import Case, Task
from .selectors import minutes_text

REMINDER, OVERDUE, ESCALATION = "reminder", "overdue", "escalation"
# notice -> (the time it is due at, the marker set when it has been dealt with)
COLUMNS = {
    REMINDER: ("remind_at", "reminded_at"),
    OVERDUE: ("due_at", "overdue_noticed_at"),
    ESCALATION: ("escalate_at", "escalated_at"),
}
ACTIONS = {REMINDER: "task.reminded", OVERDUE: "task.overdue_noticed", ESCALATION: "task.escalated"}
NAMES = {REMINDER: "Pengingat", OVERDUE: "Pemberitahuan terlambat", ESCALATION: "Eskalasi"}


@dataclass(frozen=True)
class Notice:
    """One notice the sweep dealt with: to whom it went, or why it went to no one."""

    kind: str
    task_id: int
    case_id: int
    step_number: int
    recipients: tuple[str, ...] = ()  # user names
    sent: bool = True
    reason: str = ""  # why nothing was sent (already late, no superior, no holder)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "task": self.task_id, "case": self.case_id, "step": self.step_number,
                "recipients": list(self.recipients), "sent": self.sent, "reason": self.reason or None}

    def line(self) -> str:
        """One line for the worker's output."""
        what = f"{NAMES[self.kind]} tugas #{self.task_id} (perkara #{self.case_id}, langkah {self.step_number})"
        if self.sent:
            return f"{what} dikirim kepada {', '.join(self.recipients)}."
        return f"{what} tidak dikirim: {self.reason}."


@dataclass
class SweepReport:
    at: datetime.datetime
    notices: list[Notice] = field(default_factory=list)

    def of(self, kind: str) -> list[Notice]:
        return [n for n in self.notices if n.kind == kind]

    @property
    def notifications(self) -> int:
        """How many people were notified, over all notices."""
        return sum(len(n.recipients) for n in self.notices)

    def as_dict(self) -> dict:
        return {"at": self.at, "reminders": len([n for n in self.of(REMINDER) if n.sent]),
                "overdue": len([n for n in self.of(OVERDUE) if n.sent]),
                "escalations": len([n for n in self.of(ESCALATION) if n.sent]),
                "notices": [n.as_dict() for n in self.notices]}


def sweep_open_tasks(now: datetime.datetime | None = None) -> SweepReport:
    """Send every reminder, overdue notice and escalation whose time has come and that no sweep
    has sent yet. Each notice is its own transaction; call it outside one."""
    now = now or timezone.now()
    report = SweepReport(at=now)
    waiting = Q()
    for due_column, marker in COLUMNS.values():
        waiting |= Q(**{f"{due_column}__lte": now, f"{marker}__isnull": True})
    tasks = (Task.objects.filter(waiting, status=Task.Status.OPEN, case__status=Case.Status.RUNNING)
             .select_related("case__sop_version", "case__org_unit", "org_unit", "assignee").order_by("id"))
    for task in tasks:
        for kind in (REMINDER, OVERDUE, ESCALATION):
            due_column, marker = COLUMNS[kind]
            if getattr(task, marker) is None and getattr(task, due_column) is not None and getattr(task, due_column) <= now:
                notice = _send(task, kind, now)
                if notice is not None:
                    report.notices.append(notice)
    return report


def _claim(task: Task, kind: str, now: datetime.datetime) -> bool:
    """Mark the notice as dealt with, if no one has; True when this sweep got it. Only the task's
    own columns are in the condition, so the database re-checks all of them on the row itself
    when it had to wait for another transaction's lock on it."""
    due_column, marker = COLUMNS[kind]
    return bool(Task.objects.filter(pk=task.pk, status=Task.Status.OPEN, **{f"{marker}__isnull": True,
                                                                           f"{due_column}__lte": now})
                .update(**{marker: now}))


def _send(task: Task, kind: str, now: datetime.datetime) -> Notice | None:
    with transaction.atomic():
        if not _claim(task, kind, now):
            return None  # another sweep has dealt with it
        # Read again under the claim's row lock: who holds it now, not when the sweep began.
        task = Task.objects.select_related("case__sop_version", "case__org_unit", "org_unit", "assignee").get(pk=task.pk)
        definition = definition_of(task.case.sop_version)
        step = definition.step(task.step_key)
        role = definition.role(task.role_key)
        base = {"kind": kind, "task_id": task.pk, "case_id": task.case_id, "step_number": step.number}
        if kind == REMINDER and task.due_at is not None and task.due_at <= now:
            # Too late to remind: the overdue notice, sent next, says more. Marked, not sent.
            return Notice(**base, sent=False, reason="tugas sudah terlambat, diganti pemberitahuan terlambat")
        today = timezone.localdate(now)
        if kind == ESCALATION:
            superior = definition.role(role.reports_to) if role.reports_to else None
            if superior is None:
                recipients, reason = [], f"peran {role.name} tidak mempunyai atasan dalam SOP"
            else:
                unit_id = task.case.org_unit_id if superior.scope == "opd" else None
                recipients = holders_of(superior.key, org_unit_id=unit_id, on=today)
                reason = "" if recipients else f"tidak ada yang memegang peran {superior.name}"
            subject = (Notification.Subject.CASE, task.case_id)  # the superior looks at the case, not the step
        else:
            superior = None
            recipients = _holders(task, today)
            reason = "" if recipients else f"tidak ada yang memegang peran {role.name}{_unit_text(task)}"
            subject = (Notification.Subject.TASK, task.pk)
        if recipients:
            title, body = _texts(kind, task, step, role, superior, now)
            notify(recipients=recipients, key=f"task:{task.pk}:{kind}", kind=ACTIONS[kind], title=title, body=body,
                   subject=subject, now=now)
        usernames = tuple(user.get_username() for user in recipients)
        record_event(action=ACTIONS[kind], case_id=task.case_id, task_id=task.pk, at=now, data={
            "step": step.key, "number": step.number, "role": task.role_key,
            "due_at": timezone.localtime(task.due_at).isoformat() if task.due_at else None,
            "to_role": superior.key if superior is not None else (None if kind == ESCALATION else task.role_key),
            "recipients": list(usernames), "reason": reason or None,
        })
    return Notice(**base, recipients=usernames, sent=bool(recipients), reason=reason)


def _holders(task: Task, today: datetime.date) -> list:
    """Who must act on the task: its claimant while they still hold the role, else every holder."""
    if task.assignee is not None and holds_role(task.assignee, task.role_key, org_unit_id=task.org_unit_id, on=today):
        return [task.assignee]
    return holders_of(task.role_key, org_unit_id=task.org_unit_id, on=today)


def _unit_text(task: Task) -> str:
    return f" di {task.org_unit.name}" if task.org_unit_id else ""


def wib(moment: datetime.datetime) -> str:
    """A time as the notices write it: 26-11-2026 14:30 WIB."""
    return dateformat.format(timezone.localtime(moment), "d-m-Y H:i") + " WIB"


def _texts(kind: str, task: Task, step, role, superior, now: datetime.datetime) -> tuple[str, str]:
    case = task.case
    calendar = working_calendar()
    due = wib(task.due_at)
    what = f"Tugas #{task.pk} pada perkara #{case.pk} \"{case.title}\", langkah {step.number} ({step.activity})"
    if kind == REMINDER:
        left = minutes_text(calendar.between(now, task.due_at))
        return (f"Pengingat: langkah {step.number} perkara #{case.pk} jatuh tempo {due}",
                f"{what}, jatuh tempo {due} (waktu baku {step.waktu}); tersisa {left} waktu kerja.")
    late = minutes_text(calendar.between(task.due_at, now))
    if kind == OVERDUE:
        return (f"Terlambat: langkah {step.number} perkara #{case.pk}",
                f"{what}, melewati batas waktu {due}; terlambat {late} waktu kerja. Mohon segera diselesaikan.")
    held = f"dipegang oleh {display_name(task.assignee)}" if task.assignee is not None else "belum diambil siapa pun"
    factor = f"{settings.ALUR_ESCALATE_AFTER:g}"
    return (f"Eskalasi: langkah {step.number} perkara #{case.pk} terlambat {late}",
            f"{what}, untuk peran {role.name}{_unit_text(task)} ({held}), melewati batas waktu {due} dan kini "
            f"terlambat {late} waktu kerja: telah berjalan lebih dari {factor} kali waktu bakunya ({step.waktu}). "
            f"Anda menerima eskalasi ini sebagai {superior.name}, atasan peran tersebut menurut SOP.")
