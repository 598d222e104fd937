"""`alur case start|show|resubmit|list`: cases (one draft agreement moving through an SOP).

`show` and `list` are the operator's view of every case; with `--as PENGGUNA` they show what that
person may see (agreements/access.py), as the web does."""
from __future__ import annotations

from alur.agreements.access import access_case, cases_visible_to
from alur.cli.base import AlurCommand, Refused, table
from alur.cli.parsing import attachments_from, format_dt, format_record, ordered_record, record_from
from alur.sop.model import OUTCOME_LABELS
from alur.org.models import OrgUnit
from alur.org.selectors import opd_by_code
from alur.workflow.definitions import definition_of
from alur.workflow.models import Case
from alur.workflow.selectors import case_documents, case_timeline, open_tasks_of
from alur.workflow.services import resubmit_case, start_case


class Command(AlurCommand):
    help = "Mendaftarkan dan menampilkan perkara (draf yang berjalan melalui SOP)."

    def add_subcommands(self, parser):
        subs = self.subparsers(parser)
        start = subs.add_parser("start", help="daftarkan draf masuk (disposisi) dan mulai langkah pertama")
        start.add_argument("--sop", required=True, metavar="KUNCI")
        start.add_argument("--title", required=True, metavar="TEKS")
        start.add_argument("--opd", metavar="KODE", help="kode OPD pengusul (bila SOP-nya menyebut OPD)")
        start.add_argument("--record", action="append", default=[], metavar="KUNCI=NILAI",
                           help="isian pendaftaran yang diminta definisi SOP (boleh berulang)")
        start.add_argument("--follows", type=int, metavar="ID", help="perkara asal (mis. penawaran yang disetujui)")
        start.add_argument("--as", dest="as_user", required=True, metavar="PENGGUNA")
        start.add_argument("--attach", action="append", default=[], metavar="JENIS=PATH")
        show = subs.add_parser("show", help="tampilkan linimasa perkara")
        show.add_argument("case_id", type=int, metavar="ID")
        show.add_argument("--as", dest="as_user", metavar="PENGGUNA",
                          help="hanya bila pengguna ini boleh melihat perkaranya (tanpa --as: operator, semua perkara)")
        resubmit = subs.add_parser("resubmit", help="ajukan ulang draf yang dikembalikan (putaran baru)")
        resubmit.add_argument("case_id", type=int, metavar="ID")
        resubmit.add_argument("--as", dest="as_user", required=True, metavar="PENGGUNA")
        resubmit.add_argument("--attach", action="append", default=[], metavar="JENIS=PATH")
        resubmit.add_argument("--note", default="", metavar="TEKS")
        lst = subs.add_parser("list", help="daftar perkara")
        lst.add_argument("--status", choices=[s.value for s in Case.Status])
        lst.add_argument("--as", dest="as_user", metavar="PENGGUNA",
                         help="hanya perkara yang boleh dilihat pengguna ini (tanpa --as: operator, semua perkara)")
        return {"start": start, "show": show, "resubmit": resubmit, "list": lst}

    def do_start(self, sop, title, opd, as_user, attach, record, follows, **_):
        actor = self.user(as_user)
        org_unit = opd_by_code(opd) if opd else None
        if opd and org_unit is None:
            known = ", ".join(OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).values_list("code", flat=True)) or "belum ada"
            other = OrgUnit.objects.filter(code=opd).first()
            what = f"'{opd}' adalah {other.get_kind_display()}, bukan OPD" if other else f"OPD dengan kode '{opd}' tidak ada"
            raise Refused(f"{what}; kode OPD yang dikenal: {known}.", "not_found")
        earlier = None
        if follows is not None:
            earlier = Case.objects.select_related("sop_version__sop").filter(pk=follows).first()
            if earlier is None:
                raise Refused(f"--follows: perkara #{follows} tidak ditemukan.", "not_found")
        case = start_case(sop_key=sop, title=title, org_unit=org_unit, actor=actor, record=record_from(record),
                          follows=earlier, attachments=attachments_from(attach))
        self._show(case, headline=f"Perkara #{case.pk} didaftarkan.")

    def do_resubmit(self, case_id, as_user, attach, note, **_):
        actor = self.user(as_user)
        case = resubmit_case(case_id=case_id, actor=actor, attachments=attachments_from(attach), note=note)
        self._show(case, headline=f"Perkara #{case.pk} diajukan ulang (putaran {case.round}).")

    def do_show(self, case_id, as_user=None, **_):
        if as_user:
            self._show(access_case(self.user(as_user), case_id))
            return
        case = Case.objects.select_related("sop_version__sop", "org_unit").filter(pk=case_id).first()
        if case is None:
            raise Refused(f"Perkara #{case_id} tidak ditemukan.", "not_found")
        self._show(case)

    def do_list(self, status=None, as_user=None, **_):
        cases = cases_visible_to(self.user(as_user)) if as_user else Case.objects.all()
        cases = cases.select_related("org_unit", "sop_version__sop").order_by("-id")
        if status:
            cases = cases.filter(status=status)
        rows = [{"id": c.pk, "title": c.title, "opd": c.org_unit.code if c.org_unit else None, "sop": c.sop_version.sop.key,
                 "status": c.status, "round": c.round, "started_at": c.started_at} for c in cases]
        self.emit({"ok": True, "cases": rows}, table(["ID", "Judul", "OPD", "Status", "Putaran", "Didaftarkan"],
                              [[r["id"], r["title"], r["opd"], Case.Status(r["status"]).label, r["round"], format_dt(r["started_at"])] for r in rows],
                              wrap={1: 50}))

    def _show(self, case: Case, headline: str = "") -> None:
        case.refresh_from_db()
        definition = definition_of(case.sop_version)
        entries = case_timeline(case)
        current = list(open_tasks_of(case))
        data = {
            "id": case.pk, "title": case.title, "sop": definition.key, "sop_version": case.sop_version.version,
            "opd": case.org_unit.code if case.org_unit else None, "status": case.status, "end": case.end_key or None, "round": case.round,
            "current": [{"task": t.pk, "step": t.step_key, "number": definition.step(t.step_key).number, "role": t.role_key} for t in current],
            "timeline": [{
                "task": e.task.pk, "round": e.task.round, "step": e.task.step_key, "number": e.number, "role": e.task.role_key,
                "actor": e.actor_name or None, "actor_username": e.actor_username or None, "started_at": e.started_at, "ended_at": e.ended_at,
                "working_minutes": round(e.working_minutes, 1), "calendar_minutes": round(e.elapsed.total_seconds() / 60, 1),
                "standard": e.standard,
                "standard_minutes": e.standard_minutes, "outcome": e.outcome or None, "note": e.note or None,
                "record": ordered_record(e.task.data, definition.step(e.task.step_key)),
            } for e in entries],
            "documents": [{"kind": d.kind, "version": d.version, "name": d.original_name, "size": d.size,
                           "sha256": d.sha256, "uploaded_by": d.uploaded_by.get_username(), "uploaded_at": d.uploaded_at}
                          for d in case_documents(case)],
        }
        status = case.get_status_display()
        if case.end_key:
            status += f" — {definition.end(case.end_key).name}"
        lines = [headline] if headline else []
        lines += [
            f"Perkara #{case.pk}: {case.title}",
            f"SOP: {definition.name} (versi {case.sop_version.version})",
            f"OPD pengusul: {case.org_unit.name if case.org_unit else '-'}   Putaran: {case.round}   Status: {status}",
        ]
        for task in current:
            step = definition.step(task.step_key)
            holder = f", dipegang {task.assignee.get_username()}" if task.assignee_id else ""
            lines.append(f"Sekarang: langkah {step.number} (tugas #{task.pk}) oleh {definition.role(step.actor).name}{holder}")
        rows = []
        for e in entries:
            outcome = OUTCOME_LABELS.get(e.outcome, "")
            remark = f"{outcome}: {e.note}" if outcome and e.note else outcome or e.note
            recorded = format_record(ordered_record(e.task.data, definition.step(e.task.step_key)))
            remark = f"{remark}; {recorded}" if remark and recorded else remark or recorded
            rows.append([e.task.round, e.number, e.role_name, e.actor_name or "-", format_dt(e.started_at),
                         format_dt(e.ended_at) if e.ended_at else "(berjalan)",
                         f"{e.elapsed_text} ({e.calendar_text} kalender)", e.standard, remark])
        lines += ["", table(["Putaran", "No", "Peran", "Pelaksana", "Mulai", "Selesai", "Lama kerja", "Waktu baku", "Keterangan"], rows, wrap={8: 60})]
        if data["documents"]:
            lines += ["", table(["Dokumen", "Versi", "Berkas", "Diunggah oleh", "Pada"],
                                [[definition.document(d["kind"]).name, d["version"], d["name"], d["uploaded_by"], format_dt(d["uploaded_at"])] for d in data["documents"]])]
        self.emit({"ok": True, **data}, "\n".join(lines))
