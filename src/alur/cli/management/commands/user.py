"""`alur user add|assign|list`: people and the roles they hold, for scripts and operators.

The operator on the server acts as the admin: what these commands change is written to the audit
trail without a person's name (as `alur sop load` is).
"""
from __future__ import annotations

import argparse
import datetime

from alur.cli.base import AlurCommand, Refused, table
from alur.org.models import RoleAssignment
from alur.org.selectors import people_with_roles
from alur.workflow.people import ACTING_WORDS, InvalidField, add_person, assign_role, period_text, role_by_key, unit_by_code

# The argument each service input comes from, to name it in a refusal.
ARGUMENTS = {"username": "PENGGUNA", "full_name": "--name", "email": "--email", "role": "PERAN", "unit": "--unit",
             "valid_from": "--from", "valid_until": "--until", "acting": "--plt/--plh"}
LIST_ARGUMENTS = {"role": "--role", "unit": "--unit"}


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} bukan tanggal; tulis TTTT-BB-HH, misalnya 2026-12-01") from None


def _refused(exc: InvalidField, arguments: dict[str, str]) -> Refused:
    argument = arguments.get(exc.field)
    return Refused(f"{argument}: {exc.message}" if argument else exc.message, exc.code)


def _role_text(assignment: RoleAssignment) -> str:
    acting = f"{ACTING_WORDS[assignment.acting]} " if assignment.acting else ""
    until = f" s.d. {assignment.valid_until:%d-%m-%Y}" if assignment.valid_until else ""
    return f"{acting}{assignment.role.name} ({assignment.org_unit.code}){until}"


class Command(AlurCommand):
    help = "Menambah pengguna, memberi peran (dengan unit, masa berlaku, Plt./Plh.) dan menampilkan siapa memegang apa."

    def add_subcommands(self, parser):
        subs = self.subparsers(parser)
        add = subs.add_parser("add", help="tambah pengguna (tanpa peran; kata sandi lewat: alur changepassword)")
        add.add_argument("username", metavar="PENGGUNA", help="nama pengguna untuk masuk, misalnya budi.santoso")
        add.add_argument("--name", required=True, metavar="NAMA", help="nama lengkap")
        add.add_argument("--email", default="", metavar="SUREL", help="alamat surel untuk pemberitahuan")
        assign = subs.add_parser("assign", help="beri pengguna sebuah peran di sebuah unit")
        assign.add_argument("username", metavar="PENGGUNA")
        assign.add_argument("role", metavar="PERAN", help="kunci peran, misalnya karo atau kepala_opd")
        assign.add_argument("--unit", metavar="KODE", help="kode unit organisasi (wajib untuk peran per OPD); "
                                                            "bila tidak diberikan: unit tempat peran ini dipegang sekarang")
        assign.add_argument("--from", dest="valid_from", type=_date, metavar="TANGGAL", help="mulai berlaku (bawaan: hari ini)")
        assign.add_argument("--until", dest="valid_until", type=_date, metavar="TANGGAL",
                            help="hari terakhir berlaku (wajib untuk Plt./Plh.)")
        acting = assign.add_mutually_exclusive_group()
        acting.add_argument("--plt", dest="acting", action="store_const", const=RoleAssignment.Acting.PLT,
                            help="sebagai Pelaksana Tugas")
        acting.add_argument("--plh", dest="acting", action="store_const", const=RoleAssignment.Acting.PLH,
                            help="sebagai Pelaksana Harian")
        lst = subs.add_parser("list", help="pengguna dengan peran yang berlaku hari ini")
        lst.add_argument("--role", metavar="PERAN", help="hanya pemegang peran ini")
        lst.add_argument("--unit", metavar="KODE", help="hanya yang memegang peran di unit ini")
        return {"add": add, "assign": assign, "list": lst}

    def do_add(self, username, name, email, **_):
        try:
            user = add_person(actor=None, username=username, full_name=name, email=email)
        except InvalidField as exc:
            raise _refused(exc, ARGUMENTS) from None
        data = {"id": user.pk, "username": user.username, "name": user.get_full_name(), "email": user.email,
                "password_set": False}
        self.emit({"ok": True, "user": data}, "\n".join([
            f"Pengguna {user.username} ({user.get_full_name()}) ditambahkan.",
            f"Kata sandinya belum ada; tetapkan dengan: alur changepassword {user.username}",
            f"Beri peran dengan: alur user assign {user.username} PERAN --unit KODE",
        ]))

    def do_assign(self, username, role, unit, valid_from, valid_until, acting, **_):
        try:
            assignment = assign_role(actor=None, username=username, role_key=role, unit_code=unit, valid_from=valid_from,
                                     valid_until=valid_until, acting=acting or "")
        except InvalidField as exc:
            raise _refused(exc, ARGUMENTS) from None
        acting_text = f" sebagai {ACTING_WORDS[assignment.acting]}" if assignment.acting else ""
        self.emit({"ok": True, "assignment": self._assignment(assignment), "user": assignment.user.username},
                  f"{assignment.user.username} memegang peran {assignment.role.name} di {assignment.org_unit.name}{acting_text}, "
                  f"berlaku {period_text(assignment.valid_from, assignment.valid_until)} (penugasan #{assignment.pk}).")

    def do_list(self, role=None, unit=None, **_):
        try:
            role_key = role_by_key(role).key if role else None
            unit_code = unit_by_code(unit).code if unit else None
        except InvalidField as exc:
            raise _refused(exc, LIST_ARGUMENTS) from None
        people = people_with_roles(role_key=role_key, unit_code=unit_code)
        rows = [{"username": p.username, "name": p.get_full_name(), "email": p.email, "active": p.is_active,
                 "staff": p.is_staff, "roles": [self._assignment(a) for a in p.roles_in_force]} for p in people]
        if people:
            text = table(["Pengguna", "Nama", "Surel", "Aktif", "Peran yang berlaku hari ini"],
                         [[p.username, p.get_full_name() or "-", p.email or "-", "ya" if p.is_active else "tidak",
                           "; ".join(_role_text(a) for a in p.roles_in_force) or "-"] for p in people],
                         wrap={1: 40, 4: 90})
        else:
            text = "Tidak ada pengguna yang cocok."
        self.emit({"ok": True, "people": rows}, text)

    @staticmethod
    def _assignment(assignment: RoleAssignment) -> dict:
        return {"id": assignment.pk, "role": assignment.role_id, "role_name": assignment.role.name,
                "unit": assignment.org_unit.code, "unit_name": assignment.org_unit.name, "acting": assignment.acting or None,
                "valid_from": assignment.valid_from, "valid_until": assignment.valid_until}
