"""Draft baru: registering an incoming draft PKS with its disposition starts its case at step 1.
Bad input is named next to its field and creates nothing."""
from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from alur.agreements.models import Agreement, Partner
from alur.org.models import OrgUnit
from alur.workflow.models import AuditEvent, Case, Document

from tests.agreements.registerdata import agreement as entered_by_hand

from .helpers import docx_upload, errors_of, field_block, open_task, pdf_upload, text, xlsx_upload


def valid_form(**changes) -> dict:
    """What a pengelola fills in for a draft from Dinas Pariwisata with a known partner."""
    data = {
        "title": "PKS Promosi Wisata Bahari dengan PT Pesona Wisata Serumpun",
        "org_unit": OrgUnit.objects.get(code="dispar").pk,
        "disposition_number": "B/045/SETDA/2026",
        "disposition_date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "disposition_from": "wakil_gubernur",
        "partner": Partner.objects.get(name="PT Pesona Wisata Serumpun").pk,
        "new_partner_name": "",
        "new_partner_kind": "",
        "object": "Promosi wisata bahari Bangka Belitung",
        "scope": "Promosi bersama, paket wisata, pelatihan pemandu",
        "duration_months": "24",
        "draft": pdf_upload("draft-pks.pdf"),
        "soft_file": docx_upload("draft-pks.docx"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def pengelola(browser):
    return browser("pengelola")


def stored_files(media_root) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def nothing_created(media_root) -> bool:
    return (Case.objects.count(), Agreement.objects.count(), Document.objects.count(), stored_files(media_root)) == (0, 0, 0, [])


def assert_refused_at(response, field: str, words: str, settings):
    """Refused with the message next to the field, and nothing created."""
    assert response.status_code == 200
    assert any(words in e for e in errors_of(response, field)), errors_of(response, field)
    assert words in field_block(text(response), field)
    assert nothing_created(settings.MEDIA_ROOT)


# --- the page ---------------------------------------------------------------------------------

def test_it_shows_the_form_with_disposition_sources_opds_and_partner_directory(pengelola):
    page = text(pengelola.get("/draft/baru/"))

    for words in ("Draft baru", "Nomor surat disposisi", "Tanggal disposisi", "Gubernur", "Wakil Gubernur",
                  "Sekretaris Daerah", "Dinas Pariwisata", "Dinas Kelautan dan Perikanan",
                  "PT Pesona Wisata Serumpun", "Universitas Bangka Belitung", "Nama pihak ketiga baru",
                  "Objek kerja sama", "Ruang lingkup", "Jangka waktu (bulan)", "Berkas draft PKS", "Soft file"):
        assert words in page, words


def test_it_offers_only_opds_as_the_proposing_unit(pengelola):
    block = field_block(text(pengelola.get("/draft/baru/")), "org_unit")

    assert "Dinas Pariwisata" in block
    assert "Biro Pemerintahan" not in block
    assert "TKKSD" not in block


# --- registering ------------------------------------------------------------------------------

def test_it_registers_the_draft_and_opens_its_case_page(users, pengelola):
    response = pengelola.post("/draft/baru/", valid_form())

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/perkara/{agreement.case_id}/"
    assert (agreement.title, agreement.org_unit.code, agreement.partner.name) == (
        "PKS Promosi Wisata Bahari dengan PT Pesona Wisata Serumpun", "dispar", "PT Pesona Wisata Serumpun")
    assert (agreement.disposition_number, agreement.disposition_from) == ("B/045/SETDA/2026", "wakil_gubernur")
    assert agreement.disposition_date == timezone.localdate() - datetime.timedelta(days=2)
    assert (agreement.object, agreement.duration_months) == ("Promosi wisata bahari Bangka Belitung", 24)
    assert agreement.scope == "Promosi bersama, paket wisata, pelatihan pemandu"
    assert agreement.registered_by == users["pengelola"]


def test_it_starts_the_case_at_step_1_with_the_karo(pengelola):
    pengelola.post("/draft/baru/", valid_form())

    case = Case.objects.get()
    task = open_task(case)
    assert (case.status, case.round, case.org_unit.code) == (Case.Status.RUNNING, 1, "dispar")
    assert (task.step_key, task.role_key) == ("terima_disposisi", "karo")


def test_it_shows_the_new_draft_in_the_karos_tugas_saya(browser, pengelola):
    pengelola.post("/draft/baru/", valid_form(title="PKS Pelatihan Pemandu Selam"))

    assert "PKS Pelatihan Pemandu Selam" in text(browser("karo").get("/"))


def test_it_keeps_the_draft_and_its_soft_file_as_documents_of_the_case(users, pengelola):
    pengelola.post("/draft/baru/", valid_form())

    documents = {d.kind: d for d in Document.objects.all()}
    assert set(documents) == {"draft_pks", "soft_file"}
    assert documents["draft_pks"].original_name == "draft-pks.pdf"
    assert documents["draft_pks"].content_type == "application/pdf"
    assert documents["soft_file"].original_name == "draft-pks.docx"
    assert documents["draft_pks"].uploaded_by == users["pengelola"]


def test_it_keeps_the_disposition_scan_when_one_is_given(pengelola):
    pengelola.post("/draft/baru/", valid_form(disposition_scan=pdf_upload("disposisi.pdf")))

    assert Document.objects.filter(kind="disposisi", original_name="disposisi.pdf").exists()


def test_it_registers_a_draft_without_a_soft_file(pengelola):
    response = pengelola.post("/draft/baru/", valid_form(soft_file=None))

    assert response.status_code == 302
    assert list(Document.objects.values_list("kind", flat=True)) == ["draft_pks"]


def test_it_adds_a_new_partner_to_the_directory(pengelola):
    form = valid_form(partner="", new_partner_name="CV Bahari Lestari", new_partner_kind="badan_usaha",
                      new_partner_address="Jl. Pantai Tanjung Pesona, Sungailiat", new_partner_contact="Ibu Rina",
                      new_partner_phone="0812-7000-1234", new_partner_email="rina@bahari.example")

    response = pengelola.post("/draft/baru/", form)

    assert response.status_code == 302
    partner = Partner.objects.get(name="CV Bahari Lestari")
    contact = partner.contacts.get()
    assert (partner.kind, contact.name, contact.email) == ("badan_usaha", "Ibu Rina", "rina@bahari.example")
    assert Agreement.objects.get().partner == partner


def test_it_uses_the_partner_picked_from_the_directory_without_adding_one(pengelola):
    before = Partner.objects.count()

    pengelola.post("/draft/baru/", valid_form())

    assert Partner.objects.count() == before
    assert Agreement.objects.get().partner.name == "PT Pesona Wisata Serumpun"


def test_it_lets_the_karo_register_a_draft_too(browser):
    response = browser("karo").post("/draft/baru/", valid_form())

    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_it_records_the_start_in_the_audit_trail(users, pengelola):
    pengelola.post("/draft/baru/", valid_form())

    started = AuditEvent.objects.get(action="case.started")
    assert (started.actor, started.case_id) == (users["pengelola"], Case.objects.get().pk)


def test_it_says_the_case_number_after_registering(pengelola):
    response = pengelola.post("/draft/baru/", valid_form(), follow=True)

    assert f"Draft didaftarkan sebagai perkara #{Case.objects.get().pk}." in text(response)


def test_it_offers_the_urusan_the_value_and_the_mou_as_optional_fields(pengelola):
    page = text(pengelola.get("/draft/baru/"))

    for name, words in (("urusan", "Urusan pemerintahan"), ("value", "Nilai (Rp)"),
                        ("implements_number", "Nomor MoU yang dilaksanakan")):
        block = field_block(page, name)
        assert words in block and "text-danger" not in block, name
    assert "Pariwisata" in field_block(page, "urusan")


def test_it_keeps_the_urusan_the_value_and_the_mou_the_pks_carries_out(pengelola):
    mou = entered_by_hand(kind=Agreement.Kind.MOU, number="119/3/MoU/B.PEM/II/2025", title="MoU Pariwisata Bahari")

    response = pengelola.post("/draft/baru/", valid_form(urusan="pariwisata", value="1500000000",
                                                         implements_number=" 119/3/mou/B.PEM/II/2025 "))

    assert response.status_code == 302
    agreement = Agreement.objects.get(case__isnull=False)
    assert (agreement.urusan, agreement.value, agreement.implements) == ("pariwisata", Decimal("1500000000"), mou)


def test_it_shows_them_on_the_case_page(browser, pengelola):
    entered_by_hand(kind=Agreement.Kind.MOU, number="119/3/MoU/B.PEM/II/2025", title="MoU Pariwisata Bahari")
    pengelola.post("/draft/baru/", valid_form(urusan="pariwisata", value="1500000000",
                                              implements_number="119/3/MoU/B.PEM/II/2025"))

    page = text(browser("karo").get(f"/perkara/{Case.objects.get().pk}/"))

    assert "Pariwisata" in page and "Rp 1.500.000.000" in page
    assert "119/3/MoU/B.PEM/II/2025 MoU Pariwisata Bahari" in page


def test_it_registers_a_draft_without_them(pengelola):
    response = pengelola.post("/draft/baru/", valid_form(urusan="", value="", implements_number=""))

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.urusan, agreement.value, agreement.implements) == ("", None, None)


# --- refusals next to the field ---------------------------------------------------------------

def test_it_refuses_an_unknown_urusan(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(urusan="perikanan_tangkap"))

    assert response.status_code == 200
    assert errors_of(response, "urusan")
    assert nothing_created(settings.MEDIA_ROOT)


def test_it_refuses_a_negative_value_as_the_register_does(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(value="-5"))

    assert_refused_at(response, "value", "Nilai perjanjian tidak boleh negatif.", settings)


def test_it_refuses_an_mou_number_the_register_does_not_hold(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(implements_number="119/9/MoU/B.PEM/II/2025"))

    assert_refused_at(response, "implements_number", "MoU bernomor 119/9/MoU/B.PEM/II/2025 tidak ada di register.", settings)


def test_it_refuses_an_agreement_that_is_not_an_mou_as_the_one_carried_out(pengelola, settings):
    entered_by_hand(kind=Agreement.Kind.PKS, number="119/8/PKS/B.PEM/II/2025", title="PKS Pemandu Wisata")

    response = pengelola.post("/draft/baru/", valid_form(implements_number="119/8/PKS/B.PEM/II/2025"))

    assert response.status_code == 200
    assert any("bukan MoU" in e for e in errors_of(response, "implements_number"))
    assert Case.objects.count() == 0



def test_it_refuses_a_disposition_date_in_the_future(pengelola, settings):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = pengelola.post("/draft/baru/", valid_form(disposition_date=tomorrow))

    assert_refused_at(response, "disposition_date", "Tanggal disposisi tidak boleh di masa depan.", settings)


def test_it_accepts_a_disposition_dated_today(pengelola):
    response = pengelola.post("/draft/baru/", valid_form(disposition_date=timezone.localdate().isoformat()))

    assert response.status_code == 302


def test_it_refuses_a_partner_both_picked_and_typed_in(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(new_partner_name="CV Bahari Lestari", new_partner_kind="badan_usaha"))

    assert_refused_at(response, "new_partner_name", "bukan keduanya", settings)
    assert not Partner.objects.filter(name="CV Bahari Lestari").exists()


def test_it_refuses_when_no_partner_is_given(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(partner=""))

    assert_refused_at(response, "partner", "Pilih pihak ketiga dari direktori, atau isi nama pihak ketiga baru.", settings)


def test_it_refuses_a_new_partner_without_its_kind(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(partner="", new_partner_name="CV Bahari Lestari"))

    assert_refused_at(response, "new_partner_kind", "Pilih jenis pihak ketiga baru.", settings)
    assert not Partner.objects.filter(name="CV Bahari Lestari").exists()


def test_it_refuses_a_new_partner_already_in_the_directory(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(partner="", new_partner_name="pt timah tbk", new_partner_kind="bumn_bumd"))

    assert_refused_at(response, "new_partner_name", "sudah ada di direktori", settings)


def test_it_refuses_a_known_partner_typed_with_other_spacing_next_to_the_field(pengelola):
    response = pengelola.post("/draft/baru/", valid_form(partner="", new_partner_name="PT  Timah   Tbk", new_partner_kind="bumn_bumd"))

    assert response.status_code == 200
    assert "sudah ada di direktori" in field_block(text(response), "new_partner_name")


def test_it_leaves_no_stored_file_behind_when_a_new_partner_is_refused(pengelola, settings):
    pengelola.post("/draft/baru/", valid_form(partner="", new_partner_name="PT  Timah   Tbk", new_partner_kind="bumn_bumd"))

    assert Case.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


def test_it_refuses_a_draft_larger_than_the_upload_limit(pengelola, settings):
    settings.ALUR_MAX_UPLOAD_MB = 1
    big = pdf_upload("draft-besar.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))

    response = pengelola.post("/draft/baru/", valid_form(draft=big))

    assert_refused_at(response, "draft", "batasnya 1 MB", settings)


@pytest.mark.parametrize("months", ["0", "61"])
def test_it_refuses_a_duration_outside_one_to_sixty_months(pengelola, settings, months):
    response = pengelola.post("/draft/baru/", valid_form(duration_months=months))

    assert_refused_at(response, "duration_months", "60" if months == "61" else "1", settings)


@pytest.mark.parametrize("months", ["1", "60"])
def test_it_accepts_durations_at_both_ends_of_the_range(pengelola, months):
    response = pengelola.post("/draft/baru/", valid_form(duration_months=months))

    assert response.status_code == 302
    assert Agreement.objects.get().duration_months == int(months)


def test_it_refuses_a_registration_without_the_draft_file(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(draft=None))

    assert response.status_code == 200
    assert errors_of(response, "draft")
    assert errors_of(response, "draft")[0] in field_block(text(response), "draft")
    assert nothing_created(settings.MEDIA_ROOT)


def test_it_refuses_a_pdf_name_on_content_that_is_not_a_pdf(pengelola, settings):
    fake = pdf_upload("draft-pks.pdf", b"Ini hanya teks biasa, bukan PDF.")

    response = pengelola.post("/draft/baru/", valid_form(draft=fake))

    assert_refused_at(response, "draft", "draft-pks.pdf", settings)
    assert "tampaknya teks" in field_block(text(response), "draft")


def test_it_refuses_a_spreadsheet_as_the_draft(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(draft=xlsx_upload("draft.xlsx")))

    assert_refused_at(response, "draft", "Excel", settings)


def test_it_refuses_a_spreadsheet_as_the_soft_file(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(soft_file=xlsx_upload("draft.xlsx")))

    assert_refused_at(response, "soft_file", "Excel", settings)


def test_it_refuses_a_spreadsheet_renamed_to_pdf(pengelola, settings):
    renamed = pdf_upload("draft.pdf", xlsx_upload().read())

    response = pengelola.post("/draft/baru/", valid_form(draft=renamed))

    assert_refused_at(response, "draft", "Excel", settings)


def test_it_refuses_an_unknown_disposition_source(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(disposition_from="bupati"))

    assert response.status_code == 200
    assert errors_of(response, "disposition_from")
    assert nothing_created(settings.MEDIA_ROOT)


def test_it_refuses_a_missing_letter_number(pengelola, settings):
    response = pengelola.post("/draft/baru/", valid_form(disposition_number=""))

    assert response.status_code == 200
    assert errors_of(response, "disposition_number")
    assert nothing_created(settings.MEDIA_ROOT)


def test_it_keeps_what_was_typed_when_it_refuses(pengelola):
    response = pengelola.post("/draft/baru/", valid_form(duration_months="61"))

    page = text(response)
    assert 'value="PKS Promosi Wisata Bahari dengan PT Pesona Wisata Serumpun"' in page
    assert 'value="B/045/SETDA/2026"' in page


def test_it_writes_the_field_errors_in_indonesian(pengelola):
    response = pengelola.post("/draft/baru/", valid_form(draft=None, disposition_number=""))

    assert "This field is required" not in text(response)


# --- who may register -------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["kabag", "kasubbag", "analis", "tkksd", "gubernur", "kepala_dispar"])
def test_it_refuses_the_page_to_everyone_but_pengelola_and_karo(browser, username):
    response = browser(username).get("/draft/baru/")

    page = text(response)
    assert response.status_code == 403
    assert "Hanya Pengelola Informasi Kerja Sama atau Karo Pemerintahan" in page
    assert '<html lang="id">' in page


def test_it_refuses_a_post_from_someone_else_and_creates_nothing(browser, settings):
    response = browser("kepala_dispar").post("/draft/baru/", valid_form())

    assert response.status_code == 403
    assert nothing_created(settings.MEDIA_ROOT)


def test_it_shows_perkara_baru_in_the_menu_only_to_those_who_may_start_a_case(browser):
    assert 'href="/perkara/baru/"' in text(browser("pengelola").get("/"))
    assert 'href="/perkara/baru/"' not in text(browser("kabag").get("/"))


def test_it_sends_a_visitor_to_the_sign_in_page(db):
    response = Client().get("/draft/baru/")

    assert response["Location"] == "/masuk/?next=/draft/baru/"
