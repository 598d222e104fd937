"""The forms as documents: the PDF is a real A4 PDF printed from HTML holding the rows, the XLSX
opens in a spreadsheet library and holds the same rows, with its print setup."""
from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone, translation
from django.utils.translation import trans_real

from alur.evaluation import documents
from alur.evaluation.models import MonitoringFormRow
from alur.evaluation.permenpan import EVALUATION_CRITERIA, MONITORING_COLUMNS
from alur.evaluation.services import Answer, RowEdit, create_evaluation, create_monitoring_form, update_monitoring_form
from alur.workflow.definitions import definition_of
from alur.workflow.services import newest_version
from tests.conftest import PKS

from .pdfbytes import page_sizes, titles

A4 = (595.28, 841.89)  # points, portrait


@pytest.fixture
def monitoring(dataset, users):
    form = create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=dataset.start, end=dataset.end)
    update_monitoring_form(actor=users["kabag"], form_id=form.pk, rows={
        "tugaskan_kasubbag": RowEdit(catatan="Disposisi menumpuk pada awal pekan.", tindakan="Bagi penugasan & pantau tiap pagi.")})
    return form


@pytest.fixture
def evaluation(users):
    answers = {c.key: Answer(answer=True) for c in EVALUATION_CRITERIA}
    answers["mudah_dipahami"] = Answer(answer=False, keterangan="Istilah <TKKSD> belum dijelaskan.")
    today = timezone.localdate()
    return create_evaluation(actor=users["karo"], sop_key=PKS, start=today - datetime.timedelta(days=90), end=today,
                             answers=answers, catatan="Secara umum berjalan.", rekomendasi="Revisi waktu baku langkah 2.")


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_rows(sheet) -> list[tuple]:
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def row_starting(rows, *values):
    found = [row for row in rows if row[:len(values)] == values]
    assert found, f"no row starting with {values}"
    return found[0]


# --- monitoring -----------------------------------------------------------------------------------

def test_the_monitoring_pdf_is_a_landscape_a4_pdf_titled_with_the_form_and_sop(monitoring):
    pdf = documents.render_pdf(documents.monitoring_sheet(monitoring))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    sizes = page_sizes(pdf)
    assert sizes and all(size == pytest.approx(A4[::-1], abs=0.5) for size in sizes)
    definition = definition_of(monitoring.sop_version)
    assert f"Formulir Monitoring Pelaksanaan SOP AP: {definition.name}" in titles(pdf)


def test_the_monitoring_html_holds_the_identity_the_rows_and_the_ticked_box(monitoring, users):
    html = documents.render_html(documents.monitoring_sheet(monitoring))
    definition = definition_of(monitoring.sop_version)
    for line in definition.identity.instansi:
        assert line in html
    assert definition.name in html and "Kabag Kerja Sama" in html
    assert "Semua Perangkat Daerah" in html
    for column in MONITORING_COLUMNS:
        assert f"<th>{column}</th>" in html
    for row in monitoring.rows.all():
        assert row.prosedur in html or row.prosedur.replace('"', "&quot;") in html
    assert "Disposisi menumpuk pada awal pekan." in html
    assert "Bagi penugasan &amp; pantau tiap pagi." in html  # escaped, not raw markup
    assert "☑ Berjalan dengan baik" in html and "☑ Tidak berjalan dengan baik" in html
    assert "Belum dapat dinilai (tidak ada pelaksanaan)" in html
    assert "paling sedikit 80 %" in html


@pytest.fixture
def english_penilaian():
    """The English catalogue with the assessments translated, as the shipped one will have them."""
    catalogue = trans_real.translation("en")._catalog
    extra = {"Berjalan dengan baik": "Running well"}
    catalogue._catalogs.insert(0, extra)
    yield
    catalogue._catalogs.remove(extra)


def test_the_printed_form_is_in_indonesian_whatever_the_page_language(monitoring, english_penilaian):
    with translation.override("en"):
        assert monitoring.rows.get(number=1).get_penilaian_display() == "Running well"  # the page would say this
        sheet = documents.monitoring_sheet(monitoring)
        html = documents.render_html(sheet)
        book = workbook(documents.render_xlsx(sheet))
    assert "Berjalan dengan baik" in {row[2] for row in sheet_rows(book["Formulir"])}
    start = monitoring.period_start
    month = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"][start.month - 1]
    assert f"{start.day} {month} {start.year}" in html
    assert "Halaman" in html


def test_the_monitoring_xlsx_holds_the_header_and_every_row(monitoring):
    book = workbook(documents.render_xlsx(documents.monitoring_sheet(monitoring)))
    assert book.sheetnames == ["Formulir", "Angka"]
    rows = sheet_rows(book["Formulir"])
    assert rows[2][0] == "FORMULIR MONITORING PELAKSANAAN SOP AP"
    definition = definition_of(monitoring.sop_version)
    assert row_starting(rows, "Nama SOP")[2] == definition.name
    assert row_starting(rows, "Penilai")[2] == "Kabag Kerja Sama"
    assert row_starting(rows, "Perangkat Daerah")[2] == "Semua Perangkat Daerah"
    assert row_starting(rows, *MONITORING_COLUMNS) == tuple(MONITORING_COLUMNS)
    assert row_starting(rows, 1, 2, 3, 4, 5, 6)
    for row in monitoring.rows.all():
        printed = row_starting(rows, row.number, row.prosedur)
        assert printed[2:5] == (row.get_penilaian_display(), row.catatan, row.tindakan)
        assert printed[5] is None  # the paraf is left for the hand
    step = {row.number: row.prosedur for row in monitoring.rows.all()}
    assert row_starting(rows, 2, step[2])[3:5] == ("Disposisi menumpuk pada awal pekan.", "Bagi penugasan & pantau tiap pagi.")
    assert row_starting(rows, 1, step[1])[2] == "Berjalan dengan baik"
    assert row_starting(rows, 8, step[8])[2] == "Belum dapat dinilai (tidak ada pelaksanaan)"


def test_the_monitoring_xlsx_prints_landscape_on_a4_one_page_wide_with_wrapped_text(monitoring):
    sheet = workbook(documents.render_xlsx(documents.monitoring_sheet(monitoring)))["Formulir"]
    setup = sheet.page_setup
    # fitToWidth is left out when it is 1, the format's default.
    assert (setup.orientation, str(setup.paperSize), setup.fitToWidth or 1, setup.fitToHeight) == ("landscape", "9", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows  # the header repeats on every page
    assert sheet.column_dimensions["B"].width > 40 and sheet.column_dimensions["A"].width < 10
    prosedur = next(cell for cell in sheet["B"] if cell.value == monitoring.rows.get(number=1).prosedur)
    assert prosedur.alignment.wrap_text and prosedur.border.left.style == "thin"


def test_the_figures_sheet_holds_the_numbers_behind_each_row(monitoring):
    rows = sheet_rows(workbook(documents.render_xlsx(documents.monitoring_sheet(monitoring)))["Angka"])
    assert rows[0][:4] == ("No.", "Prosedur", "Penilaian", "Pelaksanaan")
    first = rows[1]
    assert first[0] == 1 and first[3:9] == (5, 4, 7.4, 5, 4, 80)
    karo = rows[7]
    assert karo[0] == 7 and karo[9:11] == (2, 1)
    assert rows[8][3] == 0 and rows[8][4] is None


# --- evaluation -----------------------------------------------------------------------------------

def test_the_evaluation_pdf_is_a_portrait_a4_pdf(evaluation):
    pdf = documents.render_pdf(documents.evaluation_sheet(evaluation))
    assert pdf.startswith(b"%PDF-")
    assert page_sizes(pdf) == [pytest.approx(A4, abs=0.5)]
    assert f"Formulir Evaluasi Penerapan SOP AP: {definition_of(evaluation.sop_version).name}" in titles(pdf)


def test_the_evaluation_html_holds_every_criterion_with_its_answer(evaluation):
    html = documents.render_html(documents.evaluation_sheet(evaluation))
    for criterion in EVALUATION_CRITERIA:
        assert criterion.text in html
    assert "Istilah &lt;TKKSD&gt; belum dijelaskan." in html
    assert "Revisi waktu baku langkah 2." in html and "Kepala Biro Pemerintahan" in html


def test_the_evaluation_xlsx_ticks_ya_or_tidak_for_each_criterion(evaluation):
    rows = sheet_rows(workbook(documents.render_xlsx(documents.evaluation_sheet(evaluation)))["Formulir"])
    assert row_starting(rows, "No.", "Penilaian terhadap Penerapan", "Ya", "Tidak", "Keterangan")
    for number, criterion in enumerate(EVALUATION_CRITERIA, 1):
        printed = row_starting(rows, number, criterion.text)
        if criterion.key == "mudah_dipahami":
            assert printed[2:5] == (None, "✓", "Istilah <TKKSD> belum dijelaskan.")
        else:
            assert printed[2:4] == ("✓", None)
    assert any(row[1] == "Rekomendasi: Revisi waktu baku langkah 2." for row in rows)
    assert any(row[3] == "Kepala Biro Pemerintahan" for row in rows)  # the evaluator's name under the signature


def test_a_form_keeps_the_step_texts_it_was_filled_with(monitoring):
    MonitoringFormRow.objects.filter(form=monitoring, number=1).update(prosedur="Teks lama langkah 1")
    html = documents.render_html(documents.monitoring_sheet(monitoring))
    assert "Teks lama langkah 1" in html
    assert newest_version(PKS) == monitoring.sop_version
