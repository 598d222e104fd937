"""The case page's register card: a registered agreement's number, status, period, signing,
distribution and archive place; the Karo's legal basis for a period outside the rule before the
signing; cancelling a registered agreement with its reason (keepers of the register, POST with
CSRF, audited)."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from alur.agreements.models import Agreement
from alur.web.models import Preference
from alur.workflow.models import AuditEvent
from tests.agreements.walking import complete, drafted, registered, to_signing
from tests.web.test_case_page import timeline_row

from .helpers import field_block, pdf_upload, text


def register_card(page: str) -> str:
    start = page.index('id="register"')
    return page[start:page.index("</section>", start)]


def card(browser, agreement, who: str = "pengelola") -> str:
    response = browser(who).get(f"/perkara/{agreement.case_id}/")
    assert response.status_code == 200
    return register_card(text(response))


@pytest.fixture
def agreement(users) -> Agreement:
    return registered(users)


# --- what it shows -----------------------------------------------------------------------------------

def test_it_shows_the_register_number_status_period_signing_distribution_and_archive(browser, agreement):
    shown = card(browser, agreement)

    assert agreement.number in shown and agreement.number.startswith("119/1/PKS/B.PEM/")
    assert ">Aktif<" in shown
    assert "1 Desember 2026 – 30 November 2028" in shown
    assert "24 November 2026, Pangkalpinang · Gubernur" in shown
    assert "045/PKS/PMJ/XI/2026" in shown
    assert f'Dinas Pariwisata <span class="text-muted">({timezone.localdate().day} ' in shown
    assert "PT Maju Jaya" in shown
    assert "Lemari arsip Bagian Kerja Sama, rak 2" in shown
    assert f'href="/perjanjian/{agreement.pk}/"' in shown


def test_the_status_follows_the_end_date(browser, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(ends_on=timezone.localdate() + datetime.timedelta(days=30))
    assert ">Akan berakhir<" in card(browser, agreement)

    Agreement.objects.filter(pk=agreement.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert ">Berakhir<" in card(browser, agreement)


def test_the_timeline_shows_each_recipient_on_its_line(browser, agreement):
    page = text(browser("pengelola").get(f"/perkara/{agreement.case_id}/"))

    assert "Dinas Pariwisata<br>PT Maju Jaya" in timeline_row(page, 13)


def test_a_draft_not_yet_registered_is_in_process_and_says_when_it_gets_its_number(browser, users):
    draft, _ = drafted(users)

    shown = card(browser, draft)

    assert ">Dalam proses<" in shown
    assert "Nomor register diberikan ketika Pengelola Informasi Kerja Sama menyelesaikan registrasi" in shown


def test_a_case_without_an_agreement_has_no_register_card(browser, walker):
    page = text(browser("karo").get(f"/perkara/{walker.case.pk}/"))

    assert "Register perjanjian" not in page


def test_the_card_is_in_english_for_an_english_reader(browser, users, agreement):
    Preference.objects.create(user=users["pengelola"], language="en")

    page = text(browser("pengelola").get(f"/perkara/{agreement.case_id}/"))

    assert "Agreement register" in page and "Register number" in page and "Cancel the agreement" in page


# --- the Karo's legal basis ---------------------------------------------------------------------------

def test_the_karo_sees_the_legal_basis_form_before_the_signing_and_others_do_not(browser, users):
    draft, _ = drafted(users)

    assert 'name="legal_basis"' in card(browser, draft, "karo")
    assert 'name="legal_basis"' not in card(browser, draft, "pengelola")


def test_the_karo_records_a_legal_basis_and_the_signing_then_accepts_a_longer_period(browser, users):
    draft, walker = drafted(users)
    to_signing(walker)

    karo = browser("karo")
    response = karo.post(f"/perkara/{draft.case_id}/dasar-hukum/", {"legal_basis": "Perpres 38/2015 tentang KPBU"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.legal_basis, draft.legal_basis_by) == ("Perpres 38/2015 tentang KPBU", users["karo"])
    assert AuditEvent.objects.order_by("-seq").first().action == "agreement.legal_basis_recorded"
    page = text(karo.get(f"/perkara/{draft.case_id}/"))
    assert "Dasar hukum pengecualian jangka waktu dicatat." in page
    assert "Perpres 38/2015 tentang KPBU" in register_card(page)
    complete(walker, tanggal_berakhir="2036-11-30")
    assert walker.open_task.step_key == "registrasi"


def test_a_legal_basis_left_empty_is_refused_with_a_message(browser, users):
    draft, _ = drafted(users)

    response = browser("karo").post(f"/perkara/{draft.case_id}/dasar-hukum/", {"legal_basis": "  "}, follow=True)

    assert "Tuliskan dasar hukum pengecualian jangka waktu." in text(response)
    draft.refresh_from_db()
    assert draft.legal_basis == ""


def test_someone_other_than_the_karo_cannot_record_a_legal_basis(browser, users):
    draft, _ = drafted(users)

    response = browser("pengelola").post(f"/perkara/{draft.case_id}/dasar-hukum/", {"legal_basis": "Perpres 38/2015"})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.legal_basis == ""


def test_the_signing_form_says_the_refused_period_on_the_page(browser, users):
    draft, walker = drafted(users)
    task = to_signing(walker)
    from .helpers import pdf_upload

    response = browser("kepala_dispar").post(f"/tugas/{task.pk}/", {
        "file_dokumen_pks": pdf_upload("pks-ttd.pdf"), "record_tanggal_tanda_tangan": "2026-11-24",
        "record_tempat_tanda_tangan": "Pangkalpinang", "record_tanggal_mulai": "2026-12-01",
        "record_tanggal_berakhir": "2036-12-01", "record_dasar_hukum": "Perpres 38/2015"})

    assert response.status_code == 200
    assert "hanya dapat dicatat oleh Karo Pemerintahan" in text(response)
    assert "01-12-2026 sampai 01-12-2036 melebihi 5 tahun" in text(response)


def at_governor(users):
    draft, walker = drafted(users)
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    assert walker.open_task.step_key == "keputusan_gubernur"
    return draft, walker


def governor_form(**record) -> dict:
    return {"decision": "setuju", "file_disposisi_gubernur": pdf_upload("disposisi-gubernur.pdf"),
            "file_surat_kuasa": pdf_upload("surat-kuasa.pdf"), **{f"record_{k}": v for k, v in record.items()}}


def test_the_governors_form_asks_for_the_surat_kuasa_number(browser, users):
    _draft, walker = at_governor(users)

    block = field_block(text(browser("gubernur").get(f"/tugas/{walker.open_task.pk}/")), "record_nomor_surat_kuasa")

    assert "Nomor surat kuasa (wajib bila Kepala Perangkat Daerah yang menandatangani)" in block


def test_the_governors_form_refuses_the_opd_head_without_the_surat_kuasa_number_on_the_page(browser, users):
    _draft, walker = at_governor(users)
    task = walker.open_task

    response = browser("gubernur").post(f"/tugas/{task.pk}/", governor_form(penandatangan="kepala_opd"))

    assert response.status_code == 200
    assert "isi &#x27;Nomor surat kuasa (wajib bila Kepala Perangkat Daerah yang menandatangani)&#x27; pada langkah 9" in text(response)
    task.refresh_from_db()
    assert task.status == task.Status.OPEN


def test_the_opd_heads_surat_kuasa_number_is_registered_and_shown_with_the_signing(browser, users):
    draft, walker = at_governor(users)

    response = browser("gubernur").post(f"/tugas/{walker.open_task.pk}/", governor_form(
        penandatangan="kepala_opd", nomor_surat_kuasa="180/45/HUK/2026"))
    assert response.status_code == 302
    walker.steps(2)
    complete(walker)
    complete(walker)

    shown = card(browser, draft)
    assert "Kepala OPD dengan surat kuasa" in shown
    assert "Surat kuasa 180/45/HUK/2026" in shown


def test_the_registration_form_asks_for_the_recipients_one_per_line(browser, users):
    draft, walker = drafted(users)
    to_signing(walker)
    walker.step()

    page = text(browser("pengelola").get(f"/tugas/{walker.open_task.pk}/"))

    block = field_block(page, "record_distribusi")
    assert "<textarea" in block and "Satu per baris." in block


# --- cancelling ------------------------------------------------------------------------------------------

def test_a_keeper_of_the_register_sees_the_cancel_form_and_the_opds_head_does_not(browser, agreement):
    assert 'name="reason"' in card(browser, agreement, "pengelola")
    assert 'name="reason"' not in card(browser, agreement, "kepala_dispar")


def test_a_keeper_cancels_a_registered_agreement_with_its_reason(browser, users, agreement):
    response = browser("kabag").post(f"/perkara/{agreement.case_id}/batalkan-perjanjian/",
                                     {"reason": "Pihak ketiga dinyatakan pailit."}, follow=True)

    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.cancelled_at is not None and agreement.cancel_reason == "Pihak ketiga dinyatakan pailit."
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor, event.data["reason"], event.data["number"]) == (
        "agreement.cancelled", users["kabag"], "Pihak ketiga dinyatakan pailit.", agreement.number)
    shown = register_card(text(response))
    assert ">Dibatalkan<" in shown and "Pihak ketiga dinyatakan pailit." in shown
    assert 'name="reason"' not in shown
    assert f"Perjanjian {agreement.number} dibatalkan." in text(response)


def test_cancelling_without_a_reason_is_refused_and_changes_nothing(browser, agreement):
    events = AuditEvent.objects.count()

    response = browser("pengelola").post(f"/perkara/{agreement.case_id}/batalkan-perjanjian/", {"reason": "   "}, follow=True)

    assert "Tuliskan alasan pembatalan." in text(response)
    agreement.refresh_from_db()
    assert (agreement.cancelled_at, agreement.cancel_reason) == (None, "")
    assert AuditEvent.objects.count() == events


def test_the_opds_head_cannot_cancel(browser, agreement):
    response = browser("kepala_dispar").post(f"/perkara/{agreement.case_id}/batalkan-perjanjian/", {"reason": "Tidak jadi."})

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.cancelled_at is None


def test_cancelling_is_a_post(browser, agreement):
    assert browser("pengelola").get(f"/perkara/{agreement.case_id}/batalkan-perjanjian/").status_code == 405


def test_cancelling_without_the_csrf_token_is_refused(users, agreement):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["pengelola"])

    response = client.post(f"/perkara/{agreement.case_id}/batalkan-perjanjian/", {"reason": "Pihak ketiga pailit."})

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.cancelled_at is None


def test_a_draft_not_registered_cannot_be_cancelled_here(browser, users):
    draft, _ = drafted(users)

    response = browser("pengelola").post(f"/perkara/{draft.case_id}/batalkan-perjanjian/", {"reason": "Tidak jadi."}, follow=True)

    assert "belum teregistrasi" in text(response)
    draft.refresh_from_db()
    assert draft.cancelled_at is None


def test_an_agreement_cancelled_once_is_not_cancelled_again(browser, agreement):
    browser("pengelola").post(f"/perkara/{agreement.case_id}/batalkan-perjanjian/", {"reason": "Pailit."})

    response = browser("karo").post(f"/perkara/{agreement.case_id}/batalkan-perjanjian/", {"reason": "Lagi."}, follow=True)

    assert "sudah dibatalkan pada" in text(response)
    agreement.refresh_from_db()
    assert agreement.cancel_reason == "Pailit."


def test_a_case_without_an_agreement_has_nothing_to_cancel(browser, walker):
    assert browser("pengelola").post(f"/perkara/{walker.case.pk}/batalkan-perjanjian/", {"reason": "x"}).status_code == 404


def test_another_opds_case_is_not_shown_nor_cancelled_by_its_head(browser, agreement):
    assert browser("kepala_dkp").post(f"/perkara/{agreement.case_id}/batalkan-perjanjian/", {"reason": "x"}).status_code == 403
