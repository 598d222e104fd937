"""The rekapitulasi's downloads: the XLSX opens with its columns and every row, its fast row writer
writes what XlsxWriter itself would; the PDF is a PDF, and a list too long for one is refused."""
from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from django.contrib.auth import get_user_model
from django.db import connection, connections

from alur.agreements import exports
from alur.agreements.exports import PDF_LIMIT, TooManyForPdf, _StreamedWorksheet, render_html, render_pdf, write_xlsx
from alur.agreements.models import Agreement, Distribution
from alur.agreements.rekap import COLUMNS, RekapFilters, rekap
from tests.agreements.registerdata import TODAY, agreement, report
from tests.evaluation.pdfbytes import page_sizes, titles

D = datetime.date


@pytest.fixture
def register(users):
    mou = agreement(title="Kesepakatan Bersama Pembangunan Pariwisata", kind=Agreement.Kind.MOU, number="119/1/MOU/2026",
                    partner_name="Kabupaten Belitung")
    pks = agreement(title="PKS Promosi <Wisata> & Budaya", number="119/3/PKS/2026", implements=mou, value=Decimal("1250000000"),
                    urusan="pariwisata", partner_number="PT/12/2026", scope=" Promosi\nbersama ",
                    signer=Agreement.Signer.KEPALA_OPD, power_of_attorney="800/12/2026", archive_place="Lemari arsip 3")
    report(pks, D(2026, 10, 1), "Promosi berjalan")
    Distribution.objects.create(agreement=pks, recipient="Biro Hukum", sent_on=D(2026, 1, 7))
    Distribution.objects.create(agreement=pks, recipient="Inspektorat", sent_on=D(2026, 1, 9))
    agreement(title="Addendum PKS Promosi", kind=Agreement.Kind.ADDENDUM, number="119/4/ADD/2026", amends=pks)
    agreement(title="PKS dalam proses", signed=False, opd="dkp")
    return users


def workbook_of(data) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data if isinstance(data, bytes) else data.read()))


def table_of(sheet) -> tuple[int, list[list]]:
    """The header row's index and the rows under it (up to the total)."""
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "No")
    rows = []
    for row in values[header + 1:]:
        if row[0] is None:
            break
        rows.append(row)
    return header, [values[header]] + rows


def test_the_xlsx_has_the_rekapitulasi_columns_and_one_row_per_agreement(register):
    file, count = write_xlsx(rekap(register["karo"], RekapFilters(), today=TODAY), filters_text="Semua perjanjian",
                             instansi=("PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG",))
    sheet = workbook_of(file)["Rekapitulasi"]
    header, table = table_of(sheet)

    assert count == 4
    assert table[0] == [c.title for c in COLUMNS]
    assert [row[0] for row in table[1:]] == [1, 2, 3, 4]
    pks = next(dict(zip(table[0], row)) for row in table[1:] if row[1] == "119/3/PKS/2026")
    assert pks["Judul"] == "PKS Promosi <Wisata> & Budaya"
    assert pks["Ruang lingkup"] == " Promosi\nbersama "
    assert pks["Nilai (Rp)"] == 1250000000
    assert pks["Tanggal tanda tangan"] == datetime.datetime(2026, 1, 5)  # a real date, not text
    assert pks["MoU induk / addendum atas"] == "Melaksanakan MoU 119/1/MOU/2026"
    assert pks["Penandatangan (surat kuasa)"] == "Kepala OPD (surat kuasa 800/12/2026)"
    assert (pks["Tanggal registrasi"], pks["Tempat arsip"]) == (datetime.datetime(2026, 1, 6), "Lemari arsip 3")
    assert pks["Distribusi (penerima, tanggal)"] == "Biro Hukum (07-01-2026); Inspektorat (09-01-2026)"
    assert pks["Diubah dengan addendum"] == "119/4/ADD/2026"
    assert (pks["Laporan terakhir: tanggal"], pks["Laporan terakhir: kemajuan"]) == (datetime.datetime(2026, 10, 1), "Promosi berjalan")
    assert pks["Status"] == "Aktif"
    assert sheet["A1"].value == "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG"
    assert "Semua perjanjian" in sheet["A3"].value
    assert sheet.freeze_panes == f"C{header + 2}"
    assert sheet.auto_filter.ref == f"A{header + 1}:Y{header + 5}"
    assert any(row[0] == "Jumlah: 4 perjanjian" for row in sheet.iter_rows(values_only=True))


def test_an_empty_list_is_a_workbook_with_its_header(register):
    file, count = write_xlsx(rekap(register["karo"], RekapFilters(text="tidakadasamasekali"), today=TODAY))
    _, table = table_of(workbook_of(file)["Rekapitulasi"])
    assert count == 0 and table == [[c.title for c in COLUMNS]]


def test_the_xlsx_is_in_indonesian_whatever_the_readers_language(register):
    from django.utils import translation

    with translation.override("en"):
        file, _ = write_xlsx(rekap(register["karo"], RekapFilters(), today=TODAY))
    _, table = table_of(workbook_of(file)["Rekapitulasi"])
    assert {row[17] for row in table[1:]} == {"Aktif", "Dalam proses"}
    assert "Kepala OPD (surat kuasa 800/12/2026)" in {row[14] for row in table[1:]}


# Strings that XlsxWriter writes with care: XML's characters, control characters and the escapes
# that look like them, edge whitespace, long text, characters beyond the BMP.
TRICKY = ["biasa", "a & b", "<r>x</r>", "tab\there", "baris\nbaru", " depan", "belakang ", "\x01\x1f", "_x0041_", "\ufffe",
          "emoji 😀", "é" * 10, "x" * 40000, "😀" * 20000, "", "\n", "berkas_x12.pdf", "_x004G_ bukan escape"]


def test_the_fast_row_writer_writes_what_xlsxwriter_itself_writes(tmp_path):
    kinds = ["count", "text", "number", "date", "text"]
    rows = [(n, text, Decimal("1234.5") if n % 2 else 7, D(2026, 1, n + 1), None) for n, text in enumerate(TRICKY, start=1)]
    rows[2] = (3, "<r>plain</r> tidak kaya", 1, D(2026, 1, 3), "x")  # a "rich string" to XlsxWriter; text to us

    def sheet_xml(fast: bool) -> bytes:
        path = tmp_path / f"{fast}.xlsx"
        workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        formats = {kind: workbook.add_format({"num_format": f}) for kind, f in
                   (("count", "0"), ("text", "@"), ("number", "#,##0"), ("date", "dd-mm-yyyy"))}
        xfs = [formats[k]._get_xf_index() for k in kinds]  # numbered in first use: the same order both ways
        sheet = workbook.add_worksheet("S", worksheet_class=_StreamedWorksheet)
        sheet.write_string(0, 0, "Header", formats["text"])
        sheet.set_value_columns(kinds, xfs)
        for row, values in enumerate(rows, start=1):
            if fast:
                sheet.write_values(row, values)
                continue
            for col, (value, kind) in enumerate(zip(values, kinds)):
                if value is None or value == "":
                    continue
                if kind == "text":
                    sheet.write_string(row, col, value, formats[kind])
                elif kind == "date":
                    sheet.write_number(row, col, (value - D(1899, 12, 30)).days, formats[kind])
                else:
                    sheet.write_number(row, col, float(value), formats[kind])
        workbook.close()
        with zipfile.ZipFile(path) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    assert sheet_xml(fast=True) == sheet_xml(fast=False)


def test_the_fast_row_writer_refuses_rows_out_of_order(tmp_path):
    workbook = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True})
    sheet = workbook.add_worksheet("S", worksheet_class=_StreamedWorksheet)
    sheet.set_value_columns(["text"], [0])
    sheet.write_values(2, ("a",))
    with pytest.raises(ValueError):
        sheet.write_values(1, ("b",))
    workbook.close()


def test_the_pdf_is_a_landscape_pdf_of_the_list(register):
    agreements = rekap(register["karo"], RekapFilters(), today=TODAY)
    html = render_html(agreements, filters_text="Status: Aktif")
    assert "119/3/PKS/2026" in html and "Melaksanakan MoU 119/1/MOU/2026" in html and "Jumlah: 4 perjanjian" in html
    assert "PKS Promosi &lt;Wisata&gt; &amp; Budaya" in html and "Status: Aktif" in html
    assert "Kepala OPD (surat kuasa 800/12/2026)" in html and "Diubah dengan addendum 119/4/ADD/2026" in html
    assert "06-01-2026" in html and "Lemari arsip 3" in html
    assert "Inspektorat" not in html  # the distribution is the XLSX's only

    a4 = render_pdf(agreements)
    f4 = render_pdf(agreements, paper="f4")
    assert a4.startswith(b"%PDF-") and f4.startswith(b"%PDF-")
    assert {(round(w), round(h)) for w, h in page_sizes(a4)} == {(842, 595)}  # A4 landscape, in points
    assert {(round(w), round(h)) for w, h in page_sizes(f4)} == {(935, 609)}  # F4: 330 x 215 mm
    assert exports.TITLE in titles(a4)


def test_a_list_longer_than_the_pdf_limit_is_refused_before_anything_is_rendered(register, monkeypatch):
    monkeypatch.setattr(exports, "PDF_LIMIT", 2)
    with pytest.raises(TooManyForPdf) as refused:
        render_pdf(rekap(register["karo"], RekapFilters(), today=TODAY))
    assert refused.value.count == 4
    assert "XLSX" in refused.value.message
    assert PDF_LIMIT == 300


# --- reading ahead on PostgreSQL --------------------------------------------------------------------

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the reader thread is PostgreSQL's")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_postgresql_rows_are_read_by_a_thread_in_order(demo):
    for n in range(25):
        agreement(title=f"PKS baca {n:02}", number=f"300/{n}/PKS/2026")
    user = get_user_model().objects.get(username="karo")
    threads = []
    original = exports.Thread

    def spy(*args, **kwargs):
        threads.append(kwargs.get("name"))
        return original(*args, **kwargs)

    exports.Thread = spy
    try:
        file, count = write_xlsx(rekap(user, RekapFilters(order="judul")), chunk_size=4)
    finally:
        exports.Thread = original
    _, table = table_of(workbook_of(file)["Rekapitulasi"])
    assert threads == ["alur-rekap-xlsx"]
    assert count == 25 and [row[4] for row in table[1:]] == [f"PKS baca {n:02}" for n in range(25)]
    assert [row[0] for row in table[1:]] == list(range(1, 26))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_error_while_reading_ahead_reaches_the_caller(demo, monkeypatch):
    agreement(title="PKS satu", number="301/1/PKS/2026")

    def broken(agreements, *, chunk_size):
        yield from []
        raise RuntimeError("database went away")

    monkeypatch.setattr(exports, "export_rows", broken)
    with pytest.raises(RuntimeError, match="database went away"):
        write_xlsx(rekap(get_user_model().objects.get(username="karo"), RekapFilters()))


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_reading_thread_reads_inside_a_transaction_of_its_own(demo, monkeypatch):
    # Outside one, Django's server-side cursor is WITH HOLD, and PostgreSQL runs the whole query
    # before the first row: the writer would wait for all of it instead of writing meanwhile.
    agreement(title="PKS satu", number="302/1/PKS/2026")
    seen = []
    original = exports.export_rows

    def spy(agreements, *, chunk_size):
        seen.append(connections[agreements.db].in_atomic_block)
        yield from original(agreements, chunk_size=chunk_size)

    monkeypatch.setattr(exports, "export_rows", spy)
    _, count = write_xlsx(rekap(get_user_model().objects.get(username="karo"), RekapFilters()))
    assert count == 1 and seen == [True]
    assert not connection.in_atomic_block


def test_inside_a_transaction_rows_are_read_where_they_are_written(register, monkeypatch):
    monkeypatch.setattr(exports, "Thread", None)  # would fail if used
    _, count = write_xlsx(rekap(register["karo"], RekapFilters(), today=TODAY))
    assert count == 4
