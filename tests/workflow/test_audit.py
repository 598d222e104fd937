"""The audit trail: append-only through the ORM, chained by hash so that an event changed or
removed behind the ORM's back (raw SQL) shows in `verify_chain()` and in `alur audit verify`."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from alur.workflow.audit import GENESIS, _hash_of, verify_chain
from alur.workflow.models import AuditEvent


@pytest.fixture
def trail(walker) -> list[int]:
    """A trail with some history: the SOP loaded, a case started and walked through three steps."""
    walker.steps(3)
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) >= 6
    return seqs


def seq_of(action: str) -> int:
    return AuditEvent.objects.filter(action=action).order_by("seq").values_list("seq", flat=True).first()


def tamper_data(seq: int, **changes) -> None:
    data = {**AuditEvent.objects.get(seq=seq).data, **changes}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflow_auditevent SET data=%s WHERE seq=%s", [json.dumps(data), seq])


def delete_raw(*seqs: int) -> None:
    with connection.cursor() as cursor:
        for seq in seqs:
            cursor.execute("DELETE FROM workflow_auditevent WHERE seq=%s", [seq])


def audit_verify(*args: str) -> tuple[int, str, str]:
    """Run `alur audit verify ARGS`: (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# --- append-only ---------------------------------------------------------------------------------

def test_saving_an_existing_event_again_is_refused(trail):
    event = AuditEvent.objects.get(seq=trail[2])
    event.actor_name = "orang lain"

    with pytest.raises(PermissionError, match="hanya boleh ditambah, tidak diubah"):
        event.save()

    assert AuditEvent.objects.get(seq=trail[2]).actor_name != "orang lain"
    assert verify_chain().ok


def test_deleting_an_event_is_refused(trail):
    event = AuditEvent.objects.get(seq=trail[2])

    with pytest.raises(PermissionError, match="hanya boleh ditambah, tidak dihapus"):
        event.delete()

    assert AuditEvent.objects.count() == len(trail)


def test_queryset_update_is_refused(trail):
    with pytest.raises(PermissionError, match="tidak diubah"):
        AuditEvent.objects.filter(seq=trail[2]).update(action="disamarkan")

    assert not AuditEvent.objects.filter(action="disamarkan").exists()


def test_queryset_delete_is_refused(trail):
    with pytest.raises(PermissionError, match="tidak dihapus"):
        AuditEvent.objects.filter(seq__gte=trail[2]).delete()

    assert AuditEvent.objects.count() == len(trail)


def test_manager_wide_update_and_delete_are_refused(trail):
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(actor_name="")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == len(trail)


# --- the hash chain ------------------------------------------------------------------------------

def test_each_event_is_linked_to_the_hash_of_the_one_before(trail):
    events = list(AuditEvent.objects.order_by("seq"))

    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:]))
    assert len({e.hash for e in events}) == len(events)


def test_chain_verifies_with_notes_in_any_script_and_punctuation(walker, users):
    walker.steps(6)
    note = 'Pasal 5 — “jangka waktu” belum jelas; lihat lampiran \\ hal. 2 ✓\nBaris kedua: 100% \'dan\' <b>'
    walker.step("tidak_setuju", note=note)

    assert AuditEvent.objects.order_by("-seq").first().data["note"] == note
    assert verify_chain().ok


def test_intact_chain_verifies(trail):
    report = verify_chain()

    assert report.ok
    assert (report.events, report.first_bad_seq, report.problem) == (len(trail), None, "")


def test_changed_event_data_is_reported_naming_its_seq(trail):
    seq = seq_of("case.started")
    tamper_data(seq, title="PKS yang lain sama sekali")

    report = verify_chain()

    assert not report.ok
    assert report.first_bad_seq == seq
    assert report.events == seq - 1  # the events before it are still sound
    assert f"peristiwa #{seq} (case.started) telah diubah" in report.problem


def test_changed_actor_name_is_reported_naming_its_seq(trail):
    seq = seq_of("task.completed")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflow_auditevent SET actor_name=%s WHERE seq=%s", ["Orang Lain", seq])

    report = verify_chain()

    assert (report.ok, report.first_bad_seq) == (False, seq)
    assert f"peristiwa #{seq}" in report.problem and "diubah" in report.problem


def test_changed_event_with_its_hash_recomputed_breaks_the_link_to_the_next(trail):
    seq = seq_of("case.started")
    tamper_data(seq, title="PKS palsu")
    forged = AuditEvent.objects.get(seq=seq)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflow_auditevent SET hash=%s WHERE seq=%s", [_hash_of(forged), seq])

    report = verify_chain()

    assert not report.ok
    assert report.first_bad_seq == seq + 1
    assert f"peristiwa #{seq + 1} tidak tersambung ke peristiwa sebelumnya" in report.problem


def test_first_of_two_changed_events_is_the_one_reported(trail):
    first, second = trail[2], trail[-2]
    tamper_data(second, forged=True)
    tamper_data(first, forged=True)

    report = verify_chain()

    assert report.first_bad_seq == first
    assert f"peristiwa #{first} " in report.problem


def test_deleted_middle_event_is_reported_as_missing(trail):
    middle = trail[len(trail) // 2]
    delete_raw(middle)

    report = verify_chain()

    assert not report.ok
    assert report.first_bad_seq == middle
    assert f"peristiwa #{middle} hilang" in report.problem


def test_deleted_last_event_is_reported(trail):
    last = trail[-1]
    delete_raw(last)

    report = verify_chain()

    assert not report.ok
    assert report.first_bad_seq == last
    assert f"#{last}" in report.problem and "hilang" in report.problem
    assert report.events == last - 1


def test_deleted_last_events_are_reported_as_a_range(trail):
    last = trail[-1]
    delete_raw(last, last - 1, last - 2)

    report = verify_chain()

    assert not report.ok
    assert report.first_bad_seq == last - 2
    assert f"peristiwa #{last - 2} sampai #{last} hilang" in report.problem


def test_event_appended_after_a_deleted_last_event_does_not_hide_the_gap(trail, users, walker):
    last = trail[-1]
    delete_raw(last)
    walker.step()  # a new event takes the place after the removed one

    report = verify_chain()

    assert not report.ok
    assert report.first_bad_seq == last
    assert f"peristiwa #{last} hilang" in report.problem


# --- `alur audit verify` -------------------------------------------------------------------------

def test_cli_verify_exits_0_on_an_intact_chain(trail):
    code, out, err = audit_verify()

    assert code == 0
    assert f"Jejak audit utuh: {len(trail)} peristiwa, rantai hash cocok." in out
    assert err == ""


def test_cli_verify_json_on_an_intact_chain(trail):
    code, out, _ = audit_verify("--json")

    assert code == 0
    assert json.loads(out) == {"ok": True, "events": len(trail), "first_bad_seq": None, "problem": None}


def test_cli_verify_exits_1_naming_the_changed_event(trail):
    seq = seq_of("case.started")
    tamper_data(seq, title="PKS palsu")

    code, out, err = audit_verify()

    assert code == 1
    assert "Jejak audit RUSAK" in err
    assert f"peristiwa #{seq} (case.started) telah diubah" in err
    assert out == ""


def test_cli_verify_json_names_the_changed_event(trail):
    seq = seq_of("case.started")
    tamper_data(seq, title="PKS palsu")

    code, out, _ = audit_verify("--json")

    assert code == 1
    report = json.loads(out)
    assert (report["ok"], report["code"], report["first_bad_seq"]) == (False, "audit_broken", seq)
    assert f"peristiwa #{seq} (case.started) telah diubah" in report["error"]


def test_cli_verify_exits_1_naming_the_removed_event(trail):
    middle = trail[len(trail) // 2]
    delete_raw(middle)

    code, out, err = audit_verify()

    assert code == 1
    assert f"Jejak audit RUSAK: peristiwa #{middle} hilang" in err


def test_cli_verify_json_names_the_removed_last_event(trail):
    last = trail[-1]
    delete_raw(last)

    code, out, _ = audit_verify("--json")

    assert code == 1
    report = json.loads(out)
    assert (report["ok"], report["code"], report["first_bad_seq"], report["events"]) == (False, "audit_broken", last, last - 1)
    assert f"#{last}" in report["error"] and "hilang" in report["error"]
