"""Importing the office's XLSX register of agreements signed before Alur.

An import is two moves. The dry run (`plan_import`) reads the whole file and writes nothing: it
lists every problem by row and column, the rows that would be added, and the rows the register
already holds (same number, same content: skipped, so a re-run adds nothing twice). The import
(`import_register`) runs the dry run again inside its transaction and writes every row or none:
it refuses while a single problem remains. Each row passes the checks a hand entry passes
(entry.py), and is written by the same service.

The columns are matched by their Indonesian headers, without regard to case, spaces or
punctuation; the header row may sit below a title of a few rows. `template_xlsx` gives the empty
register with its headers, choices and a sheet of instructions.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation

from alur.org.models import OrgUnit
from alur.workflow.audit import record_event
from alur.workflow.errors import InvalidInput, NotAllowed, WorkflowError
from alur.workflow.uploads import MB, max_upload_bytes

from . import entry
from .models import URUSAN, Agreement, Partner
from .selectors import keeps_register
from .validity import check_validity

MAX_ROWS = 5000
HEADER_SCAN_ROWS = 10
# A worksheet is XML and packs tightly: refuse a file that would unpack to more than this.
MAX_UNPACKED_BYTES = 200 * MB
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("number", "Nomor", True, "Nomor register perjanjian di pihak Pemerintah Provinsi; tidak boleh ganda.",
           "180/12/PEM/2024", ("nomor register", "nomor perjanjian")),
    Column("partner_number", "Nomor Pihak Ketiga", False, "Nomor perjanjian di pihak ketiga.", "045/PKS/PWS/2024"),
    Column("kind", "Jenis", True, "PKS, MoU, atau Addendum.", "PKS", ("jenis perjanjian",)),
    Column("title", "Judul", True, "Judul perjanjian.", "PKS Promosi Wisata Bahari", ("judul perjanjian",)),
    Column("partner", "Pihak Ketiga", True, "Nama pihak ketiga, sama persis dengan direktori bila sudah ada.",
           "PT Pesona Wisata Serumpun", ("nama pihak ketiga", "mitra")),
    Column("partner_kind", "Jenis Pihak Ketiga", False,
           "Wajib untuk pihak ketiga baru: Badan usaha, BUMN / BUMD, Perguruan tinggi, Organisasi kemasyarakatan, "
           "Perorangan, Lainnya.", "Badan usaha"),
    Column("address", "Alamat", False, "Alamat pihak ketiga baru.", "Jl. Jenderal Sudirman No. 10, Pangkalpinang",
           ("alamat pihak ketiga",)),
    Column("opd", "OPD", True, "Kode atau nama OPD pelaksana.", "dispar", ("perangkat daerah", "opd pelaksana")),
    Column("object", "Objek", True, "Objek kerja sama.", "Promosi pariwisata bersama", ("objek kerja sama",)),
    Column("scope", "Ruang Lingkup", True, "Ruang lingkup kerja sama.", "Promosi, pelatihan pemandu wisata"),
    Column("urusan", "Urusan", False, "Urusan pemerintahan (UU 23/2014), misalnya Pariwisata.", "Pariwisata",
           ("urusan pemerintahan",)),
    Column("value", "Nilai", False, "Nilai dalam rupiah: angka, atau teks seperti 1.500.000.000 atau Rp 1.500.000,00.",
           "1500000000", ("nilai rp", "nilai perjanjian")),
    Column("signed_on", "Tanggal Tanda Tangan", True, "Tanggal (sel tanggal, atau dd-mm-yyyy / yyyy-mm-dd).",
           "15-03-2024", ("tanggal penandatanganan", "tgl tanda tangan")),
    Column("signed_place", "Tempat", False, "Tempat penandatanganan.", "Pangkalpinang", ("tempat penandatanganan",)),
    Column("signer", "Penandatangan", False, "Gubernur, atau Kepala OPD (dengan surat kuasa).", "Gubernur"),
    Column("power_of_attorney", "Nomor Surat Kuasa", False, "Wajib bila Kepala OPD yang menandatangani.", "",
           ("surat kuasa",)),
    Column("starts_on", "Mulai", True, "Tanggal mulai berlaku.", "15-03-2024", ("tanggal mulai", "mulai berlaku")),
    Column("ends_on", "Berakhir", True, "Tanggal berakhir; paling lama lima tahun sesudah mulai.", "14-03-2026",
           ("tanggal berakhir", "berakhir pada")),
    Column("implements", "Nomor MoU Induk", False,
           "Nomor register MoU yang dilaksanakan PKS ini (di register, atau di baris sebelumnya dalam berkas ini).", "",
           ("mou induk",)),
    Column("amends", "Addendum Atas", False,
           "Untuk addendum: nomor register perjanjian yang diubahnya (di register, atau di baris sebelumnya).", ""),
    Column("legal_basis", "Dasar Hukum", False,
           "Dasar hukum bila jangka waktu lebih dari lima tahun; hanya berlaku bila Karo Pemerintahan yang mengimpor.",
           "", ("dasar hukum pengecualian",)),
    Column("registered_on", "Tanggal Registrasi", False, "Tanggal dicatat di register.", "20-03-2024",
           ("tanggal register",)),
    Column("archive_place", "Tempat Arsip", False, "Tempat naskah asli disimpan.", "Lemari B-2, Biro Pemerintahan",
           ("arsip",)),
)
COLUMN = {column.key: column for column in COLUMNS}
DATE_KEYS = ("signed_on", "starts_on", "ends_on", "registered_on")


def _key(text: Any) -> str:
    """A header or choice as compared: case, spaces and punctuation set aside."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text or "").casefold()).split())


HEADER_KEYS = {_key(alias): column.key for column in COLUMNS for alias in (column.header, *column.aliases)}


def _choices(*pairs: tuple[str, Any], extra: dict[str, str] | None = None) -> dict[str, str]:
    """A choice by its code or its label, the label in Indonesian (the register's language) or in
    English (what a person reading Alur in English sees)."""
    found = {}
    for value, label in pairs:
        found[_key(value)] = value
        for language in ("en", "id"):
            with translation.override(language):
                found[_key(str(label))] = value
    return {**found, **{_key(k): v for k, v in (extra or {}).items()}}


@functools.cache
def _tables() -> dict[str, dict[str, str]]:
    # Built on first use, not at import: labels are translated, which needs the apps loaded.
    return {
        "kind": _choices(*Agreement.Kind.choices, extra={
            "perjanjian kerja sama": "pks", "perjanjian kerjasama": "pks", "kesepakatan bersama": "mou",
            "nota kesepakatan": "mou", "nota kesepahaman": "mou", "memorandum of understanding": "mou",
            "adendum": "addendum"}),
        "partner_kind": _choices(*Partner.Kind.choices, extra={
            "bumn": "bumn_bumd", "bumd": "bumn_bumd", "universitas": "perguruan_tinggi", "ormas": "ormas"}),
        "signer": _choices(*Agreement.Signer.choices, extra={"kepala opd": "kepala_opd",
                                                             "kepala perangkat daerah": "kepala_opd"}),
        "urusan": _choices(*URUSAN),
    }

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2, "maret": 3, "mar": 3,
    "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10, "november": 11, "nov": 11, "nopember": 11, "desember": 12,
    "des": 12, "december": 12, "dec": 12,
}


# --- what a dry run finds -----------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One problem of the file: its row (None: the file as a whole), the column header as the file
    writes it, and what is wrong."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlannedRow:
    """A row of the file with its values read."""

    row: int
    values: dict[str, Any]
    partner_new: bool = False
    existing_id: int | None = None  # present rows: the agreement already in the register

    @property
    def number(self) -> str:
        return self.values.get("number", "")

    @property
    def title(self) -> str:
        return self.values.get("title", "")

    @property
    def kind_label(self) -> str:
        kind = self.values.get("kind")
        return Agreement.Kind(kind).label if kind else ""

    @property
    def org_unit(self) -> OrgUnit | None:
        return self.values.get("org_unit")

    def as_dict(self) -> dict:
        data = {"row": self.row, "number": self.number, "kind": self.values.get("kind"), "title": self.title,
                "partner": self.values.get("partner"), "partner_new": self.partner_new,
                "opd": self.org_unit.code if self.org_unit else None,
                "starts_on": _iso(self.values.get("starts_on")), "ends_on": _iso(self.values.get("ends_on"))}
        if self.existing_id is not None:
            data["agreement"] = self.existing_id
        return data


def _iso(value):
    return value.isoformat() if value else None


@dataclass
class ImportPlan:
    name: str
    sha256: str
    sheet: str
    header_row: int
    problems: list[Problem] = field(default_factory=list)
    to_add: list[PlannedRow] = field(default_factory=list)
    present: list[PlannedRow] = field(default_factory=list)
    new_partners: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"file": self.name, "sha256": self.sha256, "sheet": self.sheet, "header_row": self.header_row,
                "problems": [p.as_dict() for p in self.problems], "add": [r.as_dict() for r in self.to_add],
                "present": [r.as_dict() for r in self.present], "new_partners": self.new_partners,
                "ignored_columns": self.ignored_columns}


class ImportRefused(InvalidInput):
    """The file has problems: nothing was written. The plan says which."""

    def __init__(self, plan: ImportPlan):
        count = len(plan.problems)
        super().__init__(f"Berkas {plan.name} memiliki {count} masalah; tidak ada yang dicatat. "
                         "Perbaiki berkasnya lalu periksa lagi.")
        self.plan = plan


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    added: list[Agreement]


# --- the file ------------------------------------------------------------------------------------

def check_xlsx(*, name: str, content: bytes) -> None:
    """Refuse anything but a real XLSX workbook within the size limit, by its bytes. Only the
    ZIP's directory is read here; nothing is unpacked."""
    label = name or "(tanpa nama)"
    if not content:
        raise InvalidInput(f"Berkas {label} kosong.")
    check_size(name=name, size=len(content))
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InvalidInput(f"Berkas {label} tampaknya buku kerja Excel lama (.xls) atau berkas terkunci kata sandi. "
                           "Simpan sebagai .xlsx (Excel Workbook) lalu unggah lagi.")
    if content[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
        what = ("dokumen PDF" if content.startswith(b"%PDF-") else "teks (CSV?)" if _looks_like_text(content[:4096])
                else "bukan buku kerja Excel")
        raise InvalidInput(f"Berkas {label} tampaknya {what}. Yang diterima: buku kerja Excel .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
        raise InvalidInput(f"Berkas {label} rusak: tidak dapat dibuka sebagai .xlsx. Simpan ulang lalu unggah lagi.") from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        raise InvalidInput(f"Berkas {label} bukan buku kerja Excel .xlsx (isinya ZIP lain, misalnya DOCX atau ODS). "
                           "Simpan sebagai .xlsx lalu unggah lagi.")
    if any(member.flag_bits & 0x1 for member in members):
        raise InvalidInput(f"Berkas {label} dikunci kata sandi; buka kuncinya lalu unggah lagi.")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise InvalidInput(f"Berkas {label} terlalu besar setelah dibuka (lebih dari {_mb(MAX_UNPACKED_BYTES)}); "
                           "bagi registernya menjadi beberapa berkas.")


def check_size(*, name: str, size: int) -> None:
    """Refuse a file over the upload limit (ALUR_MAX_UPLOAD_MB), before it is read."""
    limit = max_upload_bytes()
    if size > limit:
        raise InvalidInput(f"Berkas {name or '(tanpa nama)'} berukuran {_mb(size)}; batasnya {_mb(limit)}. "
                           "Bagi registernya menjadi beberapa berkas.")


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB".replace(".", ",")


def _looks_like_text(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample


def _read_sheets(name: str, content: bytes):
    """(sheet title, header row number, {column key: (index, header as written)}, ignored headers,
    rows as (row number, values)) of the first sheet that has the register's headers."""
    from openpyxl import load_workbook

    label = name or "(tanpa nama)"
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on damaged input; each means the same to the user
        raise InvalidInput(f"Berkas {label} tidak dapat dibaca sebagai buku kerja .xlsx. Simpan ulang lalu unggah lagi.") from None
    try:
        best = None
        for sheet in workbook.worksheets:
            head = list(sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True))
            for index, cells in enumerate(head, start=1):
                found = {HEADER_KEYS[_key(c)] for c in cells if _key(c) in HEADER_KEYS}
                if "number" in found and len(found) >= 3 and (best is None or len(found) > len(best[2])):
                    best = (sheet, index, found, cells)
            if best is not None and best[0] is sheet:
                break
        if best is None:
            raise InvalidInput(f"Berkas {label} tidak memuat baris judul kolom register (misalnya Nomor, Jenis, Judul, "
                               f"Pihak Ketiga) di {HEADER_SCAN_ROWS} baris pertama lembar mana pun. Gunakan templat impor.")
        sheet, header_row, _found, cells = best
        columns: dict[str, tuple[int, str]] = {}
        ignored = []
        for index, cell in enumerate(cells):
            text = " ".join(str(cell).split()) if cell is not None else ""
            key = HEADER_KEYS.get(_key(cell))
            if key is None:
                if text:
                    ignored.append(text)
                continue
            if key in columns:
                raise InvalidInput(f"Kolom {COLUMN[key].header} muncul dua kali di baris judul (kolom "
                                   f"{_letter(columns[key][0])} dan {_letter(index)}); hapus salah satunya.")
            columns[key] = (index, text)
        missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
        if missing:
            raise InvalidInput(f"Berkas {label}: kolom wajib tidak ada di baris judul (baris {header_row}): "
                               f"{', '.join(missing)}. Gunakan templat impor.")
        rows = []
        for number, values in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(f"Berkas {label} memuat lebih dari {MAX_ROWS} baris perjanjian; bagi menjadi beberapa berkas.")
            rows.append((number, values))
        return sheet.title, header_row, columns, ignored, rows
    finally:
        workbook.close()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- reading values -----------------------------------------------------------------------------

class _Bad(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def parse_date(value: Any) -> datetime.date | None:
    """A date from a cell: a real Excel date, or text dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd or
    '15 Maret 2024'."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)):
        raise _Bad(f"angka {_text(value)}, bukan tanggal; format selnya sebagai tanggal atau tulis dd-mm-yyyy")
    raw = _text(value)
    text = re.sub(r"[ T]00:00(:00)?$", "", raw)
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text):
        year, month, day = (int(g) for g in match.groups())
    elif (match := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)) and match.group(2).casefold() in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).casefold()], int(match.group(3))
    else:
        raise _Bad(f"'{raw}' bukan tanggal; tulis dd-mm-yyyy (misalnya 31-12-2026) atau yyyy-mm-dd, atau gunakan sel tanggal")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _Bad(f"tanggal '{raw}' tidak ada di kalender") from None


def parse_value(value: Any) -> Decimal | None:
    """Rupiah from a cell: a number, or text with Indonesian (1.500.000,50) or plain digits."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(f"'{value}' bukan nilai rupiah")
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        raw = _text(value)
        text = re.sub(r"^rp\.?\s*", "", raw.casefold()).replace(" ", "").removesuffix(",-")
        if text in ("", "-"):
            return None
        if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text) or re.fullmatch(r"\d+,\d+", text):
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
        elif not re.fullmatch(r"\d+(\.\d+)?", text):
            raise _Bad(f"'{raw}' bukan nilai rupiah; tulis angka, misalnya 1500000000 atau 1.500.000.000")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _Bad(f"'{raw}' bukan nilai rupiah") from None
    return amount.quantize(Decimal("0.01"))


def _choice(table: dict[str, str], value: Any) -> str | None:
    return table.get(_key(value))


# --- the dry run --------------------------------------------------------------------------------

def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def plan_import(*, actor, name: str, content: bytes) -> ImportPlan:
    """Read the file and say what an import would do; writes nothing. Raises InvalidInput when
    the file itself cannot be used (not an XLSX, too large, missing columns)."""
    if actor is not None and not keeps_register(actor):
        raise NotAllowed("Hanya Pengelola Informasi Kerja Sama, Kabag Kerja Sama atau Karo Pemerintahan yang mengimpor "
                         "register perjanjian.")
    check_xlsx(name=name, content=content)
    sheet, header_row, columns, ignored, raw_rows = _read_sheets(name, content)
    plan = ImportPlan(name=name, sha256=sha256_of(content), sheet=sheet, header_row=header_row, ignored_columns=ignored)
    _Planner(plan, actor, columns, raw_rows).run()
    return plan


class _Planner:
    def __init__(self, plan: ImportPlan, actor, columns: dict[str, tuple[int, str]], raw_rows):
        self.plan, self.actor, self.columns, self.raw_rows = plan, actor, columns, raw_rows
        self.opds = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD))
        self.other_units = {_key(u.code): u for u in OrgUnit.objects.exclude(kind=OrgUnit.Kind.OPD)}
        self.other_units |= {_key(u.name): u for u in self.other_units.values()}
        self.today = timezone.localdate()
        self.found: list[tuple[tuple[int, int, int], Problem]] = []  # (row, column's place, order found), problem

    def header(self, key: str) -> str:
        return self.columns[key][1] if key in self.columns else COLUMN[key].header

    def problem(self, row: int, key: str, message: str) -> None:
        place = self.columns[key][0] if key in self.columns else len(COLUMNS) + 100
        self.found.append(((row, place, len(self.found)), Problem(row, self.header(key), message)))

    def run(self) -> None:
        rows = [self.read(number, values) for number, values in self.raw_rows]
        numbers = {entry.clean_text(v).casefold() for r, _ in rows for k in ("number", "implements", "amends")
                   if (v := r.values.get(k))}
        self.register = {a.number.casefold(): a for a in Agreement.objects.annotate(lower=Lower("number"))
                         .filter(lower__in=numbers).select_related("partner", "org_unit", "implements", "amends")}
        names = {r.values["partner"].casefold() for r, _ in rows if r.values.get("partner")}
        self.partners = {p.name.casefold(): p for p in Partner.objects.annotate(lower=Lower("name")).filter(lower__in=names)}
        self.in_file: dict[str, PlannedRow] = {}  # number -> first row giving it
        self.new_partners: dict[str, int] = {}  # partner name -> first row introducing it
        self.first_row_of: dict[str, int] = {}
        for row, _ in rows:
            self.first_row_of.setdefault(row.number.casefold(), row.row)
        for row, ok in rows:
            self.check(row, ok)
        self.plan.new_partners = self._new_partner_names()
        self.plan.problems = [problem for _place, problem in sorted(self.found, key=lambda found: found[0])]

    # Reading one row's cells into values; a cell that cannot be read is a problem of its column.
    def read(self, number: int, cells) -> tuple[PlannedRow, bool]:
        values: dict[str, Any] = {}
        ok = True

        def cell(key):
            if key not in self.columns:
                return None
            index = self.columns[key][0]
            return cells[index] if index < len(cells) else None

        for column in COLUMNS:
            raw = cell(column.key)
            try:
                if column.key in DATE_KEYS:
                    value = parse_date(raw)
                elif column.key == "value":
                    value = parse_value(raw)
                elif column.key in ("object", "scope", "address", "legal_basis"):
                    value = str(raw).strip() if raw is not None else ""
                    if isinstance(raw, (datetime.date, datetime.datetime, int, float)):
                        value = _text(raw)
                else:
                    value = _text(raw)
            except _Bad as exc:
                self.problem(number, column.key, _sentence(str(exc)))
                ok = False
                continue
            if column.required and value in (None, ""):
                self.problem(number, column.key, f"{column.header} wajib diisi.")
                ok = False
                continue
            if value not in (None, ""):
                values[column.key] = value
        if "kind" in values:
            kind = _choice(_tables()["kind"], values["kind"])
            if kind is None:
                self.problem(number, "kind", f"Jenis '{values['kind']}' tidak dikenal; tulis PKS, MoU atau Addendum.")
                ok = False
                del values["kind"]
            else:
                values["kind"] = kind
        if "opd" in values:
            unit = self.find_opd(values["opd"])
            if unit is None:
                other = self.other_units.get(_key(values["opd"]))
                known = ", ".join(sorted(u.code for u in self.opds)) or "belum ada"
                message = (f"{other.name} bukan OPD" if other else f"OPD '{values['opd']}' tidak dikenal") + \
                          f"; tulis kode atau nama OPD (yang dikenal: {known})."
                self.problem(number, "opd", message)
                ok = False
            else:
                values["org_unit"] = unit
            del values["opd"]
        for key, what in (("partner_kind", "Jenis pihak ketiga"), ("signer", "Penandatangan"), ("urusan", "Urusan")):
            if key in values:
                found = _choice(_tables()[key], values[key])
                if found is None:
                    hint = {"partner_kind": "; pilih Badan usaha, BUMN / BUMD, Perguruan tinggi, Organisasi kemasyarakatan, "
                                            "Perorangan atau Lainnya",
                            "signer": "; tulis Gubernur atau Kepala OPD",
                            "urusan": "; lihat daftar urusan di templat"}[key]
                    self.problem(number, key, f"{what} '{values[key]}' tidak dikenal{hint}.")
                    ok = False
                    del values[key]
                else:
                    values[key] = found
        return PlannedRow(row=number, values=values), ok

    def find_opd(self, text: str) -> OrgUnit | None:
        key = _key(text)
        for unit in self.opds:
            if _key(unit.code) == key or _key(unit.name) == key:
                return unit
        return None

    # The rules, across rows and against the register.
    def check(self, row: PlannedRow, readable: bool) -> None:
        values, n = row.values, row.row
        number = values.get("number", "")
        before = len(self.found)
        if number:
            first = self.in_file.get(number.casefold())
            if first is not None:
                # Reported, and the row's other values still checked: the dry run shows every problem.
                self.problem(n, "number", f"Nomor {number} sudah dipakai di baris {first.row} berkas ini.")
            else:
                self.in_file[number.casefold()] = row
                existing = self.register.get(number.casefold())
                if existing is not None:
                    self.compare(row, existing)
                    return
        self.check_partner(row)
        # The entry's own rules, each message under its column (record_signed_agreement runs them
        # again when the import is confirmed).
        checks = [(key, functools.partial(entry.check_length, key, values[key])) for key in entry.LENGTH_LIMITED if key in values]
        checks.append(("value", lambda: entry.check_value(values.get("value"))))
        if number and values.get("kind"):
            checks.append(("number", lambda: entry.check_number_series(number, values["kind"])))
        checks.append(("registered_on", lambda: entry.check_registered_on(values.get("registered_on"), values.get("signed_on"))))
        for key, check in checks:
            try:
                check()
            except InvalidInput as exc:
                self.problem(n, key, exc.message)
        if "signed_on" in values and values["signed_on"] > self.today:
            self.problem(n, "signed_on", f"Tanggal tanda tangan {values['signed_on']:%d-%m-%Y} di masa depan.")
        if "starts_on" in values and "ends_on" in values:
            try:
                values["legal_basis"] = check_validity(starts_on=values["starts_on"], ends_on=values["ends_on"],
                                                       legal_basis=values.get("legal_basis", ""), actor=self.actor)
            except NotAllowed as exc:
                self.problem(n, "legal_basis" if values.get("legal_basis") else "ends_on", exc.message)
            except InvalidInput as exc:
                self.problem(n, "ends_on", exc.message)
        if values.get("signer") == Agreement.Signer.KEPALA_OPD and not values.get("power_of_attorney"):
            key = "power_of_attorney" if "power_of_attorney" in self.columns else "signer"
            self.problem(n, key, "Kepala OPD menandatangani dengan surat kuasa: isi nomor surat kuasanya.")
        kind = values.get("kind")
        mou = self.reference(row, "implements")
        if kind and mou is not None:
            mou_kind = mou.kind if isinstance(mou, Agreement) else mou.values.get("kind")
            if mou_kind and mou_kind != Agreement.Kind.MOU:
                self.problem(n, "implements", f"{values['implements']} bukan MoU ({Agreement.Kind(mou_kind).label}); "
                                              "PKS hanya dapat melaksanakan MoU.")
            elif kind == Agreement.Kind.MOU:
                self.problem(n, "implements", "MoU tidak melaksanakan MoU lain; kosongkan Nomor MoU Induk.")
        amended = self.reference(row, "amends")
        if kind == Agreement.Kind.ADDENDUM and "amends" not in values:
            self.problem(n, "amends" if "amends" in self.columns else "kind",
                         "Addendum harus menyebut nomor perjanjian yang diubahnya (kolom Addendum Atas).")
        elif kind and amended is not None and kind != Agreement.Kind.ADDENDUM:
            self.problem(n, "kind", f"Baris ini mengubah perjanjian {values['amends']} (Addendum Atas), jadi jenisnya "
                                    f"harus Addendum, bukan {Agreement.Kind(kind).label}.")
        if readable and len(self.found) == before:
            self.plan.to_add.append(row)

    def check_partner(self, row: PlannedRow) -> None:
        name = row.values.get("partner")
        if not name:
            return
        key = name.casefold()
        if key in self.partners:
            row.values["partner"] = self.partners[key].name
            return
        row.partner_new = True
        if key in self.new_partners:
            return
        if not row.values.get("partner_kind"):
            self.problem(row.row, "partner_kind", f"Pihak ketiga '{name}' belum ada di direktori: isi Jenis Pihak "
                                                  "Ketiga untuknya (Badan usaha, BUMN / BUMD, Perguruan tinggi, ...).")
            return
        self.new_partners[key] = row.row

    def _new_partner_names(self) -> list[str]:
        names = {}
        for row in self.plan.to_add:
            if row.partner_new:
                names.setdefault(row.values["partner"].casefold(), row.values["partner"])
        return list(names.values())

    def reference(self, row: PlannedRow, key: str):
        """The agreement a row points at (MoU induk, addendum atas): in the register, or a row
        above in the file. Reports it when it is neither."""
        number = row.values.get(key)
        if not number:
            return None
        found = self.register.get(number.casefold()) or self.in_file.get(number.casefold())
        if found is row:
            self.problem(row.row, key, "Baris ini merujuk dirinya sendiri.")
            return None
        if found is not None:
            return found
        later = self.first_row_of.get(number.casefold())
        if later is not None and later > row.row:
            self.problem(row.row, key, f"Perjanjian {number} baru ada di baris {later}, sesudah baris ini; letakkan "
                                       "barisnya lebih dahulu.")
        else:
            what = "MoU" if key == "implements" else "Perjanjian"
            self.problem(row.row, key, f"{what} bernomor {number} tidak ada di register maupun di baris sebelumnya.")
        return None

    def compare(self, row: PlannedRow, existing: Agreement) -> None:
        """A number the register already holds: the same agreement (skipped), or a conflict in each
        column where the file says otherwise."""
        values = row.values
        register = {
            "kind": existing.kind, "title": existing.title, "partner": existing.partner.name,
            "org_unit": existing.org_unit, "object": existing.object, "scope": existing.scope,
            "urusan": existing.urusan, "value": existing.value, "signed_on": existing.signed_on,
            "signed_place": existing.signed_place, "signer": existing.signer,
            "power_of_attorney": existing.power_of_attorney, "starts_on": existing.starts_on, "ends_on": existing.ends_on,
            "partner_number": existing.partner_number, "registered_on": existing.registered_on,
            "archive_place": existing.archive_place,
            "implements": existing.implements.number if existing.implements else None,
            "amends": existing.amends.number if existing.amends else None,
        }
        differs = False
        for key, theirs in register.items():
            if key not in values:
                continue
            ours = values[key]
            if _same(ours, theirs):
                continue
            differs = True
            column = "opd" if key == "org_unit" else key
            self.problem(row.row, column, f"Nomor {existing.number} sudah ada di register (perjanjian #{existing.pk}) "
                                          f"dengan {COLUMN[column].header} {_show(theirs)}; berkas menulis {_show(ours)}.")
        if not differs:
            row.existing_id = existing.pk
            self.plan.present.append(row)


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _same(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, str) or isinstance(theirs, str):
        return entry.clean_text(ours).casefold() == entry.clean_text(theirs).casefold()
    return ours == theirs


def _show(value: Any) -> str:
    if value in (None, ""):
        return "(kosong)"
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, OrgUnit):
        return value.code
    return f"\u201c{value}\u201d"


# --- the import ---------------------------------------------------------------------------------

def import_register(*, actor, name: str, content: bytes, sha256: str | None = None) -> ImportResult:
    """Write every row the dry run would add, in one transaction, or nothing: refused (ImportRefused,
    with the plan) while the file has a problem. `sha256`, when given, must be the file's: the
    file confirmed is the file that was shown."""
    if actor is None or not keeps_register(actor):
        raise NotAllowed("Hanya Pengelola Informasi Kerja Sama, Kabag Kerja Sama atau Karo Pemerintahan yang mengimpor "
                         "register perjanjian.")
    if sha256 is not None and sha256_of(content) != sha256:
        raise InvalidInput(f"Berkas {name} berubah sejak pratinjau; unggah dan periksa lagi.")
    try:
        with transaction.atomic():
            return _import(actor=actor, name=name, content=content)
    except IntegrityError:
        # Someone registered one of these numbers between the dry run and this write.
        raise InvalidInput("Register berubah selama impor (nomor yang sama baru saja dicatat); tidak ada yang dicatat. "
                           "Periksa berkasnya lagi.") from None


def _import(*, actor, name: str, content: bytes) -> ImportResult:
    plan = plan_import(actor=actor, name=name, content=content)
    if not plan.ok:
        raise ImportRefused(plan)
    created: dict[str, Agreement] = {}
    partners: dict[str, Partner] = {}
    added = []
    for row in plan.to_add:
        values = row.values
        partner_key = values["partner"].casefold()
        if partner_key in partners:
            partner = partners[partner_key]
        else:
            partner = Partner.objects.filter(name__iexact=values["partner"]).first() or entry.PartnerDetails(
                name=values["partner"], kind=values.get("partner_kind", ""), address=values.get("address", ""))
        refs = {}
        for key in ("implements", "amends"):
            number = values.get(key)
            refs[key] = (created.get(number.casefold()) or entry.same_number(number).first()) if number else None
        try:
            agreement = entry.record_signed_agreement(
                actor=actor, kind=values["kind"], number=values["number"], title=values["title"], partner=partner,
                org_unit=values["org_unit"], object=values["object"], scope=values["scope"],
                signed_on=values["signed_on"], starts_on=values["starts_on"], ends_on=values["ends_on"],
                partner_number=values.get("partner_number", ""), urusan=values.get("urusan", ""),
                value=values.get("value"), signed_place=values.get("signed_place", ""), signer=values.get("signer", ""),
                power_of_attorney=values.get("power_of_attorney", ""), legal_basis=values.get("legal_basis", ""),
                implements=refs["implements"], amends=refs["amends"], registered_on=values.get("registered_on"),
                archive_place=values.get("archive_place", ""), source=Agreement.Source.IMPORT,
                audit={"import": {"file": name, "sha256": plan.sha256, "row": row.row}},
            )
        except WorkflowError as exc:  # the dry run should have said so; refuse the whole file all the same
            plan.problems.append(Problem(row.row, "", exc.message))
            raise ImportRefused(plan) from None
        partners[partner_key] = agreement.partner
        created[agreement.number.casefold()] = agreement
        added.append(agreement)
    record_event(action="register.imported", actor=actor, data={
        "file": name, "sha256": plan.sha256, "sheet": plan.sheet, "added": [a.pk for a in added],
        "present": [r.existing_id for r in plan.present], "new_partners": plan.new_partners,
    })
    return ImportResult(plan=plan, added=added)


# --- the file between the dry run and the confirmation (web) ------------------------------------

HELD_FOLDER = "imports"
HELD_FOR = datetime.timedelta(days=1)


def hold_file(content: bytes) -> str:
    """Keep an uploaded file until its import is confirmed; returns its key. Files held longer
    than a day are let go on the way."""
    _forget_old_files()
    key = secrets.token_hex(16)
    default_storage.save(f"{HELD_FOLDER}/{key}.xlsx", ContentFile(content))
    return key


def held_file(key: str, sha256: str) -> bytes:
    """The held file, checked against the sha256 it had when it was shown."""
    if not re.fullmatch(r"[0-9a-f]{32}", key or ""):
        raise InvalidInput("Berkas pratinjau tidak dikenal; unggah lagi.")
    path = f"{HELD_FOLDER}/{key}.xlsx"
    if not default_storage.exists(path):
        raise InvalidInput("Berkas pratinjau sudah tidak tersimpan (lebih dari sehari, atau sudah diimpor); unggah lagi.")
    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    if sha256_of(content) != sha256:
        raise InvalidInput("Berkas pratinjau berubah sejak diperiksa; unggah lagi.")
    return content


def release_file(key: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}", key or ""):
        default_storage.delete(f"{HELD_FOLDER}/{key}.xlsx")


def _forget_old_files() -> None:
    try:
        _dirs, files = default_storage.listdir(HELD_FOLDER)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - HELD_FOR
    for name in files:
        path = f"{HELD_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:
            continue


# --- the template ---------------------------------------------------------------------------------

def template_xlsx() -> bytes:
    """The empty register to fill in: the headers, choices where a column has them (the OPDs of
    this installation among them), date columns as dates, and a sheet that explains each column."""
    import xlsxwriter

    with translation.override("id"):  # the register is kept in Indonesian, whoever downloads it
        return _template_xlsx(xlsxwriter)


def _template_xlsx(xlsxwriter) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"})
    wanted = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "top"})
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    money = workbook.add_format({"num_format": "#,##0"})
    text = workbook.add_format({"num_format": "@"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    sheet = workbook.add_worksheet("Register")
    choices = workbook.add_worksheet("Pilihan")
    guide = workbook.add_worksheet("Petunjuk")
    lists = {
        "kind": ["PKS", "MoU", "Addendum"],
        "partner_kind": [str(label) for _v, label in Partner.Kind.choices],
        "signer": ["Gubernur", "Kepala OPD"],
        "urusan": [str(label) for _v, label in URUSAN],
        "opd": [u.code for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).order_by("code")],
    }
    for col, (key, options) in enumerate(lists.items()):
        choices.write(0, col, COLUMN[key].header, bold)
        for row, option in enumerate(options, start=1):
            choices.write_string(row, col, option)
    choices.hide()
    last = MAX_ROWS + 1
    for col, column in enumerate(COLUMNS):
        sheet.write(0, col, column.header, wanted if column.required else bold)
        width = 14 if column.key in DATE_KEYS else 30 if column.key in ("title", "object", "scope", "partner") else 20
        cell_format = date if column.key in DATE_KEYS else money if column.key == "value" else \
            text if column.key in ("number", "partner_number", "implements", "amends", "power_of_attorney") else None
        sheet.set_column(col, col, width, cell_format)
        sheet.write_comment(0, col, column.help, {"x_scale": 2})
        if column.key in lists and lists[column.key]:
            source_col = list(lists).index(column.key)
            letter = chr(ord("A") + source_col)
            sheet.data_validation(1, col, last, col, {
                "validate": "list", "source": f"=Pilihan!${letter}$2:${letter}${len(lists[column.key]) + 1}",
                "error_type": "warning" if column.key == "opd" else "stop", "ignore_blank": True})
        if column.key in DATE_KEYS:
            sheet.data_validation(1, col, last, col, {
                "validate": "date", "criteria": "between", "minimum": datetime.date(1945, 8, 17),
                "maximum": datetime.date(2200, 12, 31), "error_type": "warning",
                "error_message": "Isi tanggal, misalnya 31-12-2026."})
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 32)

    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 10)
    guide.set_column(2, 2, 80, wrap)
    guide.set_column(3, 3, 30)
    for col, title in enumerate(("Kolom", "Wajib", "Isi", "Contoh")):
        guide.write(0, col, title, bold)
    for row, column in enumerate(COLUMNS, start=1):
        guide.write_string(row, 0, column.header)
        guide.write_string(row, 1, "wajib" if column.required else "")
        guide.write_string(row, 2, column.help)
        guide.write_string(row, 3, column.example)
    notes = [
        "Isi satu perjanjian per baris di lembar Register, mulai baris 2. Judul kolom boleh huruf besar atau kecil.",
        "Impor selalu dimulai dengan pratinjau: setiap masalah ditunjukkan per baris dan kolom; tidak ada yang dicatat "
        "sampai semua baris benar dan impor dikonfirmasi.",
        "Nomor yang sudah ada di register dengan isi yang sama dilewati, jadi berkas yang sama boleh diimpor ulang.",
        "PKS yang melaksanakan MoU, dan addendum, boleh merujuk perjanjian di baris sebelumnya dalam berkas yang sama.",
    ]
    for offset, note in enumerate(notes, start=len(COLUMNS) + 2):
        guide.merge_range(offset, 0, offset, 3, note, wrap)
        guide.set_row(offset, 30)
    sheet.activate()
    workbook.close()
    return buffer.getvalue()
