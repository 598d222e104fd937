"""`alur register import|template`: the register of agreements from the office's XLSX.

`alur register import FILE` is the dry run: every problem by row and column, or the rows that
would be added and those already present; nothing is written. `--confirm --as USER` imports,
all rows or none.
"""
from __future__ import annotations

from pathlib import Path

from alur.agreements.imports import ImportPlan, ImportRefused, import_register, plan_import, template_xlsx
from alur.cli.base import AlurCommand, Refused, table

SHORT_KINDS = {"pks": "PKS", "mou": "MoU", "addendum": "Addendum"}


class Command(AlurCommand):
    help = "Register perjanjian: impor dari daftar XLSX kantor, dan templatnya."

    def add_subcommands(self, parser):
        subs = self.subparsers(parser)
        imp = subs.add_parser("import", help="periksa (pratinjau) lalu, dengan --confirm, impor register XLSX")
        imp.add_argument("file", metavar="BERKAS")
        imp.add_argument("--confirm", action="store_true", help="catat semua baris (hanya bila tidak ada masalah)")
        imp.add_argument("--as", dest="as_user", metavar="PENGGUNA", help="pengguna yang mengimpor (wajib dengan --confirm)")
        tpl = subs.add_parser("template", help="tulis templat XLSX register untuk diisi")
        tpl.add_argument("-o", "--output", required=True, metavar="BERKAS")
        return {"import": imp, "template": tpl}

    def do_template(self, output, **_):
        data = template_xlsx()
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise Refused(f"{output}: berkas tidak dapat ditulis ({exc.strerror or exc}).")
        self.emit({"ok": True, "file": output, "bytes": len(data)}, f"Templat register ditulis ke {output}.")

    def do_import(self, file, confirm, as_user=None, **_):
        if confirm and not as_user:
            raise Refused("--confirm memerlukan --as PENGGUNA: siapa yang mencatat harus tercatat.", "invalid_arguments")
        actor = self.user(as_user) if as_user else None
        path = Path(file)
        if not path.is_file():
            raise Refused(f"{file}: berkas tidak ditemukan.", "not_found")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise Refused(f"{file}: berkas tidak dapat dibaca ({exc.strerror or exc}).")
        if not confirm:
            plan = plan_import(actor=actor, name=path.name, content=content)
            if not plan.ok:
                self._refuse_plan(plan, f"Berkas {path.name} memiliki {len(plan.problems)} masalah; tidak ada yang dicatat. "
                                        "Perbaiki berkasnya lalu jalankan lagi.")
            hint = "Pratinjau saja; tidak ada yang dicatat."
            if plan.to_add:
                hint += f" Untuk mencatatnya: alur register import {file} --confirm --as PENGGUNA"
            self.emit({"ok": True, "confirmed": False, **plan.as_dict()}, "\n".join([*self._lines(plan), "", hint]))
            return
        try:
            result = import_register(actor=actor, name=path.name, content=content)
        except ImportRefused as exc:
            self._refuse_plan(exc.plan, exc.message)
        plan = result.plan
        added = {r.row: a.pk for r, a in zip(plan.to_add, result.added)}
        data = plan.as_dict()
        for row in data["add"]:
            row["agreement"] = added[row["row"]]
        done = f"{len(result.added)} perjanjian dicatat dari {path.name}"
        done += f"; {len(plan.present)} sudah ada dan dilewati." if plan.present else "."
        self.emit({"ok": True, "confirmed": True, **data}, "\n".join([*self._lines(plan, added=added), "", done]))

    def _refuse_plan(self, plan: ImportPlan, message: str) -> None:
        if not self.as_json:
            self.stdout.write(table(["Baris", "Kolom", "Masalah"],
                                    [[p.row or "-", p.column or "-", p.message] for p in plan.problems], wrap={2: 110}))
        self.refuse(message, "invalid", data={"confirmed": False, **plan.as_dict()})

    def _lines(self, plan: ImportPlan, added: dict[int, int] | None = None) -> list[str]:
        verb = "dicatat" if added is not None else "akan ditambahkan"
        lines = [f"Berkas {plan.name}, lembar '{plan.sheet}', judul kolom di baris {plan.header_row}: "
                 f"{len(plan.to_add)} baris {verb}, {len(plan.present)} sudah ada di register (dilewati)."]
        if plan.new_partners:
            lines.append(f"Pihak ketiga baru: {', '.join(plan.new_partners)}.")
        if plan.ignored_columns:
            lines.append(f"Kolom yang tidak dipakai: {', '.join(plan.ignored_columns)}.")
        if plan.to_add:
            rows = []
            for r in plan.to_add:
                period = f"{r.values['starts_on']:%d-%m-%Y} s.d. {r.values['ends_on']:%d-%m-%Y}"
                partner = r.values["partner"] + (" (baru)" if r.partner_new else "")
                rows.append([r.row, r.number, SHORT_KINDS.get(r.values.get("kind"), ""), r.title, partner,
                             r.org_unit.code, period] + ([f"#{added[r.row]}"] if added is not None else []))
            headers = ["Baris", "Nomor", "Jenis", "Judul", "Pihak ketiga", "OPD", "Berlaku"] + (["Perjanjian"] if added is not None else [])
            lines += ["", table(headers, rows, wrap={3: 50, 4: 40})]
        if plan.present:
            lines += ["", "Sudah ada di register:",
                      table(["Baris", "Nomor", "Judul", "Perjanjian"],
                            [[r.row, r.number, r.title, f"#{r.existing_id}"] for r in plan.present], wrap={2: 60})]
        return lines
