"""Importing the office's XLSX register: the dry run's problems by row and column, all or
nothing, re-runs that add nothing twice, references within the file, and bad files."""
from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from alur.agreements import imports
from alur.agreements.entry import record_signed_agreement
from alur.agreements.imports import ImportRefused, import_register, plan_import, template_xlsx
from alur.agreements.models import Agreement, Partner
from alur.org.models import OrgUnit
from alur.workflow.errors import InvalidInput, NotAllowed
from alur.workflow.models import AuditEvent

from .xlsx import HEADERS, row, xlsx


def problems(plan) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in plan.problems]


def where(plan) -> list[tuple[int | None, str]]:
    return [(p.row, p.column) for p in plan.problems]


def plan_of(users, rows, by="pengelola", **kwargs):
    return plan_import(actor=users[by], name="register.xlsx", content=xlsx(rows, **kwargs))


# --- a good file --------------------------------------------------------------------------------

def test_the_dry_run_lists_the_rows_to_add_and_writes_nothing(users):
    plan = plan_of(users, [row(), row(Nomor="180/2/PEM/2024", Judul="PKS Pemandu Wisata", **{
        "Pihak Ketiga": "CV Bahari Jaya", "Jenis Pihak Ketiga": "Badan usaha", "Alamat": "Sungailiat"})])

    assert plan.ok and problems(plan) == []
    assert [(r.row, r.number, r.partner_new) for r in plan.to_add] == [(2, "180/1/PEM/2024", False), (3, "180/2/PEM/2024", True)]
    assert plan.new_partners == ["CV Bahari Jaya"] and plan.present == []
    assert (plan.sheet, plan.header_row) == ("Register", 1)
    assert Agreement.objects.count() == 0 and not Partner.objects.filter(name="CV Bahari Jaya").exists()


def test_the_import_writes_every_row_with_its_values(users):
    content = xlsx([row(**{"Nomor Pihak Ketiga": "045/PKS/PWS/2024", "Nilai": "Rp 1.500.000.000,00"}),
                    row(Nomor="180/2/PEM/2024", OPD="Dinas Kelautan dan Perikanan", **{
                        "Pihak Ketiga": "CV Bahari Jaya", "Jenis Pihak Ketiga": "badan usaha", "Alamat": "Sungailiat",
                        "Penandatangan": "Kepala OPD", "Nomor Surat Kuasa": "SK/7/2024",
                        "Tanggal Tanda Tangan": "12-03-2024", "Mulai": "2024-03-15", "Berakhir": "14 Maret 2025"})],
                   headers=HEADERS + ["Nomor Surat Kuasa"])

    result = import_register(actor=users["pengelola"], name="register.xlsx", content=content)

    first, second = result.added
    assert (first.number, first.partner_number, first.value, first.source, first.duration_months) == (
        "180/1/PEM/2024", "045/PKS/PWS/2024", Decimal("1500000000.00"), "import", 24)
    assert (first.urusan, first.signer, first.signed_place, first.org_unit.code) == ("pariwisata", "gubernur", "Pangkalpinang", "dispar")
    assert (second.org_unit.code, second.partner.name, second.partner.address, second.partner.kind) == (
        "dkp", "CV Bahari Jaya", "Sungailiat", "badan_usaha")
    assert (second.signer, second.power_of_attorney) == ("kepala_opd", "SK/7/2024")
    assert (second.signed_on, second.starts_on, second.ends_on) == (
        datetime.date(2024, 3, 12), datetime.date(2024, 3, 15), datetime.date(2025, 3, 14))


def test_the_kepala_opd_row_needs_its_power_of_attorney(users):
    plan = plan_of(users, [row(Penandatangan="Kepala OPD")])

    assert problems(plan) == [(2, "Penandatangan", "Kepala OPD menandatangani dengan surat kuasa: isi nomor surat kuasanya.")]


def test_the_dry_run_names_values_the_register_cannot_hold_under_their_columns(users):
    plan = plan_of(users, [
        row(Judul="J" * 501),
        row(Nomor="180/2/PEM/2024", Nilai=-5),
        row(Nomor="180/3/PEM/2024", Nilai="1" * 17),
        row(Nomor="119/4/MoU/B.PEM/III/2024", Jenis="PKS"),
        row(Nomor="180/5/PEM/2024", **{"Tanggal Registrasi": "11-03-2024"}),
        row(Nomor="180/6/PEM/2024", **{"Pihak Ketiga": "P" * 301, "Jenis Pihak Ketiga": "Badan usaha"}),
    ], headers=HEADERS + ["Tanggal Registrasi"])

    assert problems(plan) == [
        (2, "Judul", "Judul terlalu panjang: 501 karakter, paling banyak 500."),
        (3, "Nilai", "Nilai perjanjian tidak boleh negatif."),
        (4, "Nilai", "Nilai perjanjian terlalu besar."),
        (5, "Nomor", "Nomor 119/4/MoU/B.PEM/III/2024 ditulis sebagai nomor MoU, padahal jenis perjanjiannya "
                     "Perjanjian Kerja Sama (PKS); periksa jenis atau nomornya."),
        (6, "Tanggal Registrasi", "Tanggal registrasi (11-03-2024) sebelum tanggal penandatanganan (12-03-2024)."),
        (7, "Pihak Ketiga", "Nama pihak ketiga terlalu panjang: 301 karakter, paling banyak 300."),
    ]
    with pytest.raises(ImportRefused):
        import_register(actor=users["pengelola"], name="register.xlsx", content=xlsx([row(Judul="J" * 501)]))
    assert Agreement.objects.count() == 0


def test_the_import_is_audited_row_by_row_and_as_a_whole(users):
    content = xlsx([row()])

    result = import_register(actor=users["pengelola"], name="register.xlsx", content=content)

    recorded = AuditEvent.objects.get(action="agreement.recorded")
    assert recorded.data["import"] == {"file": "register.xlsx", "sha256": imports.sha256_of(content), "row": 2}
    assert recorded.data["source"] == "import"
    imported = AuditEvent.objects.get(action="register.imported")
    assert imported.data["added"] == [result.added[0].pk] and imported.data["sha256"] == imports.sha256_of(content)


def test_a_re_run_of_the_same_file_adds_nothing_twice(users):
    content = xlsx([row(), row(Nomor="180/2/PEM/2024", Judul="PKS Lain")])
    import_register(actor=users["pengelola"], name="register.xlsx", content=content)

    plan = plan_import(actor=users["pengelola"], name="register.xlsx", content=content)
    result = import_register(actor=users["pengelola"], name="register.xlsx", content=content)

    assert plan.ok and plan.to_add == []
    assert [(r.row, r.number, r.existing_id) for r in plan.present] == [
        (2, "180/1/PEM/2024", Agreement.objects.get(number="180/1/PEM/2024").pk),
        (3, "180/2/PEM/2024", Agreement.objects.get(number="180/2/PEM/2024").pk)]
    assert result.added == [] and Agreement.objects.count() == 2


def test_a_file_grown_by_a_row_adds_only_the_new_row(users):
    import_register(actor=users["pengelola"], name="register.xlsx", content=xlsx([row()]))

    result = import_register(actor=users["pengelola"], name="register.xlsx",
                             content=xlsx([row(), row(Nomor="180/2/PEM/2024")]))

    assert [a.number for a in result.added] == ["180/2/PEM/2024"]
    assert [r.row for r in result.plan.present] == [2]


def test_a_number_in_the_register_with_other_content_is_a_problem_per_column(users):
    existing = record_signed_agreement(
        actor=users["pengelola"], kind="pks", number="180/1/PEM/2024", title="PKS Promosi Wisata Bahari",
        partner=Partner.objects.get(name="PT Pesona Wisata Serumpun"), org_unit=OrgUnit.objects.get(code="dispar"),
        object="Promosi pariwisata", scope="Promosi bersama", signed_on=datetime.date(2024, 3, 12),
        starts_on=datetime.date(2024, 3, 15), ends_on=datetime.date(2025, 3, 14))

    # Case and spaces do not count; columns the file leaves empty are not compared.
    plan = plan_of(users, [row(Judul="PKS Promosi  wisata bahari", Urusan=None, Nilai=None, Tempat=None, Penandatangan=None)])

    assert problems(plan) == [(2, "Berakhir", f"Nomor 180/1/PEM/2024 sudah ada di register (perjanjian #{existing.pk}) "
                                              "dengan Berakhir 14-03-2025; berkas menulis 14-03-2026.")]
    assert plan.present == [] and plan.to_add == []


# --- every problem, by row and column -------------------------------------------------------------

def test_bad_dates_are_named_by_row_and_column(users):
    plan = plan_of(users, [row(Mulai="31-02-2024"), row(Nomor="B", Berakhir="kemarin"),
                           row(Nomor="C", **{"Tanggal Tanda Tangan": 45000})])

    assert problems(plan) == [
        (2, "Mulai", "Tanggal '31-02-2024' tidak ada di kalender."),
        (3, "Berakhir", "'kemarin' bukan tanggal; tulis dd-mm-yyyy (misalnya 31-12-2026) atau yyyy-mm-dd, atau gunakan sel tanggal."),
        (4, "Tanggal Tanda Tangan", "Angka 45000, bukan tanggal; format selnya sebagai tanggal atau tulis dd-mm-yyyy."),
    ]


def test_dates_written_as_text_are_read(users):
    plan = plan_of(users, [row(Mulai="15/03/2024", Berakhir="2026-03-14", **{"Tanggal Tanda Tangan": "12 Mar 2024"})])

    assert plan.ok
    assert plan.to_add[0].values["signed_on"] == datetime.date(2024, 3, 12)


def test_an_unknown_opd_names_the_known_ones(users):
    plan = plan_of(users, [row(OPD="dinkes"), row(Nomor="B", OPD="biro-pemerintahan")])

    assert problems(plan) == [
        (2, "OPD", "OPD 'dinkes' tidak dikenal; tulis kode atau nama OPD (yang dikenal: dispar, dkp)."),
        (3, "OPD", "Biro Pemerintahan Setda Provinsi Kepulauan Bangka Belitung bukan OPD; tulis kode atau nama OPD "
                   "(yang dikenal: dispar, dkp)."),
    ]


def test_a_new_partner_needs_a_known_kind(users):
    plan = plan_of(users, [row(**{"Pihak Ketiga": "CV Baru", "Jenis Pihak Ketiga": "koperasi"}),
                           row(Nomor="B", **{"Pihak Ketiga": "CV Lain"})])

    assert where(plan) == [(2, "Jenis Pihak Ketiga"), (2, "Jenis Pihak Ketiga"), (3, "Jenis Pihak Ketiga")]
    assert "Jenis pihak ketiga 'koperasi' tidak dikenal" in plan.problems[0].message
    assert "Pihak ketiga 'CV Lain' belum ada di direktori" in plan.problems[2].message


def test_a_new_partner_is_introduced_once_for_all_its_rows(users):
    plan = plan_of(users, [row(**{"Pihak Ketiga": "CV Baru", "Jenis Pihak Ketiga": "Perorangan"}),
                           row(Nomor="B", **{"Pihak Ketiga": "cv  baru"})])
    result = import_register(actor=users["pengelola"], name="r.xlsx",
                             content=xlsx([row(**{"Pihak Ketiga": "CV Baru", "Jenis Pihak Ketiga": "Perorangan"}),
                                           row(Nomor="B", **{"Pihak Ketiga": "cv  baru"})]))

    assert plan.ok and plan.new_partners == ["CV Baru"]
    assert {a.partner.pk for a in result.added} == {Partner.objects.get(name="CV Baru").pk}


def test_a_number_twice_in_the_file_is_a_problem_of_the_second_row(users):
    plan = plan_of(users, [row(), row(Judul="Lain"), row(Nomor="180/1/pem/2024")])

    assert problems(plan) == [(3, "Nomor", "Nomor 180/1/PEM/2024 sudah dipakai di baris 2 berkas ini."),
                              (4, "Nomor", "Nomor 180/1/pem/2024 sudah dipakai di baris 2 berkas ini.")]
    assert [r.row for r in plan.to_add] == [2]


def test_a_doubled_number_does_not_hide_the_rows_other_problems(users):
    plan = plan_of(users, [row(), row(Berakhir="01-01-2035", OPD="dinkes")])

    assert where(plan) == [(3, "Nomor"), (3, "OPD"), (3, "Berakhir")]


def test_missing_required_values_and_unknown_choices(users):
    plan = plan_of(users, [row(Judul=None, Objek="  ", Jenis="Perda", Urusan="Antariksa", Penandatangan="Sekda",
                               Nilai="satu juta")])

    assert where(plan) == [(2, "Jenis"), (2, "Judul"), (2, "Objek"), (2, "Urusan"), (2, "Nilai"), (2, "Penandatangan")]
    assert problems(plan)[1][2] == "Judul wajib diisi."
    assert "Jenis 'Perda' tidak dikenal" in problems(plan)[0][2]


def test_an_mou_referenced_must_exist_be_an_mou_and_come_first(users):
    plan = plan_of(users, [
        row(Nomor="P/1", **{"Nomor MoU Induk": "M/9"}),  # not anywhere
        row(Nomor="P/2", **{"Nomor MoU Induk": "M/1"}),  # only further down
        row(Nomor="M/1", Jenis="MoU"),
        row(Nomor="P/3", **{"Nomor MoU Induk": "P/2"}),  # a PKS, not an MoU
    ])

    assert problems(plan) == [
        (2, "Nomor MoU Induk", "MoU bernomor M/9 tidak ada di register maupun di baris sebelumnya."),
        (3, "Nomor MoU Induk", "Perjanjian M/1 baru ada di baris 4, sesudah baris ini; letakkan barisnya lebih dahulu."),
        (5, "Nomor MoU Induk", "P/2 bukan MoU (Perjanjian Kerja Sama (PKS)); PKS hanya dapat melaksanakan MoU."),
    ]


def test_addenda_rules(users):
    plan = plan_of(users, [row(Nomor="P/1"), row(Nomor="A/1", Jenis="Addendum"),
                           row(Nomor="A/2", **{"Addendum Atas": "P/1"}), row(Nomor="A/3", Jenis="addendum", **{"Addendum Atas": "X/1"})])

    assert problems(plan) == [
        (3, "Addendum Atas", "Addendum harus menyebut nomor perjanjian yang diubahnya (kolom Addendum Atas)."),
        (4, "Jenis", "Baris ini mengubah perjanjian P/1 (Addendum Atas), jadi jenisnya harus Addendum, bukan "
                     "Perjanjian Kerja Sama (PKS)."),
        (5, "Addendum Atas", "Perjanjian bernomor X/1 tidak ada di register maupun di baris sebelumnya."),
    ]


def test_period_rule_violations(users):
    plan = plan_of(users, [row(Berakhir=datetime.datetime(2030, 3, 16)), row(Nomor="B", Berakhir="01-01-2024"),
                           row(Nomor="C", Berakhir="16-03-2030", **{"Dasar Hukum": "Perpres 12/2021"})])

    assert where(plan) == [(2, "Berakhir"), (3, "Berakhir"), (4, "Dasar Hukum")]
    assert "melebihi 5 tahun" in plan.problems[0].message
    assert "sebelum tanggal mulai" in plan.problems[1].message
    assert "hanya dapat dicatat oleh Karo Pemerintahan" in plan.problems[2].message


def test_the_karo_may_import_a_longer_period_on_its_legal_basis(users):
    result = import_register(actor=users["karo"], name="r.xlsx", content=xlsx(
        [row(Berakhir="16-03-2030", **{"Dasar Hukum": "Perpres 12/2021 pasal 7"})]))

    assert (result.added[0].legal_basis, result.added[0].legal_basis_by) == ("Perpres 12/2021 pasal 7", users["karo"])


def test_signing_in_the_future_is_a_problem(users):
    plan = plan_of(users, [row(**{"Tanggal Tanda Tangan": datetime.datetime.now() + datetime.timedelta(days=5)})])

    assert where(plan) == [(2, "Tanggal Tanda Tangan")]


# --- references within the file ----------------------------------------------------------------------

def test_a_pks_and_an_addendum_may_point_at_rows_above(users):
    content = xlsx([
        row(Nomor="M/1", Jenis="MoU", Judul="MoU Pariwisata"),
        row(Nomor="P/1", **{"Nomor MoU Induk": "m/1"}),
        row(Nomor="A/1", Jenis="Addendum", Judul="Addendum I", **{"Addendum Atas": "P/1"}),
    ])

    result = import_register(actor=users["pengelola"], name="r.xlsx", content=content)

    mou, pks, addendum = result.added
    assert pks.implements == mou and addendum.amends == pks
    assert list(mou.implementations.all()) == [pks]


def test_a_row_may_point_at_an_agreement_already_in_the_register(users):
    import_register(actor=users["pengelola"], name="r.xlsx", content=xlsx([row(Nomor="M/1", Jenis="MoU")]))

    result = import_register(actor=users["pengelola"], name="r.xlsx", content=xlsx(
        [row(Nomor="M/1", Jenis="MoU"), row(Nomor="P/1", **{"Nomor MoU Induk": "M/1"})]))

    assert result.added[0].implements.number == "M/1"


# --- all or nothing -----------------------------------------------------------------------------

def test_one_bad_row_stops_the_whole_file(users):
    content = xlsx([row(), row(Nomor="B", OPD="dinkes"), row(Nomor="C", **{"Pihak Ketiga": "CV Baru", "Jenis Pihak Ketiga": "Perorangan"})])
    events = AuditEvent.objects.count()

    with pytest.raises(ImportRefused) as refused:
        import_register(actor=users["pengelola"], name="register.xlsx", content=content)

    assert where(refused.value.plan) == [(3, "OPD")]
    assert "memiliki 1 masalah; tidak ada yang dicatat" in refused.value.message
    assert Agreement.objects.count() == 0 and not Partner.objects.filter(name="CV Baru").exists()
    assert AuditEvent.objects.count() == events


def test_the_file_confirmed_must_be_the_file_shown(users):
    with pytest.raises(InvalidInput, match="berubah sejak pratinjau"):
        import_register(actor=users["pengelola"], name="r.xlsx", content=xlsx([row()]), sha256="0" * 64)
    assert Agreement.objects.count() == 0


def test_only_those_who_keep_the_register_import(users):
    with pytest.raises(NotAllowed):
        plan_of(users, [row()], by="kepala_dispar")
    with pytest.raises(NotAllowed):
        import_register(actor=users["kepala_dispar"], name="r.xlsx", content=xlsx([row()]))


# --- headers and files ------------------------------------------------------------------------------

def test_headers_match_without_regard_to_case_and_spaces_below_a_title(users):
    headers = [h.upper().replace(" ", "  ") for h in HEADERS] + ["Keterangan"]
    rows = [{h.upper().replace(" ", "  "): v for h, v in row().items()}]
    plan = plan_of(users, rows, headers=headers, above=[["REGISTER PERJANJIAN KERJA SAMA"], ["Biro Pemerintahan"], []])

    assert plan.ok and plan.header_row == 4 and [r.row for r in plan.to_add] == [5]
    assert plan.ignored_columns == ["Keterangan"]


def test_a_file_without_the_required_columns_is_refused_naming_them(users):
    headers = [h for h in HEADERS if h not in ("Mulai", "Berakhir")]
    with pytest.raises(InvalidInput, match="kolom wajib tidak ada di baris judul \\(baris 1\\): Mulai, Berakhir"):
        plan_of(users, [row()], headers=headers)


def test_a_sheet_without_a_header_row_is_refused(users):
    with pytest.raises(InvalidInput, match="tidak memuat baris judul kolom register"):
        plan_of(users, [{"a": 1}], headers=["a", "b"])


def test_a_header_twice_is_refused(users):
    with pytest.raises(InvalidInput, match="Kolom Nomor muncul dua kali"):
        plan_of(users, [row()], headers=HEADERS + ["nomor"])


@pytest.mark.parametrize(("content", "message"), [
    (b"", "kosong"),
    (b"%PDF-1.4 bukan excel", "tampaknya dokumen PDF"),
    (b"\x00\x01\x02\xff\xfe", "bukan buku kerja Excel"),
    (b"Nomor;Judul\n1;PKS\n", "tampaknya teks \\(CSV\\?\\)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel lama \\(.xls\\)"),
    (b"PK\x03\x04 rusak", "rusak"),
])
def test_files_that_are_no_xlsx_are_refused(users, content, message):
    with pytest.raises(InvalidInput, match=message):
        plan_import(actor=users["pengelola"], name="register.xlsx", content=content)


def test_a_docx_is_not_an_xlsx(users):
    from tests.web.helpers import DOCX_BYTES

    with pytest.raises(InvalidInput, match="bukan buku kerja Excel .xlsx"):
        plan_import(actor=users["pengelola"], name="register.xlsx", content=DOCX_BYTES)


def test_a_huge_file_is_refused_before_it_is_opened(users, settings):
    settings.ALUR_MAX_UPLOAD_MB = 1
    with pytest.raises(InvalidInput, match="berukuran 1,5 MB; batasnya 1,0 MB"):
        plan_import(actor=users["pengelola"], name="register.xlsx", content=b"PK\x03\x04" + b"\0" * (3 * 512 * 1024))


def test_too_many_rows_are_refused(users, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with pytest.raises(InvalidInput, match="lebih dari 2 baris perjanjian"):
        plan_of(users, [row(), row(Nomor="B"), row(Nomor="C")])


def test_empty_rows_are_passed_over(users):
    plan = plan_of(users, [row(), {}, {"Judul": "   "}, row(Nomor="B")])

    assert plan.ok and [r.row for r in plan.to_add] == [2, 5]


# --- the template ------------------------------------------------------------------------------------

def test_the_template_is_read_back_as_an_empty_register(users):
    plan = plan_import(actor=users["pengelola"], name="templat.xlsx", content=template_xlsx())

    assert plan.ok and plan.to_add == [] and plan.sheet == "Register"


def test_the_template_filled_in_imports(users):
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook["Register"]
    headers = [c.value for c in sheet[1]]
    values = row(**{"Nomor Surat Kuasa": None, "Tanggal Registrasi": datetime.datetime(2024, 3, 20), "Tempat Arsip": "Lemari B-2"})
    sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = import_register(actor=users["pengelola"], name="templat.xlsx", content=buffer.getvalue())

    assert (result.added[0].registered_on, result.added[0].archive_place) == (datetime.date(2024, 3, 20), "Lemari B-2")
    assert set(headers) == {c.header for c in imports.COLUMNS}
    assert workbook["Pilihan"]["E2"].value == "dispar"


# --- the file kept between dry run and confirmation -------------------------------------------------

def test_a_held_file_comes_back_only_with_its_sha256(db):
    content = b"PK\x03\x04 isi"
    key = imports.hold_file(content)

    assert imports.held_file(key, imports.sha256_of(content)) == content
    with pytest.raises(InvalidInput, match="berubah"):
        imports.held_file(key, "0" * 64)
    with pytest.raises(InvalidInput, match="tidak dikenal"):
        imports.held_file("../../etc/passwd", imports.sha256_of(content))
    imports.release_file(key)
    with pytest.raises(InvalidInput, match="sudah tidak tersimpan"):
        imports.held_file(key, imports.sha256_of(content))


# --- reading cells ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "value"), [
    (1500000000, Decimal("1500000000.00")),
    (2500000.5, Decimal("2500000.50")),
    ("Rp 1.500.000.000,00", Decimal("1500000000.00")),
    ("Rp. 1.500.000,-", Decimal("1500000.00")),
    ("1,500,000.75", Decimal("1500000.75")),
    ("2500000,5", Decimal("2500000.50")),
    ("1.500", Decimal("1500.00")),
    ("-", None),
    (None, None),
])
def test_rupiah_as_the_office_writes_it(cell, value):
    assert imports.parse_value(cell) == value


@pytest.mark.parametrize(("cell", "day"), [
    (datetime.datetime(2024, 3, 15, 0, 0), datetime.date(2024, 3, 15)),
    (datetime.date(2024, 3, 15), datetime.date(2024, 3, 15)),
    ("15-03-2024", datetime.date(2024, 3, 15)),
    ("5/3/2024", datetime.date(2024, 3, 5)),
    ("15.03.2024", datetime.date(2024, 3, 15)),
    ("2024-03-15", datetime.date(2024, 3, 15)),
    ("2024-03-15 00:00:00", datetime.date(2024, 3, 15)),
    ("15 Maret 2024", datetime.date(2024, 3, 15)),
    ("1 Agustus 2024", datetime.date(2024, 8, 1)),
    ("  ", None),
])
def test_dates_as_the_office_writes_them(cell, day):
    assert imports.parse_date(cell) == day


@pytest.mark.parametrize("cell", ["15-03-24", "2024/15/03", "Maret 2024", "15 Marz 2024", True])
def test_what_is_no_date(cell):
    with pytest.raises(imports._Bad):
        imports.parse_date(cell)


def test_choices_are_read_by_code_or_label_in_either_language(users):
    plan = plan_of(users, [row(Urusan="Tourism", Jenis="Kesepakatan Bersama / Nota Kesepakatan (MoU)"),
                           row(Nomor="B", Urusan="pariwisata", **{"Pihak Ketiga": "CV Baru", "Jenis Pihak Ketiga": "BUMN / BUMD"})])

    assert plan.ok
    assert [(r.values["urusan"], r.values["kind"]) for r in plan.to_add] == [("pariwisata", "mou"), ("pariwisata", "pks")]
    assert plan.to_add[1].values["partner_kind"] == "bumn_bumd"


def test_the_template_is_in_indonesian_whoever_downloads_it(db):
    from django.utils import translation

    with translation.override("en"):
        workbook = load_workbook(io.BytesIO(template_xlsx()))
    assert workbook["Pilihan"]["D2"].value == "Pendidikan"
