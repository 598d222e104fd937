"""The register at phone width (390 x 844): the Pengelola imports the office's XLSX (a problem shown
by row and column first, then the corrected file confirmed), enters an agreement by hand, and the
Kepala OPD adds an implementation report on the agreement's page; nothing scrolls sideways."""
from __future__ import annotations

from playwright.sync_api import expect

from alur.agreements.models import Agreement
from tests.agreements.xlsx import row, xlsx


def test_the_register_works_at_phone_width(phone, tmp_path):
    ui, page = phone, phone.page
    bad, good = tmp_path / "salah.xlsx", tmp_path / "register.xlsx"
    bad.write_bytes(xlsx([row(), row(Nomor="180/2/PEM/2024", OPD="dinkes")]))
    good.write_bytes(xlsx([row(Nomor="119/1/PEM/2023", Jenis="MoU", Judul="MoU Pariwisata Berkelanjutan"),
                           row(**{"Nomor MoU Induk": "119/1/PEM/2023"})]))

    ui.sign_in("pengelola")
    ui.goto("/perjanjian/impor/")
    assert ui.no_horizontal_scroll()
    page.get_by_label("Berkas register (.xlsx)").set_input_files(bad)
    page.get_by_role("button", name="Periksa berkas").click()
    problem = page.locator("table.problems tbody tr")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("3OPDOPD 'dinkes' tidak dikenal")
    expect(page.get_by_role("button", name="Impor 2 perjanjian")).to_have_count(0)
    assert ui.no_horizontal_scroll()

    page.get_by_label("Berkas register (.xlsx)").set_input_files(good)
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("ul.to-add li")).to_have_count(2)
    assert ui.no_horizontal_scroll()
    page.get_by_role("button", name="Impor 2 perjanjian").click()
    expect(page.get_by_role("alert").filter(has_text="2 perjanjian dicatat dari register.xlsx.")).to_be_visible()
    assert Agreement.objects.filter(source="import").count() == 2
    page.get_by_role("link", name="180/1/PEM/2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PKS Promosi Wisata Bahari")
    expect(page.get_by_role("link", name="119/1/PEM/2023")).to_be_visible()
    assert ui.no_horizontal_scroll()

    ui.goto("/perjanjian/catat/")
    assert ui.no_horizontal_scroll()
    page.get_by_label("Jenis perjanjian").select_option("pks")
    page.get_by_label("Nomor register").fill("180/7/PEM/2024")
    page.get_by_label("Judul perjanjian").fill("PKS Pelatihan Pemandu Wisata")
    page.get_by_label("OPD pelaksana").select_option(label="Dinas Pariwisata")
    page.get_by_label("Objek kerja sama").fill("Pelatihan pemandu")
    page.get_by_label("Ruang lingkup").fill("Pelatihan dan sertifikasi pemandu wisata")
    page.get_by_label("Tanggal penandatanganan").fill("2024-04-01")
    page.get_by_label("Tanggal mulai berlaku").fill("2024-04-01")
    page.get_by_label("Tanggal berakhir").fill("2026-03-31")
    page.get_by_label("Pihak ketiga (dari direktori)").select_option(label="Universitas Bangka Belitung")
    page.get_by_role("button", name="Catat perjanjian").click()
    expect(page.get_by_role("alert").filter(has_text="Perjanjian 180/7/PEM/2024 dicatat di register.")).to_be_visible()
    assert ui.no_horizontal_scroll()

    agreement = Agreement.objects.get(number="180/7/PEM/2024")
    page.context.clear_cookies()  # the Kepala OPD on a phone of their own
    ui.sign_in("kepala_dispar")
    ui.goto(f"/perjanjian/{agreement.pk}/")
    assert ui.no_horizontal_scroll()
    page.get_by_label("Kemajuan pelaksanaan").fill("Angkatan pertama dilatih")
    page.get_by_label("Lampiran").set_input_files(ui.files("laporan.pdf"))
    page.get_by_role("button", name="Simpan laporan").click()
    expect(page.get_by_role("alert").filter(has_text="Laporan pelaksanaan dicatat.")).to_be_visible()
    expect(page.locator("#laporan article")).to_contain_text("Angkatan pertama dilatih")
    expect(page.locator("#laporan").get_by_role("link", name="Lampiran")).to_be_visible()
    assert ui.no_horizontal_scroll()
