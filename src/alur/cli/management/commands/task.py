"""`alur task list|claim|release|complete`: the tasks waiting for a person (`list` is Tugas saya:
the same rows, from the same selector, as the web's inbox)."""
from __future__ import annotations

from alur.cli.base import AlurCommand, table
from alur.cli.parsing import attachments_from, format_dt, ordered_record, record_from
from alur.sop import DECISION_OUTCOMES
from alur.workflow.definitions import definition_of
from alur.workflow.selectors import inbox_for, minutes_text
from alur.workflow.services import claim_task, complete_task, release_task


class Command(AlurCommand):
    help = "Melihat dan menyelesaikan tugas."

    def add_subcommands(self, parser):
        subs = self.subparsers(parser)
        lst = subs.add_parser("list", help="tugas terbuka untuk peran-peran pengguna")
        lst.add_argument("--as", dest="as_user", required=True, metavar="PENGGUNA")
        claim = subs.add_parser("claim", help="ambil tugas")
        release = subs.add_parser("release", help="lepaskan tugas yang diambil")
        for sub in (claim, release):
            sub.add_argument("task_id", type=int, metavar="ID")
            sub.add_argument("--as", dest="as_user", required=True, metavar="PENGGUNA")
        complete = subs.add_parser("complete", help="selesaikan tugas")
        complete.add_argument("task_id", type=int, metavar="ID")
        complete.add_argument("--as", dest="as_user", required=True, metavar="PENGGUNA")
        complete.add_argument("--decision", choices=DECISION_OUTCOMES, help="untuk langkah keputusan")
        complete.add_argument("--note", default="", metavar="TEKS", help="catatan (wajib bila tidak_setuju)")
        complete.add_argument("--record", action="append", default=[], metavar="KUNCI=NILAI",
                              help="isian langkah, misalnya tanggal_rapat=2026-11-20 (boleh berulang)")
        complete.add_argument("--attach", action="append", default=[], metavar="JENIS=PATH")
        return {"list": lst, "claim": claim, "release": release, "complete": complete}

    def do_list(self, as_user, **_):
        user = self.user(as_user)
        rows = [{
            "id": row.task.pk, "case": row.task.case_id, "title": row.task.case.title, "opd": row.task.case.org_unit.code,
            "step": row.task.step_key, "number": row.step.number, "role": row.task.role_key, "activity": row.step.activity,
            "waktu": str(row.step.waktu), "created_at": row.task.created_at, "due_at": row.due,
            "waiting_minutes": round(row.waited_minutes, 1),
            "waiting_calendar_minutes": round(row.waited_span.total_seconds() / 60, 1),
            "assignee": row.task.assignee.get_username() if row.task.assignee_id else None,
            "decision": row.step.is_decision,
        } for row in inbox_for(user)]
        text = table(
            ["Tugas", "Perkara", "Judul", "OPD", "No", "Aktivitas", "Menunggu (jam kerja)", "Waktu baku", "Tenggat", "Dipegang"],
            [[r["id"], r["case"], r["title"], r["opd"], r["number"], r["activity"], minutes_text(r["waiting_minutes"]),
              r["waktu"], format_dt(r["due_at"]), r["assignee"] or "-"] for r in rows],
            wrap={2: 40, 5: 50},
        ) if rows else f"Tidak ada tugas terbuka untuk {user.get_username()}."
        self.emit({"ok": True, "tasks": rows}, text)

    def do_claim(self, task_id, as_user, **_):
        task = claim_task(task_id=task_id, actor=self.user(as_user))
        self.emit({"ok": True, "task": task.pk, "assignee": as_user}, f"Tugas #{task.pk} diambil oleh {as_user}.")

    def do_release(self, task_id, as_user, **_):
        task = release_task(task_id=task_id, actor=self.user(as_user))
        self.emit({"ok": True, "task": task.pk}, f"Tugas #{task.pk} dilepaskan.")

    def do_complete(self, task_id, as_user, decision, note, record, attach, **_):
        actor = self.user(as_user)
        task = complete_task(task_id=task_id, actor=actor, outcome=decision, note=note, record=record_from(record),
                             attachments=attachments_from(attach))
        case = task.case
        case.refresh_from_db()
        definition = definition_of(case.sop_version)
        following = case.tasks.filter(status="open").order_by("-id").first()
        data = {"ok": True, "task": task.pk, "case": case.pk, "outcome": task.outcome or None,
                "record": ordered_record(task.data, definition.step(task.step_key)),
                "completed_at": task.completed_at, "case_status": case.status, "end": case.end_key or None,
                "next": {"task": following.pk, "step": following.step_key, "role": following.role_key} if following else None}
        if following:
            step = definition.step(following.step_key)
            after = f"Berikutnya: langkah {step.number} (tugas #{following.pk}) oleh {definition.role(step.actor).name}."
        else:
            after = f"Perkara #{case.pk} berakhir: {definition.end(case.end_key).name}."
        self.emit(data, f"Tugas #{task.pk} selesai pada {format_dt(task.completed_at)}. {after}")
