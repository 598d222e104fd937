"""The PKS SOP in a real browser: every role signs in on the login page and does its step from
"Tugas saya", from the intake of a draft to its registration; and the way a draft goes back."""
from __future__ import annotations

import datetime
import re

from playwright.sync_api import expect

from tests.conftest import PERIOD_ENDS, PERIOD_STARTS

from .conftest import start_agreement, walk

TITLE = "PKS Promosi Wisata Bahari dengan PT Maju Jaya Bahari"


def register_draft_in_browser(ui, title: str) -> None:
    """The pengelola fills in Draft baru with a new pihak ketiga and the draft PDF."""
    page = ui.page
    page.get_by_role("link", name="Perkara baru").click()
    page.get_by_role("link", name="SOP Penyusunan Perjanjian Kerja Sama (PKS) dengan Pihak Ketiga").click()
    expect(page.get_by_role("heading", name="Draft baru")).to_be_visible()
    page.get_by_label("Judul perjanjian").fill(title)
    page.get_by_label("Perangkat Daerah pengusul").select_option(label="Dinas Pariwisata")
    page.get_by_label("Objek kerja sama").fill("Promosi bersama destinasi wisata bahari")
    page.get_by_label("Ruang lingkup").fill("Promosi, pelatihan pemandu, dan pertukaran data kunjungan")
    page.get_by_label("Jangka waktu (bulan)").fill("24")
    page.get_by_label("Nomor surat disposisi").fill("000/421/SETDA/2026")
    page.get_by_label("Tanggal disposisi").fill((datetime.date.today() - datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Disposisi dari").select_option(label="Sekretaris Daerah")
    page.get_by_label("Nama pihak ketiga baru").fill("PT Maju Jaya Bahari")
    page.get_by_label("Jenis pihak ketiga").select_option(label="Badan usaha")
    page.get_by_label("Narahubung").fill("Rina Marlina")
    page.get_by_label("Surel").fill("rina@majujaya.example")
    page.get_by_label("Berkas draft PKS").set_input_files(ui.files("draft-pks-maju-jaya.pdf"))
    page.get_by_role("button", name="Daftarkan draft").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"Draft didaftarkan sebagai perkara #\d+\."))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("dd").filter(has_text="PT Maju Jaya Bahari")).to_be_visible()


def test_it_takes_a_pks_from_intake_to_registration_with_every_role_in_the_browser(desktop):
    ui, page = desktop, desktop.page

    ui.sign_in("pengelola")
    register_draft_in_browser(ui, TITLE)

    for step, username in [(1, "karo"), (2, "kabag"), (3, "kasubbag")]:
        ui.as_user(username)
        ui.open_task(TITLE, step)
        ui.finish(step)

    ui.as_user("analis")
    ui.open_task(TITLE, 4)
    # The hasil telaahan is this step's product: the button waits for it.
    expect(page.get_by_role("button", name="Selesaikan langkah")).to_be_disabled()
    ui.upload("hasil_telaahan")
    ui.finish(4)

    for step, username in [(5, "kasubbag"), (6, "kabag")]:
        ui.as_user(username)
        ui.open_task(TITLE, step)
        ui.finish(step)

    ui.as_user("karo")
    ui.open_task(TITLE, 7)
    ui.decide("setuju")
    ui.finish(7)

    ui.as_user("tkksd")
    ui.open_task(TITLE, 8)
    page.get_by_label("Tanggal rapat forum TKKSD").fill("2026-11-20")
    page.get_by_label("Anggota TKKSD yang hadir").fill("Sekda (ketua), Asisten I, Karo Pemerintahan")
    ui.upload("notulen")
    ui.decide("setuju")
    ui.finish(8)

    ui.as_user("gubernur")
    ui.open_task(TITLE, 9)
    ui.upload("disposisi_gubernur")
    page.get_by_label("Yang menandatangani PKS").select_option(label="Gubernur")
    ui.decide("setuju")
    ui.finish(9)

    ui.as_user("karo")
    ui.open_task(TITLE, 10)
    ui.upload("naskah_pks")
    ui.finish(10)

    ui.as_user("kabag")
    ui.open_task(TITLE, 11)
    ui.finish(11)

    ui.as_user("kepala_dispar")
    ui.open_task(TITLE, 12)
    ui.upload("dokumen_pks")
    page.get_by_label("Tanggal penandatanganan").fill("2026-11-24")
    page.get_by_label("Tempat penandatanganan").fill("Pangkalpinang")
    page.get_by_label("Tanggal mulai berlaku").fill(PERIOD_STARTS.isoformat())
    page.get_by_label("Tanggal berakhir").fill(PERIOD_ENDS.isoformat())  # "Aktif" below, whenever this runs
    ui.finish(12)

    ui.as_user("pengelola")
    ui.open_task(TITLE, 13)
    page.get_by_label("Distribusi").fill("Dinas Pariwisata\nPT Maju Jaya Bahari")
    page.get_by_label("Tempat arsip").fill("Lemari arsip Bagian Kerja Sama, rak 2")
    ui.finish(13)

    expect(page.locator("span.badge.fs-6")).to_have_text(re.compile(r"Selesai: PKS teregistrasi, terdistribusi dan terarsip"))
    expect(page.get_by_text("Tidak ada langkah yang terbuka.")).to_be_visible()
    register = page.locator("#register")
    expect(register).to_contain_text(re.compile(r"119/\d+/PKS/B\.PEM/[IVX]+/\d{4}"))
    expect(register).to_contain_text("Aktif")
    expect(register).to_contain_text("Lemari arsip Bagian Kerja Sama, rak 2")
    expect(ui.timeline_rows()).to_have_count(13)
    for name in ["draft-pks-maju-jaya.pdf", "hasil_telaahan.pdf", "notulen.pdf", "disposisi_gubernur.pdf",
                 "naskah_pks.pdf", "dokumen_pks.pdf"]:
        expect(page.get_by_role("link", name=re.compile(re.escape(name)))).to_be_visible()
    ui.goto("/")
    expect(ui.inbox_row(TITLE)).to_have_count(0)


def test_it_returns_a_draft_the_karo_does_not_approve_through_the_pengelola(desktop):
    ui, page = desktop, desktop.page
    title = "PKS Pelatihan Pemandu dengan Universitas Bangka Belitung"
    case = start_agreement(title, partner="Universitas Bangka Belitung")
    walk(case, steps=6)

    ui.sign_in("karo")
    ui.open_task(title, 7)
    ui.decide("tidak_setuju")
    page.get_by_role("button", name="Selesaikan langkah").click()
    expect(page.get_by_text("Tuliskan alasan bila tidak setuju.")).to_be_visible()
    ui.decide("tidak_setuju", note="Pasal jangka waktu melebihi masa jabatan; mohon diperbaiki.")
    ui.finish(7)
    now = page.locator("section").filter(has=page.get_by_role("heading", name="Posisi sekarang"))
    expect(now).to_contain_text("Mengembalikan draft PKS beserta catatan perbaikan")
    expect(now).to_contain_text("Pengelola Informasi Kerja Sama")

    ui.as_user("pengelola")
    ui.open_task(title, 15)
    ui.finish(15)

    expect(page.locator("span.badge.fs-6")).to_have_text(re.compile(r"Dikembalikan: Draft dikembalikan ke Perangkat Daerah"))
    rows = ui.timeline_rows()
    expect(rows).to_have_count(8)
    decided = rows.filter(has_text="Tidak setuju")
    expect(decided).to_have_count(1)
    expect(decided).to_contain_text("Pasal jangka waktu melebihi masa jabatan; mohon diperbaiki.")
