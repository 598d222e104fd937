"""The rekapitulasi at phone width (390 x 844): the Kabag opens it from the menu, searches, filters
by status from the counts, and downloads the XLSX of what is shown; one card per agreement,
nothing scrolling sideways. An OPD head sees their own OPD's agreements only."""
from __future__ import annotations

import datetime
import io
import re

import openpyxl
from django.utils import timezone
from playwright.sync_api import expect

from tests.agreements.registerdata import agreement, report


def _register():
    today = timezone.localdate()
    pks = agreement(title="Perjanjian Kerja Sama tentang Pengembangan Perikanan Tangkap dan Pelatihan Nelayan Pesisir",
                    opd="dkp", number="119/3/PKS/B.PEM/I/2026", partner_name="Universitas Bangka Belitung",
                    partner_kind="perguruan_tinggi", ends_on=today + datetime.timedelta(days=40))
    report(pks, today - datetime.timedelta(days=3), "Pelatihan nelayan angkatan pertama selesai di Belinyu")
    agreement(title="PKS Promosi Wisata Bahari", number="119/1/PKS/B.PEM/I/2026", ends_on=today + datetime.timedelta(days=700))
    agreement(title="PKS Kalender Event Pariwisata", signed=False)


def test_the_rekapitulasi_works_at_phone_width(phone):
    ui, page = phone, phone.page
    _register()

    ui.sign_in("kabag")
    page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="Rekapitulasi", exact=True).click()
    expect(page.get_by_role("heading", name="Rekapitulasi perjanjian")).to_be_visible()
    rows = page.locator("table.rekap tbody tr")
    expect(rows).to_have_count(3)
    assert ui.no_horizontal_scroll()
    # a card, not a table row: the cells stack at the phone's width
    card = rows.filter(has_text="Pengembangan Perikanan Tangkap")
    assert card.bounding_box()["width"] <= 390
    expect(card).to_contain_text("Pelatihan nelayan angkatan pertama")
    expect(card).to_contain_text("Akan berakhir")

    page.get_by_label("Cari judul, pihak ketiga, ruang lingkup atau nomor").fill("119/3/P")
    page.get_by_role("button", name="Tampilkan").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("119/3/PKS/B.PEM/I/2026")
    assert ui.no_horizontal_scroll()

    page.get_by_role("link", name="Hapus filter").click()
    expect(rows).to_have_count(3)
    page.locator("#jumlah-status a[data-status=dalam_proses]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PKS Kalender Event Pariwisata")
    assert re.search(r"status=dalam_proses", page.url)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh XLSX")).click()
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))["Rekapitulasi"]
    assert [row[4] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)] == ["PKS Kalender Event Pariwisata"]

    ui.sign_out()
    ui.sign_in("kepala_dispar")
    ui.goto("/rekapitulasi/")
    expect(rows).to_have_count(2)
    expect(page.locator("table.rekap")).not_to_contain_text("Perikanan")
    assert ui.no_horizontal_scroll()
