"""The case page: the summary, where the case is now and who holds it, the timeline of every
step done, every document with its versions (downloadable), and earlier rounds."""
from __future__ import annotations

import datetime
import re
import zoneinfo

from alur.agreements.models import Agreement
from alur.org.models import OrgUnit
from alur.workflow.models import Document, Task
from alur.workflow.services import Attachment, attach_document, resubmit_case, start_case
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import Walker, backdate, pdf

from .helpers import PDF_BYTES, advance, advance_to, open_task, register, text

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MONDAY = datetime.date(2026, 2, 2)


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(MONDAY, datetime.time(hour, minute), tzinfo=WIB)


def section(page: str, heading: str) -> str:
    """One card of the page, from its heading to the end of the card."""
    start = page.index(f">{heading}<")
    end = page.find("</section>", start)
    return page[start:end]


def timeline_row(page: str, number: int) -> str:
    rows = re.findall(r"<tr><td>(\d+)</td>(.*?)</tr>", page, re.S)
    found = [body for n, body in rows if int(n) == number]
    assert found, f"step {number} is not in the timeline"
    return found[0]


def case_page(browser, agreement, who: str = "karo") -> str:
    response = browser(who).get(f"/perkara/{agreement.case_id}/")
    assert response.status_code == 200
    return text(response)


# --- summary ----------------------------------------------------------------------------------

def test_it_summarises_the_agreement(users, browser):
    agreement = register(users, title="PKS Promosi Wisata Bahari", partner="Universitas Bangka Belitung")
    Agreement.objects.filter(pk=agreement.pk).update(disposition_date=datetime.date(2026, 1, 15))

    summary = section(case_page(browser, agreement), "Ringkasan")

    assert "Dinas Pariwisata" in summary
    assert "Universitas Bangka Belitung (Perguruan tinggi)" in summary
    assert "Promosi pariwisata bersama" in summary  # object
    assert "Promosi, pelatihan pemandu wisata" in summary  # scope
    assert "24 bulan" in summary
    assert "B/123/SETDA/2026, 15 Januari 2026 (Sekretaris Daerah)" in summary


def test_it_shows_the_title_and_the_sop_it_runs_on(users, browser):
    agreement = register(users, title="PKS Promosi Wisata Bahari")

    page = case_page(browser, agreement)

    assert "<h1 class=\"h4 mb-1\">PKS Promosi Wisata Bahari</h1>" in page
    assert "SOP Penyusunan Perjanjian Kerja Sama (PKS) dengan Pihak Ketiga" in page


def test_it_shows_a_case_started_without_an_agreement(users, browser):
    # Cases can be started from the command line, with no agreement record behind them.
    case = start_case(sop_key="pks-pihak-ketiga", title="Perkara dari baris perintah", actor=users["pengelola"],
                      org_unit=OrgUnit.objects.get(code="dkp"), attachments=[pdf("draft_pks")])

    response = browser("karo").get(f"/perkara/{case.pk}/")

    assert response.status_code == 200
    assert "Dinas Kelautan dan Perikanan" in section(text(response), "Ringkasan")


# --- where it is now --------------------------------------------------------------------------

def test_it_shows_the_open_step_and_its_role(users, browser):
    agreement = register(users)
    advance(agreement.case, users)  # step 2: Kabag

    now = section(case_page(browser, agreement), "Posisi sekarang")

    assert "Menugaskan Kasubbag KSSLN untuk berkoordinasi dengan OPD terkait" in now
    assert "Kabag Kerja Sama" in now
    assert f'href="/tugas/{open_task(agreement.case).pk}/"' in now


def test_it_shows_the_open_steps_due_time_and_time_so_far_in_working_and_calendar_time(users, browser):
    agreement = register(users)
    advance(agreement.case, users)
    backdate(open_task(agreement.case), at(16, 20) + datetime.timedelta(days=4))  # Friday 16:20: due Monday 07:50

    now = section(case_page(browser, agreement), "Posisi sekarang")

    assert "tenggat 09 Feb 07:50" in now
    assert re.search(r"berjalan \d+ jam( \d+ menit)? kerja \(\d+ hari( \d+ jam)? kalender\)", now)


def test_it_shows_who_holds_the_open_step(users, browser):
    agreement = register(users)
    browser("karo").post(f"/tugas/{open_task(agreement.case).pk}/ambil/")

    now = section(case_page(browser, agreement), "Posisi sekarang")

    assert "dipegang Kepala Biro Pemerintahan" in now


def test_it_names_the_opd_when_the_kepala_opd_holds_the_step(users, browser):
    agreement = register(users, opd="dispar")
    advance_to(agreement.case, users, "penandatanganan")

    now = section(case_page(browser, agreement), "Posisi sekarang")

    assert "Kepala OPD" in now and "Dinas Pariwisata" in now


def test_it_shows_the_end_of_a_finished_case(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "registrasi")
    advance(agreement.case, users)

    page = case_page(browser, agreement)

    assert "Selesai: PKS teregistrasi, terdistribusi dan terarsip" in page
    assert "Tidak ada langkah yang terbuka." in section(page, "Posisi sekarang")


# --- timeline ---------------------------------------------------------------------------------

def test_it_lists_every_step_done_in_the_timeline(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "koreksi_kabag")  # steps 1-5 done, 6 open

    page = case_page(browser, agreement)

    for number in (1, 2, 3, 4, 5, 6):
        timeline_row(page, number)
    assert "berjalan" in timeline_row(page, 6)


def test_it_shows_actor_start_end_and_time_taken_against_the_standard(users, browser):
    agreement = register(users)
    step_1 = advance(agreement.case, users)
    backdate(step_1, at(9, 0), at(10, 10))

    row = timeline_row(case_page(browser, agreement), 1)

    assert "Karo Pemerintahan" in row  # role
    assert "Kepala Biro Pemerintahan" in row  # the person who acted
    assert "02 Feb 09:00" in row and "02 Feb 10:10" in row
    assert "1 jam 10 menit / 5 menit" in row
    assert "lewat" in row  # longer than the time standard


def test_it_does_not_flag_a_step_done_within_its_standard(users, browser):
    agreement = register(users)
    advance(agreement.case, users)
    step_2 = advance(agreement.case, users)
    backdate(step_2, at(9, 0), at(9, 20))

    row = timeline_row(case_page(browser, agreement), 2)

    assert "20 menit / 30 menit" in row
    assert "lewat" not in row


def test_it_shows_a_decision_and_its_note(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "periksa_karo")
    advance(agreement.case, users, "tidak_setuju", note="Pasal 5 tentang pembiayaan belum jelas.")

    row = timeline_row(case_page(browser, agreement), 7)

    assert "Tidak setuju" in row
    assert "Pasal 5 tentang pembiayaan belum jelas." in row


def test_it_shows_the_values_a_step_recorded(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "bahas_tkksd")
    advance(agreement.case, users, "setuju")  # tanggal_rapat and anggota_hadir, as tests.conftest fills them

    row = timeline_row(case_page(browser, agreement), 8)

    assert "2026-11-20" in row
    assert "Sekda (ketua), Asisten I, Karo Pemerintahan" in row


def test_it_labels_recorded_values_as_the_sop_names_them(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "bahas_tkksd")
    advance(agreement.case, users, "setuju")

    row = timeline_row(case_page(browser, agreement), 8)

    assert "Tanggal rapat forum TKKSD" in row
    assert "Anggota TKKSD yang hadir" in row
    assert "anggota_hadir" not in row  # the definition's key is not for people to read


def test_it_shows_who_signs_by_the_name_of_the_choice(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "keputusan_gubernur")
    advance(agreement.case, users, "setuju")  # penandatangan: gubernur

    row = timeline_row(case_page(browser, agreement), 9)

    assert "Yang menandatangani PKS" in row
    assert "penandatangan:" not in row


# --- documents --------------------------------------------------------------------------------

def test_it_lists_every_version_of_a_document_with_uploader_and_time(users, browser):
    agreement = register(users)
    step_1 = open_task(agreement.case)
    attach_document(task_id=step_1.pk, actor=users["karo"],
                    attachment=Attachment(kind="draft_pks", name="draft-perbaikan.pdf", content=PDF_BYTES))
    Document.objects.filter(version=1).update(uploaded_at=at(8, 30))
    Document.objects.filter(version=2).update(uploaded_at=at(9, 45))

    documents = section(case_page(browser, agreement), "Dokumen")

    v1, v2 = Document.objects.filter(kind="draft_pks").order_by("version")
    assert "Draft PKS" in documents
    assert f'href="/dokumen/{v1.pk}/"' in documents and "v1 draft_pks.pdf" in documents
    assert f'href="/dokumen/{v2.pk}/"' in documents and "v2 draft-perbaikan.pdf" in documents
    assert "Pengelola Informasi Kerja Sama · 02 Feb 2026 08:30" in documents
    assert "Kepala Biro Pemerintahan · 02 Feb 2026 09:45" in documents


def test_it_lists_documents_made_by_the_steps(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "koreksi_kasubbag")  # step 4 made the hasil telaahan

    documents = section(case_page(browser, agreement), "Dokumen")

    assert "Hasil telaahan" in documents
    assert "hasil_telaahan.pdf" in documents


def test_it_downloads_the_bytes_of_a_document(users, browser):
    agreement = register(users)
    document = Document.objects.get(case=agreement.case, kind="draft_pks")

    response = browser("karo").get(f"/dokumen/{document.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf("draft_pks").content
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="draft_pks.pdf"' == response["Content-Disposition"]


def test_it_downloads_each_version_as_it_was(users, browser):
    agreement = register(users)
    attach_document(task_id=open_task(agreement.case).pk, actor=users["karo"],
                    attachment=Attachment(kind="draft_pks", name="draft_pks.pdf", content=b"%PDF-1.4 versi kedua"))
    v1, v2 = Document.objects.filter(kind="draft_pks").order_by("version")
    client = browser("karo")

    assert b"".join(client.get(f"/dokumen/{v1.pk}/").streaming_content) == pdf("draft_pks").content
    assert b"".join(client.get(f"/dokumen/{v2.pk}/").streaming_content) == b"%PDF-1.4 versi kedua"


# --- rounds -----------------------------------------------------------------------------------

def returned_and_resubmitted(users):
    agreement = register(users)
    advance_to(agreement.case, users, "periksa_karo")
    advance(agreement.case, users, "tidak_setuju", note="Jangka waktu melebihi masa jabatan.")
    advance(agreement.case, users)  # Pengelola returns it to the OPD
    resubmit_case(case_id=agreement.case_id, actor=users["pengelola"], attachments=[pdf("draft_pks", "perbaikan")])
    return agreement


def test_it_shows_a_returned_case_as_returned(users, browser):
    agreement = register(users)
    advance_to(agreement.case, users, "periksa_karo")
    advance(agreement.case, users, "tidak_setuju")
    advance(agreement.case, users)

    page = case_page(browser, agreement)

    assert "Dikembalikan: Draft dikembalikan ke Perangkat Daerah" in page


def test_it_keeps_the_earlier_round_after_a_resubmission(users, browser):
    agreement = returned_and_resubmitted(users)

    page = case_page(browser, agreement)

    assert "putaran 2" in page
    assert "putaran 1 (dikembalikan)" in page
    assert "Jangka waktu melebihi masa jabatan." in page


def test_it_shows_the_current_round_first(users, browser):
    agreement = returned_and_resubmitted(users)

    page = case_page(browser, agreement)

    assert page.index("putaran 2") < page.index("putaran 1 (dikembalikan)")


def test_it_keeps_both_rounds_drafts_as_versions(users, browser):
    agreement = returned_and_resubmitted(users)

    documents = section(case_page(browser, agreement), "Dokumen")

    assert "v1 draft_pks.pdf" in documents and "v2 draft_pks.pdf" in documents


def test_the_opd_resubmits_a_returned_draft_from_the_case_page_as_a_new_round(users):
    walker = Walker(users)
    walker.steps(6)
    walker.step("tidak_setuju", note="Lengkapi lampiran teknis.")
    walker.step()
    client = Client()
    client.force_login(users["kepala_dispar"])

    page = client.get(f"/perkara/{walker.case.pk}/")
    response = client.post(f"/perkara/{walker.case.pk}/ajukan-ulang/",
                           {"document_draft_pks": SimpleUploadedFile("draf-perbaikan.pdf", b"%PDF-1.4 perbaikan\n%%EOF"), "note": "Sudah dilengkapi."})

    assert "Ajukan ulang" in page.content.decode()
    assert response.status_code == 302
    walker.case.refresh_from_db()
    assert (walker.case.status, walker.case.round) == ("running", 2)
    assert Task.objects.get(case=walker.case, status="open").step_key == "terima_disposisi"
