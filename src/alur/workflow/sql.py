"""Hand-written SQL for the engine's hot path: completing a task and appending its audit event.

Completing a task is what every person of every SOP does all day, and it runs about eight
statements. Through the ORM, compiling those statements cost several times more than running
them (see `make bench`), so the statements are written here once, in SQL that SQLite and
PostgreSQL both accept, with values adapted by Django's own backend operations. Everything else
in the engine uses the ORM.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection

from alur.org.models import RoleAssignment
from alur.org.selectors import ASSIGNMENT_IN_FORCE_SQL

from .models import AuditEvent, AuditHead, Case, Document, SopVersion, Task

TASK = Task._meta.db_table
CASE = Case._meta.db_table
VERSION = SopVersion._meta.db_table
DOCUMENT = Document._meta.db_table
EVENT = AuditEvent._meta.db_table
HEAD = AuditHead._meta.db_table
ASSIGNMENT = RoleAssignment._meta.db_table


GENESIS = "0" * 64


def _when(value: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(value)


@dataclass(frozen=True)
class TaskRow:
    """What completing a task needs to know of it, its case and its SOP version, in one read."""

    id: int
    case_id: int
    round: int
    step_key: str
    role_key: str
    org_unit_id: int | None
    status: str
    assignee_id: int | None
    case_org_unit_id: int
    sop_version_id: int
    sop_sha256: str
    actor_holds_role: bool


def task_row(task_id: int, *, actor_id: int, today: datetime.date) -> TaskRow | None:
    """The task, and whether the actor holds its role today (in the task's unit, if it has one)."""
    day = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.id, t.case_id, t.round, t.step_key, t.role_key, t.org_unit_id, t.status, t.assignee_id,"
            f" c.org_unit_id, c.sop_version_id, v.sha256,"
            f" EXISTS (SELECT 1 FROM {ASSIGNMENT} a WHERE a.user_id = %s AND a.role_id = t.role_key"
            f"   AND (t.org_unit_id IS NULL OR a.org_unit_id = t.org_unit_id) AND {ASSIGNMENT_IN_FORCE_SQL})"
            f" FROM {TASK} t JOIN {CASE} c ON c.id = t.case_id JOIN {VERSION} v ON v.id = c.sop_version_id"
            f" WHERE t.id = %s",
            [actor_id, day, day, task_id],
        )
        row = cursor.fetchone()
    return TaskRow(*row[:-1], bool(row[-1])) if row else None


def documents_held(case_id: int, kinds: tuple[str, ...]) -> list[tuple[str, int | None]]:
    """(kind, task it was uploaded in) of the case's documents of the given kinds, every version."""
    if not kinds:
        return []
    placeholders = ", ".join(["%s"] * len(kinds))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, task_id FROM {DOCUMENT} WHERE case_id = %s AND kind IN ({placeholders})",
                       [case_id, *kinds])
        return cursor.fetchall()


def close_task(task_id: int, *, actor_id: int, at: datetime.datetime, outcome: str, note: str) -> bool:
    """Mark an open task done. False when it was no longer open: the guard against a double finish,
    because a second writer waits on the row lock and then matches no open row."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TASK} SET status = %s, completed_at = %s, completed_by_id = %s, outcome = %s, note = %s,"
            f" assignee_id = %s, claimed_at = COALESCE(claimed_at, %s)"
            f" WHERE id = %s AND status = %s",
            [Task.Status.DONE, _when(at), actor_id, outcome, note, actor_id, _when(at), task_id, Task.Status.OPEN],
        )
        return cursor.rowcount == 1


def insert_task(*, case_id: int, round: int, step_key: str, role_key: str, org_unit_id: int | None,
                at: datetime.datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TASK} (case_id, round, step_key, role_key, org_unit_id, status, created_at, outcome, note)"
            f" VALUES (%s, %s, %s, %s, %s, %s, %s, '', '') RETURNING id",
            [case_id, round, step_key, role_key, org_unit_id, Task.Status.OPEN, _when(at)],
        )
        return cursor.fetchone()[0]


def take_audit_place() -> tuple[int, str]:
    """Claim the next place in the audit chain: (its seq, the hash of the event before it).

    The UPDATE holds the head row's lock until the transaction ends, so appends from concurrent
    transactions queue for their place.
    """
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(
                f"UPDATE {HEAD} SET seq = seq + 1 WHERE id = 1"
                f" RETURNING seq, (SELECT e.hash FROM {EVENT} e WHERE e.seq = {HEAD}.seq - 1)"
            )
            row = cursor.fetchone()
            if row:
                return row[0], row[1] or GENESIS
            # A fresh or flushed database has no head yet: create it, once, whoever gets there first.
            cursor.execute(f"INSERT INTO {HEAD} (id, seq) VALUES (1, 0) ON CONFLICT DO NOTHING")
    raise RuntimeError("the audit chain's head row could not be created")


def append_audit_event(*, seq: int, at: datetime.datetime, actor_id: int | None, actor_name: str, action: str,
                       case_id: int | None, task_id: int | None, data: dict, prev_hash: str, hash: str) -> None:
    data_value = AuditEvent._meta.get_field("data").get_db_prep_save(data, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {EVENT} (seq, at, actor_id, actor_name, action, case_id, task_id_ref, data, prev_hash, hash)"
            f" VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [seq, _when(at), actor_id, actor_name, action, case_id, task_id, data_value, prev_hash, hash],
        )
