"""Completing a step: the activity and its mutu baku, the kelengkapan as a checklist with upload
in place, a submit button that waits for the documents (and a server that refuses too), the
decision with its note, the TKKSD forum, and the Governor's choice of who signs."""
from __future__ import annotations

import re

import pytest

from alur.workflow.models import Document, Task

from .helpers import advance_to, errors_of, field_block, open_task, pdf_upload, register, text, xlsx_upload

HTMX = {"HX-Request": "true"}
# Posts carry the note as a browser sends the form: the textarea is always there, empty or not.


def submit_area(page: str) -> str:
    match = re.search(r'<div id="submit-area".*?</div>\s*</div>|<div id="submit-area".*?</button>', page, re.S)
    assert match, "no submit area on the page"
    return match.group(0)


def submit_disabled(page: str) -> bool:
    button = re.search(r'<button type="submit"[^>]*>', submit_area(page)).group(0)
    return re.search(r"\sdisabled\b", button) is not None


def checklist_item(page: str, name: str) -> str:
    items = re.findall(r'<li class="list-group-item">(.*?)</li>', page, re.S)
    found = [item for item in items if f'<span class="fw-semibold">{name}</span>' in item]
    assert found, f"{name} is not in the checklist"
    return found[0]


def is_ticked(item: str) -> bool:
    return "bi-check-circle-fill" in item


def mutu_baku(page: str) -> str:
    start = page.index(">Mutu baku<")
    return page[start:page.index("</dl>", start)]


@pytest.fixture
def at_step(users, browser):
    """at_step("analisa_draft") -> (open task, browser of its actor) on a fresh case."""

    def walk(step_key: str):
        agreement = register(users)
        task = advance_to(agreement.case, users, step_key)
        who = f"kepala_{agreement.org_unit.code}" if task.role_key == "kepala_opd" else task.role_key
        return task, browser(who)

    return walk


def task_page(client, task) -> str:
    response = client.get(f"/tugas/{task.pk}/")
    assert response.status_code == 200
    return text(response)


def still_open(task: Task) -> bool:
    task.refresh_from_db()
    return task.status == Task.Status.OPEN


# --- what the page shows ----------------------------------------------------------------------

def test_it_shows_the_steps_activity(at_step):
    task, karo = at_step("terima_disposisi")

    page = task_page(karo, task)

    assert "Langkah 1 · Karo Pemerintahan" in page
    assert "Menerima disposisi draft Perjanjian Kerja Sama dan Soft File dari OPD" in page


def test_it_shows_the_mutu_baku_time_and_output(at_step):
    task, karo = at_step("terima_disposisi")

    baku = mutu_baku(task_page(karo, task))

    assert "5 menit" in baku
    assert "tenggat" in baku
    assert "Draft" in baku


def test_it_names_the_kelengkapan_in_the_mutu_baku_as_the_sop_does(at_step):
    task, karo = at_step("periksa_karo")

    baku = mutu_baku(task_page(karo, task))

    assert "Draft PKS, Hasil telaahan" in baku
    assert "draft_pks" not in baku  # the definition's key is not for people to read


def test_it_shows_the_reading_of_an_inferred_step(at_step):
    task, tkksd = at_step("bahas_tkksd")

    page = task_page(tkksd, task)

    assert "Forum TKKSD dibuktikan dengan notulen / berita acara rapat" in page


def test_it_shows_the_kelengkapan_as_a_checklist_of_what_is_there(at_step):
    task, karo = at_step("periksa_karo")

    page = task_page(karo, task)

    assert is_ticked(checklist_item(page, "Draft PKS"))
    assert "v1 draft_pks.pdf" in checklist_item(page, "Draft PKS")
    assert is_ticked(checklist_item(page, "Hasil telaahan"))


def test_it_lists_what_the_step_itself_makes_as_still_missing(at_step):
    task, analis = at_step("analisa_draft")

    item = checklist_item(task_page(analis, task), "Hasil telaahan")

    assert not is_ticked(item)
    assert "dibuat pada langkah ini" in item
    assert 'name="file_hasil_telaahan"' in item


# --- the submit button and the server ---------------------------------------------------------

def test_it_disables_submit_while_a_document_is_missing(at_step):
    task, analis = at_step("analisa_draft")

    page = task_page(analis, task)

    assert submit_disabled(page)
    assert "Tombol aktif setelah semua kelengkapan terunggah." in page


def test_it_enables_submit_when_everything_is_there(at_step):
    task, karo = at_step("terima_disposisi")

    assert not submit_disabled(task_page(karo, task))


def test_it_refuses_on_the_server_too_when_a_document_is_missing(at_step):
    task, analis = at_step("analisa_draft")

    response = analis.post(f"/tugas/{task.pk}/", {"note": ""})

    assert response.status_code == 200
    assert "Hasil telaahan belum dilampirkan" in text(response)
    assert still_open(task)


def test_it_completes_a_step_and_opens_the_case_page(at_step):
    task, karo = at_step("terima_disposisi")

    response = karo.post(f"/tugas/{task.pk}/", {"note": "Segera disiapkan."})

    assert response.status_code == 302
    assert response["Location"] == f"/perkara/{task.case_id}/"
    task.refresh_from_db()
    assert (task.status, task.note) == (Task.Status.DONE, "Segera disiapkan.")
    assert open_task(task.case).step_key == "tugaskan_kasubbag"


def test_it_says_which_step_was_completed(at_step):
    task, karo = at_step("terima_disposisi")

    response = karo.post(f"/tugas/{task.pk}/", {"note": ""}, follow=True)

    assert "Langkah 1 selesai." in text(response)


def test_it_takes_the_documents_sent_with_the_completion(at_step):
    task, analis = at_step("analisa_draft")

    response = analis.post(f"/tugas/{task.pk}/", {"note": "", "file_hasil_telaahan": pdf_upload("telaah.pdf")})

    assert response.status_code == 302
    assert Document.objects.get(kind="hasil_telaahan").task_id == task.pk
    assert not still_open(task)


def test_it_sends_a_finished_steps_page_to_the_case(at_step):
    task, karo = at_step("terima_disposisi")
    karo.post(f"/tugas/{task.pk}/", {"note": ""})

    response = karo.get(f"/tugas/{task.pk}/", follow=True)

    assert response.redirect_chain == [(f"/perkara/{task.case_id}/", 302)]
    assert "Langkah ini sudah selesai." in text(response)


# --- upload in place --------------------------------------------------------------------------

def test_it_uploads_in_place_and_returns_the_checklist_for_htmx(at_step):
    task, analis = at_step("analisa_draft")

    response = analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan",
                                                         "file_hasil_telaahan": pdf_upload("telaah.pdf")}, headers=HTMX)

    fragment = text(response)
    assert response.status_code == 200
    assert fragment.startswith('<ul class="list-group mb-3" id="checklist">')
    assert "<html" not in fragment
    assert is_ticked(checklist_item(fragment, "Hasil telaahan"))
    assert "v1 telaah.pdf" in fragment
    document = Document.objects.get(kind="hasil_telaahan")
    assert (document.task_id, document.original_name) == (task.pk, "telaah.pdf")


def test_it_swaps_the_submit_area_out_of_band_after_an_upload(at_step):
    task, analis = at_step("analisa_draft")

    fragment = text(analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan",
                                                               "file_hasil_telaahan": pdf_upload()}, headers=HTMX))

    assert '<div id="submit-area" hx-swap-oob="true">' in fragment
    assert not submit_disabled(fragment)


def test_it_keeps_submit_disabled_out_of_band_while_something_is_still_missing(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    # The conditional surat kuasa is uploaded, the unconditional disposisi is not.
    fragment = text(gubernur.post(f"/tugas/{task.pk}/unggah/", {"kind": "surat_kuasa",
                                                                 "file_surat_kuasa": pdf_upload("kuasa.pdf")}, headers=HTMX))

    assert '<div id="submit-area" hx-swap-oob="true">' in fragment
    assert submit_disabled(fragment)


def test_it_uploads_without_htmx_and_returns_to_the_step(at_step):
    task, analis = at_step("analisa_draft")

    response = analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan", "file_hasil_telaahan": pdf_upload()})

    assert response.status_code == 302
    assert response["Location"] == f"/tugas/{task.pk}/"
    assert Document.objects.filter(kind="hasil_telaahan").exists()
    assert still_open(task)


def test_it_refuses_an_upload_that_is_not_an_accepted_kind_next_to_the_item(at_step):
    task, analis = at_step("analisa_draft")

    fragment = text(analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan",
                                                               "file_hasil_telaahan": xlsx_upload("telaah.xlsx")}, headers=HTMX))

    item = checklist_item(fragment, "Hasil telaahan")
    assert "telaah.xlsx" in item and "Excel" in item
    assert not Document.objects.filter(kind="hasil_telaahan").exists()


def test_it_refuses_text_renamed_to_pdf(at_step):
    task, analis = at_step("analisa_draft")

    fragment = text(analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan",
                                                               "file_hasil_telaahan": pdf_upload("telaah.pdf", b"bukan pdf")}, headers=HTMX))

    assert "tampaknya teks" in checklist_item(fragment, "Hasil telaahan")
    assert not Document.objects.filter(kind="hasil_telaahan").exists()


def test_it_asks_for_a_file_when_none_was_chosen(at_step):
    task, analis = at_step("analisa_draft")

    fragment = text(analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan"}, headers=HTMX))

    assert "Pilih berkas yang akan diunggah." in checklist_item(fragment, "Hasil telaahan")


def test_it_shows_the_upload_refusal_as_a_message_without_htmx(at_step):
    task, analis = at_step("analisa_draft")

    response = analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan",
                                                         "file_hasil_telaahan": xlsx_upload()}, follow=True)

    assert "Excel" in text(response)
    assert not Document.objects.filter(kind="hasil_telaahan").exists()


def test_it_refuses_an_upload_to_a_step_finished_meanwhile(at_step):
    task, analis = at_step("analisa_draft")
    analis.post(f"/tugas/{task.pk}/", {"note": "", "file_hasil_telaahan": pdf_upload("telaah.pdf")})

    # The same page, still open in another tab, sends one more file.
    fragment = text(analis.post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan",
                                                               "file_hasil_telaahan": pdf_upload("telaah-2.pdf")}, headers=HTMX))

    assert "sudah diselesaikan" in checklist_item(fragment, "Hasil telaahan")
    assert Document.objects.filter(kind="hasil_telaahan").count() == 1


# --- decisions --------------------------------------------------------------------------------

def test_it_offers_setuju_and_tidak_setuju_on_a_decision_step(at_step):
    task, karo = at_step("periksa_karo")

    block = field_block(task_page(karo, task), "decision")

    assert 'value="setuju"' in block and ">Setuju</label>" in block
    assert 'value="tidak_setuju"' in block and ">Tidak setuju</label>" in block


def test_it_offers_no_decision_on_a_plain_step(at_step):
    task, karo = at_step("terima_disposisi")

    assert 'name="decision"' not in task_page(karo, task)


def test_it_requires_a_note_for_tidak_setuju_next_to_the_note_field(at_step):
    task, karo = at_step("periksa_karo")

    response = karo.post(f"/tugas/{task.pk}/", {"decision": "tidak_setuju", "note": "  "})

    assert response.status_code == 200
    assert "Tuliskan alasan bila tidak setuju." in field_block(text(response), "note")
    assert still_open(task)


def test_it_requires_a_decision(at_step):
    task, karo = at_step("periksa_karo")

    response = karo.post(f"/tugas/{task.pk}/", {"note": "Sudah diperiksa."})

    assert errors_of(response, "decision")
    assert errors_of(response, "decision")[0] in field_block(text(response), "decision")
    assert still_open(task)


def test_it_returns_the_draft_when_the_karo_does_not_agree(at_step):
    task, karo = at_step("periksa_karo")

    karo.post(f"/tugas/{task.pk}/", {"decision": "tidak_setuju", "note": "Objek kerja sama belum jelas."})

    task.refresh_from_db()
    assert (task.outcome, task.note) == ("tidak_setuju", "Objek kerja sama belum jelas.")
    assert open_task(task.case).step_key == "kembalikan_ke_opd"


def test_it_sends_the_draft_to_tkksd_when_the_karo_agrees(at_step):
    task, karo = at_step("periksa_karo")

    karo.post(f"/tugas/{task.pk}/", {"decision": "setuju"})

    assert open_task(task.case).step_key == "bahas_tkksd"


# --- the TKKSD forum --------------------------------------------------------------------------

def forum(**changes) -> dict:
    data = {"decision": "setuju", "record_tanggal_rapat": "2026-02-02",
            "record_anggota_hadir": "Sekda (ketua), Asisten I, Karo Pemerintahan, Kepala Bappeda",
            "file_notulen": pdf_upload("notulen-rapat.pdf")}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_asks_the_tkksd_for_the_meeting_date_members_present_and_minutes(at_step):
    task, tkksd = at_step("bahas_tkksd")

    page = task_page(tkksd, task)

    assert 'type="date"' in field_block(page, "record_tanggal_rapat")
    assert "Tanggal rapat forum TKKSD" in field_block(page, "record_tanggal_rapat")
    assert "Anggota TKKSD yang hadir" in field_block(page, "record_anggota_hadir")
    assert not is_ticked(checklist_item(page, "Notulen forum TKKSD"))


def test_it_records_the_forum_with_its_minutes(at_step):
    task, tkksd = at_step("bahas_tkksd")

    response = tkksd.post(f"/tugas/{task.pk}/", forum())

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.data == {"tanggal_rapat": "2026-02-02",
                         "anggota_hadir": "Sekda (ketua), Asisten I, Karo Pemerintahan, Kepala Bappeda"}
    notulen = Document.objects.get(kind="notulen")
    assert (notulen.task_id, notulen.original_name) == (task.pk, "notulen-rapat.pdf")
    assert open_task(task.case).step_key == "keputusan_gubernur"


def test_it_refuses_the_forum_without_minutes(at_step):
    task, tkksd = at_step("bahas_tkksd")

    response = tkksd.post(f"/tugas/{task.pk}/", forum(file_notulen=None))

    assert "Notulen forum TKKSD belum dilampirkan" in text(response)
    assert still_open(task)


def test_it_refuses_the_forum_without_its_meeting_date(at_step):
    task, tkksd = at_step("bahas_tkksd")

    response = tkksd.post(f"/tugas/{task.pk}/", forum(record_tanggal_rapat=""))

    assert "Tanggal rapat forum TKKSD" in text(response) and "wajib diisi" in text(response)
    assert still_open(task)
    assert not Document.objects.filter(kind="notulen").exists()


def test_it_refuses_a_meeting_date_that_is_not_a_date_next_to_the_field(at_step):
    task, tkksd = at_step("bahas_tkksd")

    response = tkksd.post(f"/tugas/{task.pk}/", forum(record_tanggal_rapat="kemarin sore"))

    assert errors_of(response, "record_tanggal_rapat")
    assert errors_of(response, "record_tanggal_rapat")[0] in field_block(text(response), "record_tanggal_rapat")
    assert still_open(task)


def test_it_leaves_no_file_behind_when_it_refuses(at_step, settings):
    task, tkksd = at_step("bahas_tkksd")
    before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())

    tkksd.post(f"/tugas/{task.pk}/", forum(record_anggota_hadir=""))

    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == before


# --- the Governor's decision ------------------------------------------------------------------

def governor(**changes) -> dict:
    data = {"decision": "setuju", "record_penandatangan": "gubernur",
            "file_disposisi_gubernur": pdf_upload("disposisi-gubernur.pdf")}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_asks_the_governor_who_signs(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    block = field_block(task_page(gubernur, task), "record_penandatangan")

    assert "Yang menandatangani PKS" in block
    assert '<option value="gubernur">Gubernur</option>' in block
    assert '<option value="kepala_opd">Kepala Perangkat Daerah dengan surat kuasa</option>' in block


def test_it_lists_the_surat_kuasa_as_needed_only_when_the_kepala_opd_signs(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    page = task_page(gubernur, task)

    assert "bila Yang menandatangani PKS: Kepala Perangkat Daerah dengan surat kuasa" in checklist_item(page, "Surat kuasa")
    assert not is_ticked(checklist_item(page, "Disposisi Gubernur atas rekomendasi"))


def test_it_enables_submit_once_the_disposition_scan_is_there_without_a_surat_kuasa(at_step):
    task, gubernur = at_step("keputusan_gubernur")
    assert submit_disabled(task_page(gubernur, task))

    gubernur.post(f"/tugas/{task.pk}/unggah/", {"kind": "disposisi_gubernur", "file_disposisi_gubernur": pdf_upload()})

    assert not submit_disabled(task_page(gubernur, task))


def test_it_records_that_the_governor_signs(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    response = gubernur.post(f"/tugas/{task.pk}/", governor())

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.outcome, task.data) == ("setuju", {"penandatangan": "gubernur"})
    assert Document.objects.get(kind="disposisi_gubernur").task_id == task.pk
    assert open_task(task.case).step_key == "finalisasi_draft"


def test_it_refuses_the_governors_decision_without_the_disposition_scan(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    response = gubernur.post(f"/tugas/{task.pk}/", governor(file_disposisi_gubernur=None))

    assert "Disposisi Gubernur atas rekomendasi belum dilampirkan" in text(response)
    assert still_open(task)


def test_it_refuses_a_kepala_opd_signing_without_the_surat_kuasa(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    response = gubernur.post(f"/tugas/{task.pk}/", governor(record_penandatangan="kepala_opd", record_nomor_surat_kuasa="180/45/HUK/2026"))

    assert "Surat kuasa belum dilampirkan" in text(response)
    assert still_open(task)
    assert not Document.objects.filter(kind="disposisi_gubernur").exists()


def test_it_keeps_the_surat_kuasa_as_a_document_of_the_case(browser, at_step):
    task, gubernur = at_step("keputusan_gubernur")
    gubernur.post(f"/tugas/{task.pk}/unggah/", {"kind": "surat_kuasa", "file_surat_kuasa": pdf_upload("surat-kuasa.pdf")})

    response = gubernur.post(f"/tugas/{task.pk}/", governor(record_penandatangan="kepala_opd", record_nomor_surat_kuasa="180/45/HUK/2026"))

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.data == {"penandatangan": "kepala_opd", "nomor_surat_kuasa": "180/45/HUK/2026"}
    kuasa = Document.objects.get(kind="surat_kuasa")
    assert (kuasa.case_id, kuasa.task_id) == (task.case_id, task.pk)
    case_page = text(browser("karo").get(f"/perkara/{task.case_id}/"))
    assert "Surat kuasa" in case_page and f'href="/dokumen/{kuasa.pk}/"' in case_page


def test_it_requires_the_governor_to_say_who_signs_when_agreeing(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    response = gubernur.post(f"/tugas/{task.pk}/", governor(record_penandatangan=""))

    assert "Yang menandatangani PKS" in text(response) and "wajib diisi" in text(response)
    assert still_open(task)


def test_it_sends_a_rejected_recommendation_back_to_the_tkksd(at_step):
    task, gubernur = at_step("keputusan_gubernur")

    response = gubernur.post(f"/tugas/{task.pk}/", governor(decision="tidak_setuju", record_penandatangan="",
                                                            note="Perlu kajian dampak lingkungan."))

    assert response.status_code == 302
    assert open_task(task.case).step_key == "bahas_tkksd"
