"""`alur sop check|load|show|list`: SOP definitions."""
from __future__ import annotations

from pathlib import Path

from alur.cli.base import AlurCommand, Refused, table
from alur.sop import DefinitionError, load_definition_file
from alur.sop.model import OUTCOME_LABELS
from alur.sop.render.bpmn import render_bpmn
from alur.sop.render.document import PAGE_SIZES_MM
from alur.sop.render.docx import render_docx
from alur.sop.render.flowchart import render_svg
from alur.sop.render.html import render_html, render_pdf
from alur.sop.render.layout import layout_flowchart
from alur.workflow.definitions import definition_of

# Each output of `alur sop render`, from the definition and the paper size.
RENDERERS = {
    "svg": lambda definition, page: render_svg(layout_flowchart(definition)),
    "html": lambda definition, page: render_html(definition, page=page),
    "pdf": lambda definition, page: render_pdf(definition, page=page),
    "docx": lambda definition, page: render_docx(definition, page=page),
    "bpmn": lambda definition, page: render_bpmn(definition),
}
from alur.workflow.models import Sop
from alur.workflow.services import load_sop, newest_version


class Command(AlurCommand):
    help = "Memeriksa, memuat dan menampilkan definisi SOP."

    def add_subcommands(self, parser):
        subs = self.subparsers(parser)
        check = subs.add_parser("check", help="periksa berkas definisi SOP (keluar 0 bila semua sah, 1 bila tidak)")
        check.add_argument("files", nargs="+", metavar="BERKAS")
        load = subs.add_parser("load", help="muat definisi ke basis data (SOP baru atau versi baru)")
        load.add_argument("file", metavar="BERKAS")
        show = subs.add_parser("show", help="tampilkan SOP sebagai tabel")
        show.add_argument("key", metavar="KUNCI")
        lst = subs.add_parser("list", help="daftar SOP yang dimuat")
        render = subs.add_parser("render", help="cetak SOP sebagai SVG, HTML, PDF, DOCX atau BPMN")
        render.add_argument("key", metavar="KUNCI")
        render.add_argument("--format", required=True, choices=sorted(RENDERERS), dest="output_format")
        render.add_argument("-o", "--output", required=True, metavar="BERKAS")
        render.add_argument("--page", choices=sorted(PAGE_SIZES_MM), default="A4", help="ukuran kertas (lanskap) untuk PDF/HTML/DOCX")
        return {"check": check, "load": load, "show": show, "list": lst, "render": render}

    def do_render(self, key, output_format, output, page, **_):
        definition = definition_of(newest_version(key))
        content = RENDERERS[output_format](definition, page)
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise Refused(f"{output}: berkas tidak dapat ditulis ({exc.strerror or exc}).")
        self.emit({"ok": True, "key": key, "format": output_format, "file": output, "bytes": len(data)},
                  f"SOP {key} dicetak sebagai {output_format.upper()} ke {output} ({len(data):,} bita).")

    def do_check(self, files, **_):
        results, problems = [], []
        for name in files:
            try:
                definition = load_definition_file(name)
                results.append({"file": name, "ok": True, "key": definition.key, "problems": []})
            except DefinitionError as exc:
                problems += exc.problems
                results.append({"file": name, "ok": False, "problems": [
                    {"line": p.line, "message": p.message, "text": str(p)} for p in exc.problems]})
        ok = not problems
        if self.as_json:
            self.emit({"ok": ok, "files": results}, "")
        else:
            for result in results:
                if result["ok"]:
                    self.stdout.write(f"{result['file']}: sah ({result['key']})")
            for problem in problems:
                self.stdout.write(str(problem))
        if not ok:
            raise SystemExit(1)

    def do_load(self, file, **_):
        path = Path(file)
        if not path.is_file():
            raise Refused(f"{file}: berkas tidak ditemukan.", "not_found")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise Refused(f"{file}: berkas bukan teks UTF-8.", "invalid")
        except OSError as exc:
            raise Refused(f"{file}: berkas tidak dapat dibaca ({exc.strerror or exc}).", "invalid")
        version, created = load_sop(text=text, source_name=file)
        definition = definition_of(version)
        verb = "dimuat sebagai versi" if created else "tidak berubah; tetap versi"
        self.emit(
            {"ok": True, "key": definition.key, "version": version.version, "created": created, "sha256": version.sha256},
            f"SOP {definition.key} {verb} {version.version}.",
        )

    def do_show(self, key, **_):
        version = newest_version(key)
        definition = definition_of(version)
        total = definition.straight_path_time()
        steps = []
        for step in definition.steps:
            steps.append({
                "key": step.key, "number": step.number, "source_number": step.source_number,
                "actor": step.actor, "actor_name": definition.role(step.actor).name, "activity": step.activity,
                "kelengkapan": [definition.document(k).name for k in step.kelengkapan],
                "waktu": str(step.waktu), "waktu_minutes": step.waktu.minutes, "output": step.output,
                "next": step.next, "decision": dict(step.outcomes) or None,
                "record": [{
                    "key": f.key, "label": f.label, "type": f.type, "required": f.required, "when": f.when or None,
                    "choices": dict(f.choices) or None, "documents": {c: list(d) for c, d in f.documents} or None,
                } for f in step.record],
                "inferred": list(step.marks.inferred), "added": step.marks.added,
            })
        data = {
            "ok": True, "key": definition.key, "version": version.version, "name": definition.name,
            "nomor": definition.identity.nomor, "steps": steps,
            "straight_path": [s.key for s in definition.straight_path()],
            "straight_path_minutes": total.minutes, "straight_path_working_days": total.working_days,
        }
        rows = []
        for step, info in zip(definition.steps, steps):
            if step.is_decision:
                onward = "; ".join(f"{OUTCOME_LABELS[o]} → {self._target_label(definition, t)}" for o, t in step.outcomes)
            else:
                onward = self._target_label(definition, step.next)
            marker = " *" if step.marks.added else ""
            rows.append([f"{step.number}{marker}", info["actor_name"], step.activity, ", ".join(info["kelengkapan"]),
                         info["waktu"], step.output, onward])
        text = "\n".join([
            f"{definition.name} (versi {version.version})",
            "",
            table(["No", "Pelaksana", "Aktivitas", "Kelengkapan", "Waktu", "Output", "Lanjut"], rows, wrap={2: 60, 1: 24}),
            "",
            "* langkah tambahan, tidak tertulis di SOP sumber",
            f"Waktu baku jalur utama: {total}",
        ])
        self.emit(data, text)

    @staticmethod
    def _target_label(definition, target: str) -> str:
        if definition.is_step(target):
            return f"langkah {definition.step(target).number}"
        return f"selesai: {definition.end(target).name}"

    def do_list(self, **_):
        rows = []
        for sop in Sop.objects.prefetch_related("versions"):
            newest = max(sop.versions.all(), key=lambda v: v.version)
            rows.append({"key": sop.key, "name": sop.name, "version": newest.version, "loaded_at": newest.loaded_at})
        self.emit({"ok": True, "sops": rows}, table(["Kunci", "Nama", "Versi"], [[r["key"], r["name"], r["version"]] for r in rows]))
