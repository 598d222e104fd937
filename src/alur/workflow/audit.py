"""The append-only audit trail, chained by SHA-256 so that a changed or removed event shows.

Each event's hash covers its own fields and the hash before it. Appends lock the single
AuditHead row, so concurrent transactions queue for their place in the chain; the head also
counts the events, which is how a removal at the end of the chain is noticed. Appends go
through the hand-written SQL of `sql.py` (they are on every action's path); reads use the ORM.
"""
from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from . import sql
from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _event_hash(*, seq: int, at: datetime.datetime, actor_id: int | None, actor_name: str, action: str,
                case_id: int | None, task_id: int | None, data: dict, prev_hash: str) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(datetime.timezone.utc).isoformat(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "case_id": case_id,
        "task_id": task_id,
        "data": data,
        "prev": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash_of(event: AuditEvent) -> str:
    return _event_hash(seq=event.seq, at=event.at, actor_id=event.actor_id, actor_name=event.actor_name,
                       action=event.action, case_id=event.case_id, task_id=event.task_id_ref,
                       data=event.data, prev_hash=event.prev_hash)


def display_name(user) -> str:
    if user is None:
        return "sistem"
    return user.get_full_name() or user.get_username()


def record_event(*, action: str, actor=None, case_id: int | None = None, task_id: int | None = None,
                 data: dict | None = None, at: datetime.datetime | None = None, cursor=None) -> int:
    """Append an event in the caller's transaction (so it exists exactly when the change does),
    on the caller's cursor if it has one open. Returns its place (seq) in the chain."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    if cursor is None:
        with connection.cursor() as cursor:
            return record_event(action=action, actor=actor, case_id=case_id, task_id=task_id, data=data, at=at, cursor=cursor)
    at = at or timezone.now()
    actor_id = actor.pk if actor is not None else None
    actor_name = display_name(actor)
    # JSON-native values only (str, int, float, bool, None, list, dict): the hash must cover
    # exactly what the database gives back.
    data = data or {}
    seq, prev_hash = sql.take_audit_place(cursor)
    digest = _event_hash(seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
                         case_id=case_id, task_id=task_id, data=data, prev_hash=prev_hash)
    sql.append_audit_event(cursor, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action, case_id=case_id,
                           task_id=task_id, data=data, prev_hash=prev_hash, hash=digest)
    return seq


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain() -> ChainReport:
    """Walk the chain from the first event; report the first event changed, removed or out of place."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(False, count, expected_seq, f"peristiwa #{expected_seq} hilang (dihapus dari jejak)")
        if event.prev_hash != prev_hash:
            return ChainReport(False, count, event.seq, f"peristiwa #{event.seq} tidak tersambung ke peristiwa sebelumnya (ada yang diubah atau dihapus)")
        if _hash_of(event) != event.hash:
            return ChainReport(False, count, event.seq, f"peristiwa #{event.seq} ({event.action}) telah diubah: isinya tidak cocok dengan hash-nya")
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    if head_seq > count:
        missing = f"#{count + 1}" if head_seq == count + 1 else f"#{count + 1} sampai #{head_seq}"
        return ChainReport(False, count, count + 1, f"peristiwa {missing} hilang (dihapus dari akhir jejak)")
    if head_seq < count:
        return ChainReport(False, count, head_seq + 1, f"peristiwa #{head_seq + 1} tidak tercatat di kepala rantai (disisipkan di luar Alur)")
    return ChainReport(True, count)
