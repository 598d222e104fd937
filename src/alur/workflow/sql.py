"""Hand-written SQL for the engine's hot path: completing a task and appending its audit event.

Completing a task is what every person of every SOP does all day, and it runs about eight
statements. Through the ORM, compiling those statements cost several times more than running
them (see `make bench`), so the statements are written here once, in SQL that SQLite and
PostgreSQL both accept, with values adapted by Django's own backend operations. The statements
of one action run on one cursor, which the caller opens (`connection.cursor()`) and passes in.
Everything else in the engine uses the ORM.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

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


def db_datetime(cursor, value: datetime.datetime):
    """An aware datetime as the database stores it: what Django's `adapt_datetimefield_value`
    gives (SQLite: naive UTC text; PostgreSQL: the value itself), without its general checks,
    which cost as much as a statement's own run here. Five of these go with every completion."""
    if cursor.db.vendor == "sqlite":
        return str(value.astimezone(datetime.timezone.utc).replace(tzinfo=None))
    return cursor.db.ops.adapt_datetimefield_value(value)


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
    created_at: datetime.datetime
    actor_holds_role: bool
    documents: tuple[tuple[str, int | None], ...]  # (kind, task uploaded in) of every version on the case


def task_row(cursor, task_id: int, *, actor_id: int, today: datetime.date) -> TaskRow | None:
    """The task, whether the actor holds its role today (in the task's unit, if it has one), and
    the case's documents: one row per document version, so the kelengkapan check needs no query."""
    day = cursor.db.ops.adapt_datefield_value(today)
    cursor.execute(
        f"SELECT t.id, t.case_id, t.round, t.step_key, t.role_key, t.org_unit_id, t.status, t.assignee_id,"
        f" c.org_unit_id, c.sop_version_id, v.sha256, t.created_at,"
        f" EXISTS (SELECT 1 FROM {ASSIGNMENT} a WHERE a.user_id = %s AND a.role_id = t.role_key"
        f"   AND (t.org_unit_id IS NULL OR a.org_unit_id = t.org_unit_id) AND {ASSIGNMENT_IN_FORCE_SQL}),"
        f" d.kind, d.task_id"
        f" FROM {TASK} t JOIN {CASE} c ON c.id = t.case_id JOIN {VERSION} v ON v.id = c.sop_version_id"
        f" LEFT JOIN {DOCUMENT} d ON d.case_id = t.case_id"
        f" WHERE t.id = %s",
        [actor_id, day, day, task_id],
    )
    rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    documents = tuple((kind, made_in) for *_, kind, made_in in rows if kind is not None)
    return TaskRow(*first[:11], _aware(first[11]), bool(first[12]), documents)


def _aware(value) -> datetime.datetime:
    """A timestamp as the driver returns it (SQLite: text in UTC; PostgreSQL: aware) made aware."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.timezone.utc)


def close_task(cursor, task_id: int, *, actor_id: int, at, outcome: str, note: str, data: dict,
               assignee_id: int | None, working_minutes: int) -> bool:
    """Mark an open task done (`at` already adapted for the database), if it is still open and
    held by the same assignee the checks saw. False otherwise: the guard against a double finish
    or a claim taken meanwhile, because a second writer waits on the row lock and then matches
    no row."""
    cursor.execute(
        f"UPDATE {TASK} SET status = %s, completed_at = %s, completed_by_id = %s, outcome = %s, note = %s,"
        f" data = %s, assignee_id = %s, claimed_at = COALESCE(claimed_at, %s), working_minutes = %s"
        f" WHERE id = %s AND status = %s AND assignee_id IS NOT DISTINCT FROM %s",
        [Task.Status.DONE, at, actor_id, outcome, note, Task._meta.get_field("data").get_db_prep_save(data, cursor.db),
         actor_id, at, working_minutes, task_id, Task.Status.OPEN, assignee_id],
    )
    return cursor.rowcount == 1


def insert_task(cursor, *, case_id: int, round: int, step_key: str, role_key: str, org_unit_id: int | None, at,
                deadlines) -> int:
    cursor.execute(
        f"INSERT INTO {TASK} (case_id, round, step_key, role_key, org_unit_id, status, created_at, outcome, note, data,"
        f" due_at, remind_at, escalate_at)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s, '', '', '{{}}', %s, %s, %s) RETURNING id",
        [case_id, round, step_key, role_key, org_unit_id, Task.Status.OPEN, at,
         db_datetime(cursor, deadlines.due_at), db_datetime(cursor, deadlines.remind_at),
         db_datetime(cursor, deadlines.escalate_at)],
    )
    return cursor.fetchone()[0]


def end_case(cursor, case_id: int, *, status: str, end_key: str, at) -> None:
    cursor.execute(f"UPDATE {CASE} SET status = %s, end_key = %s, ended_at = %s WHERE id = %s",
                   [status, end_key, at, case_id])


def take_audit_place(cursor) -> tuple[int, str]:
    """Claim the next place in the audit chain: (its seq, the hash of the event before it).

    The UPDATE holds the head row's lock until the transaction ends, so appends from concurrent
    transactions queue for their place.
    """
    for _ in range(2):
        cursor.execute(
            f"UPDATE {HEAD} SET seq = seq + 1 WHERE id = 1"
            f" RETURNING seq, (SELECT e.hash FROM {EVENT} e WHERE e.seq = {HEAD}.seq - 1)"
        )
        row = cursor.fetchone()
        if row:
            seq, prev_hash = row
            if prev_hash is None and seq > 1:
                # PostgreSQL: after waiting for the head's lock, the subquery still sees the snapshot
                # from before the wait, without the event the other transaction just committed.
                # A new statement sees it.
                cursor.execute(f"SELECT hash FROM {EVENT} WHERE seq = %s", [seq - 1])
                found = cursor.fetchone()
                prev_hash = found[0] if found else None
            return seq, prev_hash or GENESIS
        # A fresh or flushed database has no head yet: create it, once, whoever gets there first.
        cursor.execute(f"INSERT INTO {HEAD} (id, seq) VALUES (1, 0) ON CONFLICT DO NOTHING")
    raise RuntimeError("the audit chain's head row could not be created")


def append_audit_event(cursor, *, seq: int, at: datetime.datetime, actor_id: int | None, actor_name: str, action: str,
                       case_id: int | None, task_id: int | None, data: dict, prev_hash: str, hash: str) -> None:
    data_value = AuditEvent._meta.get_field("data").get_db_prep_save(data, cursor.db)
    cursor.execute(
        f"INSERT INTO {EVENT} (seq, at, actor_id, actor_name, action, case_id, task_id_ref, data, prev_hash, hash)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [seq, db_datetime(cursor, at), actor_id, actor_name, action, case_id, task_id,
         data_value, prev_hash, hash],
    )
