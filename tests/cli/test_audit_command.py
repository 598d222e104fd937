"""`alur audit verify`: the hash chain of the audit trail, checked from the command line."""
from __future__ import annotations

from django.db import connection

from alur.workflow.models import AuditEvent


def tamper_with_last_event() -> int:
    # Past the ORM, which refuses to change audit rows: what someone with database access could do.
    event = AuditEvent.objects.order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET actor_name = %s WHERE seq = %s", ["orang lain", event.seq])
    return event.seq


def test_verify_of_an_intact_trail_exits_0_counting_the_events(alur, walker):
    walker.steps(3)
    events = AuditEvent.objects.count()

    result = alur("audit", "verify")

    assert result.exit_code == 0, result
    assert result.out.strip() == f"Jejak audit utuh: {events} peristiwa, rantai hash cocok."


def test_verify_json_of_an_intact_trail_says_ok(alur, walker):
    result = alur("audit", "verify", "--json")

    assert result.exit_code == 0, result
    assert result.json() == {"ok": True, "events": AuditEvent.objects.count(), "first_bad_seq": None, "problem": None}


def test_verify_of_a_trail_with_a_changed_event_exits_1_naming_the_event(alur, walker):
    walker.steps(2)
    seq = tamper_with_last_event()

    result = alur("audit", "verify")

    assert result.exit_code == 1, result
    assert "RUSAK" in result.err and f"#{seq}" in result.err


def test_verify_json_of_a_trail_with_a_changed_event_gives_the_first_bad_event(alur, walker):
    walker.steps(2)
    seq = tamper_with_last_event()

    result = alur("audit", "verify", "--json")

    assert result.exit_code == 1, result
    data = result.json()
    assert (data["ok"], data["code"], data["first_bad_seq"]) == (False, "audit_broken", seq)
