"""The rekapitulasi's downloads: the XLSX opens with its columns and every row, its text as text;
the PDF is a PDF, and a list too long for one is refused. A long list's XLSX is asked for once
per person at a time, made by the worker's step (claimed by a conditional UPDATE, made again
when its worker stopped, failed with a notice when it cannot be made), the person told by a
notice, and the file removed after KEPT_FOR."""
from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from alur.notifications.links import path_of
from alur.agreements import exports
from alur.agreements.exports import (BUILDING_STALE_AFTER, KEPT_FOR, PDF_LIMIT, TooManyForPdf, build_requested_xlsx,
                                     filters_as_data, filters_from_data, render_html, render_pdf, request_xlsx, write_xlsx)
from alur.agreements.models import Agreement, Distribution, RekapExport
from alur.agreements.rekap import COLUMNS, ORDER_TITLE, RekapFilters, rekap
from alur.notifications.models import Notification
from alur.org.models import OrgUnit
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


def test_text_stays_text_in_the_xlsx_whatever_it_looks_like(users):
    # Each column is written by its kind: text that looks like a formula, an address or a number
    # is not turned into one, and XML's characters, tabs and line ends come back as they were written.
    titles = ["=SUM(A1:A9)", "https://contoh.go.id/pks", "00123", "a & <b> \"c\"", "tab\there", " baris\nbaru "]
    for n, title in enumerate(titles, start=1):
        agreement(title=title, number=f"200/{n}/PKS/2026")
    file, _ = write_xlsx(rekap(users["karo"], RekapFilters(), today=TODAY))
    sheet = workbook_of(file)["Rekapitulasi"]
    _, table = table_of(sheet)
    assert sorted(row[4] for row in table[1:]) == sorted(titles)
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_col=5, max_col=5) for cell in row if cell.value)
    assert not sheet._hyperlinks


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


# --- a long list's XLSX, made by the worker -----------------------------------------------------

State = RekapExport.State


def asked(user, of: RekapFilters = RekapFilters(), **changes) -> RekapExport:
    """The XLSX of the list `of` asked for by `user`, with `changes` to the stored row."""
    export, queued = request_xlsx(user=user, filters=of, ordering=of.ordering, filters_text="Semua perjanjian")
    assert queued
    if changes:
        RekapExport.objects.filter(pk=export.pk).update(**changes)
    return RekapExport.objects.get(pk=export.pk)


def test_the_filters_are_kept_as_json_and_read_back_as_they_were(users):
    filters = RekapFilters(kind="pks", status="aktif", org_unit=OrgUnit.objects.get(code="dkp"), partner_kind="badan_usaha",
                           year=2026, expiring_within=90, text="wisata", order=ORDER_TITLE)
    assert filters_from_data(json.loads(json.dumps(filters_as_data(filters)))) == filters


def test_a_person_has_one_export_waiting_at_a_time(users):
    first, queued = request_xlsx(user=users["karo"], filters=RekapFilters(), ordering="terbaru")
    again, queued_again = request_xlsx(user=users["karo"], filters=RekapFilters(kind="mou"), ordering="terbaru")
    other, queued_other = request_xlsx(user=users["tkksd"], filters=RekapFilters(), ordering="terbaru")
    assert (queued, queued_again, queued_other) == (True, False, True)
    assert again == first and other != first
    assert RekapExport.objects.filter(state=State.PENDING).count() == 2


def test_the_worker_makes_the_file_of_the_list_asked_for_and_tells_the_person(register):
    karo = register["karo"]
    export = asked(karo, RekapFilters(org_unit=OrgUnit.objects.get(code="dkp")))

    report = build_requested_xlsx()

    export.refresh_from_db()
    assert report.ready == [export.pk] and export.state == State.READY and export.rows == 1
    with export.file.open("rb") as file:
        _, table = table_of(workbook_of(file.read())["Rekapitulasi"])
    assert [row[4] for row in table[1:]] == ["PKS dalam proses"]
    (notice,) = Notification.objects.filter(recipient=karo)
    assert notice.title == "Rekapitulasi XLSX siap diunduh"
    assert path_of(notice) == reverse("web:rekapitulasi_export", args=[export.pk])
    assert "1 perjanjian" in notice.body and f"{KEPT_FOR.days} hari" in notice.body


def test_an_export_is_made_once_however_often_the_worker_passes(register):
    export = asked(register["karo"])
    assert build_requested_xlsx().ready == [export.pk]
    assert build_requested_xlsx().ready == []
    assert Notification.objects.filter(recipient=register["karo"]).count() == 1


def test_an_export_another_worker_is_making_is_left_to_it(register):
    export = asked(register["karo"], state=State.BUILDING, claimed_at=timezone.now())
    report = build_requested_xlsx()
    export.refresh_from_db()
    assert report.ready == [] and export.state == State.BUILDING and not export.file


def test_an_export_left_by_a_worker_that_stopped_is_made_again(register):
    export = asked(register["karo"], state=State.BUILDING, claimed_at=timezone.now() - BUILDING_STALE_AFTER - datetime.timedelta(minutes=1))
    report = build_requested_xlsx()
    export.refresh_from_db()
    assert report.requeued == [export.pk] and report.ready == [export.pk]
    assert export.state == State.READY and export.rows == 4


def test_an_export_that_cannot_be_made_fails_and_the_person_is_told(register):
    # The OPD it was filtered by is gone: failing says so, where leaving the filter out would list every OPD's.
    export = asked(register["karo"], filters={**filters_as_data(RekapFilters()), "org_unit": 999_999})
    report = build_requested_xlsx()
    export.refresh_from_db()
    assert report.failed == [export.pk] and export.state == State.FAILED and not export.file
    assert "DoesNotExist" in export.error
    (notice,) = Notification.objects.filter(recipient=register["karo"])
    assert notice.title == "Rekapitulasi XLSX gagal dibuat" and (notice.subject_kind, notice.subject_id) == ("export", export.pk)
    assert request_xlsx(user=register["karo"], filters=RekapFilters(), ordering="terbaru")[1]  # and may ask again


def test_a_file_is_removed_after_it_was_kept(register):
    export = asked(register["karo"])
    build_requested_xlsx()
    export.refresh_from_db()
    name = export.file.name
    assert default_storage.exists(name)

    report = build_requested_xlsx(now=export.finished_at + KEPT_FOR + datetime.timedelta(minutes=1))

    assert report.removed == 1 and not default_storage.exists(name)
    assert not RekapExport.objects.filter(pk=export.pk).exists()
