"""The register's pages: an agreement's page, Catat perjanjian (and its correction), reports on
the agreement's page, and the XLSX import (upload, dry run, confirmation)."""
from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from alur.agreements import imports
from alur.agreements.entry import Contact, PartnerDetails, record_signed_agreement
from alur.agreements.models import Agreement, Distribution, ImplementationReport, Partner
from alur.agreements.reports import add_implementation_report
from alur.org.models import OrgUnit
from alur.workflow.models import AuditEvent
from alur.workflow.services import Attachment
from tests.agreements.xlsx import row, xlsx

from .helpers import PDF_BYTES, XLSX_BYTES, pdf_upload, register, text

TODAY = datetime.date.today()


def signed(users, *, number="180/1/PEM/2024", kind="pks", opd="dispar", partner=None, **extra) -> Agreement:
    return record_signed_agreement(
        actor=users["pengelola"], kind=kind, number=number, title=extra.pop("title", f"Perjanjian {number}"),
        partner=partner or Partner.objects.get(name="PT Pesona Wisata Serumpun"), org_unit=OrgUnit.objects.get(code=opd),
        object="Promosi pariwisata", scope="Promosi bersama", signed_on=datetime.date(2024, 3, 12),
        starts_on=datetime.date(2024, 3, 15), ends_on=extra.pop("ends_on", TODAY + datetime.timedelta(days=400)), **extra)


def refused(response) -> bool:
    return response.status_code == 403 and "Tidak diizinkan" in text(response)


# --- the agreement's page --------------------------------------------------------------------------

@pytest.fixture
def family(users):
    """An MoU, a PKS carrying it out (with contacts, distribution, reports) and its addendum."""
    partner = record_signed_agreement(
        actor=users["pengelola"], kind="mou", number="119/1/PEM/2023", title="MoU Pariwisata Berkelanjutan",
        partner=PartnerDetails(name="CV Bahari Jaya", kind="badan_usaha", address="Jl. Pantai 1, Sungailiat",
                               contacts=(Contact("Rina Wati", "Direktur", "0812-1111", "rina@bahari.example"),)),
        org_unit=OrgUnit.objects.get(code="dispar"), object="Kerja sama pariwisata", scope="Umum",
        signed_on=datetime.date(2023, 5, 2), starts_on=datetime.date(2023, 5, 2), ends_on=datetime.date(2028, 5, 1)).partner
    mou = Agreement.objects.get(number="119/1/PEM/2023")
    pks = signed(users, partner=partner, implements=mou, title="PKS Promosi Wisata Bahari", partner_number="045/PKS/2024",
                 urusan="pariwisata", value=1500000000, signer="kepala_opd", power_of_attorney="SK/7/2024",
                 signed_place="Pangkalpinang", archive_place="Lemari B-2", registered_on=datetime.date(2024, 3, 20))
    addendum = signed(users, number="180/1.1/PEM/2025", kind="addendum", amends=pks, partner=partner, title="Addendum I PKS Promosi")
    Distribution.objects.create(agreement=pks, recipient="Dinas Pariwisata", sent_on=datetime.date(2024, 3, 21))
    add_implementation_report(actor=users["kepala_dispar"], agreement_id=pks.pk, reported_on=TODAY - datetime.timedelta(days=100),
                              progress="Festival pertama terlaksana")
    add_implementation_report(actor=users["kepala_dispar"], agreement_id=pks.pk, reported_on=TODAY - datetime.timedelta(days=5),
                              progress="Pelatihan pemandu selesai", obstacles="Cuaca", follow_up="Jadwal ulang",
                              attachment=Attachment(kind="laporan", name="laporan.pdf", content=PDF_BYTES))
    return {"mou": mou, "pks": pks, "addendum": addendum}


def test_the_page_shows_every_register_field(browser, family):
    pks = family["pks"]

    response = browser("analis").get(f"/perjanjian/{pks.pk}/")

    page = text(response)
    assert response.status_code == 200
    for shown in ("180/1/PEM/2024", "045/PKS/2024", "PKS Promosi Wisata Bahari", "Dinas Pariwisata", "Pariwisata",
                  "Rp 1.500.000.000", "12 Maret 2024", "Pangkalpinang", "Kepala OPD dengan surat kuasa", "SK/7/2024",
                  "15 Maret 2024", "Lemari B-2", "20 Maret 2024", "Dicatat manual", "Aktif"):
        assert shown in page, shown


def test_the_page_shows_the_partner_and_its_contacts(browser, family):
    page = text(browser("analis").get(f"/perjanjian/{family['pks'].pk}/"))

    assert "CV Bahari Jaya" in page and "Jl. Pantai 1, Sungailiat" in page
    assert "Rina Wati" in page and 'href="tel:0812-1111"' in page and 'href="mailto:rina@bahari.example"' in page


def test_the_page_links_the_mou_its_pks_and_the_addenda(browser, family):
    mou, pks, addendum = family["mou"], family["pks"], family["addendum"]

    pks_page = text(browser("analis").get(f"/perjanjian/{pks.pk}/"))
    mou_page = text(browser("analis").get(f"/perjanjian/{mou.pk}/"))
    addendum_page = text(browser("analis").get(f"/perjanjian/{addendum.pk}/"))

    assert f'href="/perjanjian/{mou.pk}/"' in pks_page and f'href="/perjanjian/{addendum.pk}/"' in pks_page
    assert f'href="/perjanjian/{pks.pk}/"' in mou_page
    assert f'href="/perjanjian/{pks.pk}/"' in addendum_page and "Addendum atas" in addendum_page


def test_the_page_shows_distribution_and_reports_newest_first(browser, family):
    pks = family["pks"]

    page = text(browser("kepala_dispar").get(f"/perjanjian/{pks.pk}/"))

    assert "Dinas Pariwisata" in page and "21 Maret 2024" in page
    assert page.index("Pelatihan pemandu selesai") < page.index("Festival pertama terlaksana")
    report = pks.reports.get(progress="Pelatihan pemandu selesai")
    assert f'href="/perjanjian/{pks.pk}/laporan/{report.pk}/lampiran/"' in page


def test_a_report_attachment_downloads_for_who_sees_the_agreement(browser, family):
    pks = family["pks"]
    report = pks.reports.get(progress="Pelatihan pemandu selesai")

    response = browser("kepala_dispar").get(f"/perjanjian/{pks.pk}/laporan/{report.pk}/lampiran/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert 'filename="laporan' in response["Content-Disposition"]
    assert refused(browser("kepala_dkp").get(f"/perjanjian/{pks.pk}/laporan/{report.pk}/lampiran/"))
    other = pks.reports.get(progress="Festival pertama terlaksana")
    assert browser("kepala_dispar").get(f"/perjanjian/{pks.pk}/laporan/{other.pk}/lampiran/").status_code == 404


def test_the_page_links_the_case_of_an_agreement_drafted_in_alur(browser, users):
    agreement = register(users)

    response = browser("kepala_dispar").get(f"/perjanjian/{agreement.pk}/")

    assert response.status_code == 200
    assert f'href="/perkara/{agreement.case_id}/"' in text(response) and "Dalam proses" in text(response)


def test_who_may_see_an_agreement(browser, family):
    pks = family["pks"]

    for who in ("karo", "analis", "tkksd", "gubernur", "kepala_dispar"):
        assert browser(who).get(f"/perjanjian/{pks.pk}/").status_code == 200, who
    assert refused(browser("kepala_dkp").get(f"/perjanjian/{pks.pk}/"))
    assert browser("analis").get("/perjanjian/99999/").status_code == 404


def test_a_user_without_a_role_is_refused(browser, family, django_user_model):
    nobody = django_user_model.objects.create_user("tamu")
    assert refused(browser(nobody).get(f"/perjanjian/{family['pks'].pk}/"))


def test_signing_in_is_needed(client, family):
    response = client.get(f"/perjanjian/{family['pks'].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_the_buttons_follow_what_one_may_do(browser, family):
    pks, mou = family["pks"], family["mou"]

    keeper = text(browser("pengelola").get(f"/perjanjian/{mou.pk}/"))
    reader = text(browser("analis").get(f"/perjanjian/{pks.pk}/"))
    head = text(browser("kepala_dispar").get(f"/perjanjian/{pks.pk}/"))

    assert f'href="/perjanjian/{mou.pk}/koreksi/"' in keeper and "?mou=119/1/PEM/2023" in keeper
    assert "?addendum_atas=119/1/PEM/2023" in keeper
    assert "koreksi/" not in reader and "Tambah laporan" not in reader
    assert "Tambah laporan" in head and "koreksi/" not in head


# --- reports ------------------------------------------------------------------------------------

def test_the_kepala_opd_adds_a_report_with_its_attachment(browser, users, family):
    pks = family["pks"]

    response = browser("kepala_dispar").post(f"/perjanjian/{pks.pk}/laporan/", {
        "reported_on": TODAY.isoformat(), "progress": "Promosi bersama di tiga pameran", "obstacles": "", "follow_up": "Lanjut",
        "attachment": pdf_upload("triwulan.pdf")})

    assert response.status_code == 302 and response["Location"] == f"/perjanjian/{pks.pk}/#laporan"
    report = pks.reports.get(progress="Promosi bersama di tiga pameran")
    assert (report.reporter, report.follow_up, report.attachment.read()) == (users["kepala_dispar"], "Lanjut", PDF_BYTES)


def test_a_report_with_problems_is_shown_again_with_them(browser, family):
    pks = family["pks"]

    response = browser("pengelola").post(f"/perjanjian/{pks.pk}/laporan/", {
        "reported_on": (TODAY + datetime.timedelta(days=2)).isoformat(), "progress": "",
        "attachment": SimpleUploadedFile("data.xlsx", XLSX_BYTES)})

    assert response.status_code == 200
    errors = response.context["report_form"].errors
    assert "Tanggal laporan tidak boleh di masa depan." in errors["reported_on"]
    assert errors["progress"] and "buku kerja Excel" in errors["attachment"][0]
    assert pks.reports.count() == 2


def test_the_head_of_another_opd_may_not_report(browser, family):
    pks = family["pks"]

    response = browser("kepala_dkp").post(f"/perjanjian/{pks.pk}/laporan/", {"reported_on": TODAY.isoformat(), "progress": "x"})

    assert refused(response) and pks.reports.count() == 2


def test_a_reader_outside_the_register_may_not_report(browser, family):
    pks = family["pks"]

    response = browser("analis").post(f"/perjanjian/{pks.pk}/laporan/", {"reported_on": TODAY.isoformat(), "progress": "x"})

    assert refused(response) and ImplementationReport.objects.filter(progress="x").count() == 0


# --- Catat perjanjian ------------------------------------------------------------------------------

# --- distribution after registration -------------------------------------------------------------------

def test_the_pengelola_records_a_later_distribution_with_its_date(browser, users, family):
    pks = family["pks"]

    response = browser("pengelola").post(f"/perjanjian/{pks.pk}/distribusi/", {
        "recipient": "  Inspektorat   Provinsi ", "sent_on": "2024-04-02"})

    assert response.status_code == 302 and response["Location"] == f"/perjanjian/{pks.pk}/#distribusi"
    assert list(pks.distributions.values_list("recipient", "sent_on")) == [
        ("Dinas Pariwisata", datetime.date(2024, 3, 21)), ("Inspektorat Provinsi", datetime.date(2024, 4, 2))]
    event = AuditEvent.objects.get(action="agreement.distributed")
    assert (event.actor, event.data["recipient"], event.data["sent_on"]) == (users["pengelola"], "Inspektorat Provinsi", "2024-04-02")
    assert "Inspektorat Provinsi" in text(browser("karo").get(f"/perjanjian/{pks.pk}/"))


@pytest.mark.parametrize("sent_on, message", [
    ((TODAY + datetime.timedelta(days=1)).isoformat(), "tidak boleh di masa depan"),
    ("2024-03-01", "Tanggal distribusi (01-03-2024) sebelum tanggal penandatanganan (12-03-2024)."),
])
def test_a_distribution_dated_impossibly_is_refused_with_the_dates(browser, family, sent_on, message):
    pks = family["pks"]

    response = browser("pengelola").post(f"/perjanjian/{pks.pk}/distribusi/", {"recipient": "Inspektorat", "sent_on": sent_on})

    assert response.status_code == 200 and message in text(response)
    assert pks.distributions.count() == 1


def test_a_distribution_needs_a_recipient_and_a_date(browser, family):
    pks = family["pks"]

    response = browser("pengelola").post(f"/perjanjian/{pks.pk}/distribusi/", {"recipient": "", "sent_on": "kemarin"})

    errors = response.context["distribution_form"].errors
    assert response.status_code == 200 and set(errors) == {"recipient", "sent_on"}
    assert pks.distributions.count() == 1


def test_only_those_who_keep_the_register_record_a_distribution(browser, family):
    pks = family["pks"]

    response = browser("kepala_dispar").post(f"/perjanjian/{pks.pk}/distribusi/", {"recipient": "X", "sent_on": "2024-04-02"})

    assert refused(response) and pks.distributions.count() == 1
    assert "Catat distribusi" not in text(browser("kepala_dispar").get(f"/perjanjian/{pks.pk}/"))
    assert "Catat distribusi" in text(browser("pengelola").get(f"/perjanjian/{pks.pk}/"))


def test_an_agreement_not_yet_registered_takes_no_distribution(users):
    from alur.agreements.entry import record_distribution
    from alur.workflow.errors import InvalidInput
    from tests.agreements.walking import drafted

    draft, _ = drafted(users)

    with pytest.raises(InvalidInput, match="belum teregistrasi"):
        record_distribution(actor=users["pengelola"], agreement_id=draft.pk, recipient="X", sent_on=TODAY)


def entry_form(**overrides) -> dict:
    values = {
        "kind": "pks", "number": "180/5/PEM/2024", "partner_number": "", "title": "PKS Pelatihan Pemandu",
        "org_unit": OrgUnit.objects.get(code="dkp").pk, "object": "Pelatihan", "scope": "Pelatihan pemandu wisata",
        "urusan": "pariwisata", "value": "250000000", "signed_on": "2024-03-12", "signed_place": "Pangkalpinang",
        "signer": "gubernur", "power_of_attorney": "", "starts_on": "2024-03-15", "ends_on": "2026-03-14",
        "implements_number": "", "amends_number": "", "registered_on": "2024-03-20", "archive_place": "Lemari A",
        "partner": Partner.objects.get(name="PT Timah Tbk").pk,
    }
    values.update(overrides)
    return values


def test_the_form_records_an_agreement_and_opens_its_page(browser, users):
    response = browser("pengelola").post("/perjanjian/catat/", entry_form())

    agreement = Agreement.objects.get(number="180/5/PEM/2024")
    assert response.status_code == 302 and response["Location"] == f"/perjanjian/{agreement.pk}/"
    assert (agreement.source, agreement.org_unit.code, agreement.partner.name, agreement.duration_months) == (
        "manual", "dkp", "PT Timah Tbk", 24)
    assert agreement.registered_by == users["pengelola"]


def test_the_form_creates_a_new_partner_with_two_contacts(browser):
    browser("kabag").post("/perjanjian/catat/", entry_form(
        partner="", new_partner_name="Yayasan Laut Biru", new_partner_kind="ormas", new_partner_address="Toboali",
        contact_name_1="Sari", contact_position_1="Ketua", contact_phone_1="0813", contact_email_1="sari@laut.example",
        contact_name_2="Andi", contact_phone_2="0814"))

    partner = Agreement.objects.get(number="180/5/PEM/2024").partner
    assert (partner.name, partner.kind, partner.address) == ("Yayasan Laut Biru", "ormas", "Toboali")
    assert [(c.name, c.position, c.phone) for c in partner.contacts.all()] == [("Sari", "Ketua", "0813"), ("Andi", "", "0814")]


def test_a_duplicate_number_is_refused_naming_the_agreement(browser, users):
    existing = signed(users, number="180/5/PEM/2024", title="PKS Lama")

    response = browser("pengelola").post("/perjanjian/catat/", entry_form())

    assert response.status_code == 200
    assert f"Nomor 180/5/PEM/2024 sudah dipakai oleh perjanjian #{existing.pk}" in text(response)
    assert Agreement.objects.count() == 1


def test_a_period_beyond_five_years_is_refused_with_a_clear_message(browser):
    response = browser("pengelola").post("/perjanjian/catat/", entry_form(ends_on="2030-03-16"))

    assert "melebihi 5 tahun" in text(response) and "Karo Pemerintahan" in text(response)
    assert not Agreement.objects.exists()


def test_only_the_karo_records_a_legal_basis(browser, users):
    pengelola_form = browser("pengelola").get("/perjanjian/catat/").context["form"]
    assert pengelola_form.fields["legal_basis"].disabled

    browser("pengelola").post("/perjanjian/catat/", entry_form(ends_on="2030-03-16", legal_basis="Perpres 12/2021"))
    assert not Agreement.objects.exists()

    browser("karo").post("/perjanjian/catat/", entry_form(ends_on="2030-03-16", legal_basis="Perpres 12/2021"))
    agreement = Agreement.objects.get()
    assert (agreement.legal_basis, agreement.legal_basis_by) == ("Perpres 12/2021", users["karo"])


def test_an_unknown_mou_number_is_named_at_its_field(browser):
    response = browser("pengelola").post("/perjanjian/catat/", entry_form(implements_number="119/9/PEM/2023"))

    assert response.context["form"].errors["implements_number"] == ["MoU bernomor 119/9/PEM/2023 tidak ada di register."]


def test_a_pks_carrying_out_an_mou_and_an_addendum(browser, users):
    mou = signed(users, number="119/1/PEM/2023", kind="mou")

    browser("pengelola").post("/perjanjian/catat/", entry_form(implements_number="119/1/pem/2023"))
    pks = Agreement.objects.get(number="180/5/PEM/2024")
    browser("pengelola").post("/perjanjian/catat/", entry_form(kind="addendum", number="180/5.1/PEM/2025", amends_number=pks.number))

    assert pks.implements == mou
    assert Agreement.objects.get(number="180/5.1/PEM/2025").amends == pks


def test_the_links_of_an_agreement_prefill_the_form(browser, users):
    form = browser("pengelola").get("/perjanjian/catat/?addendum_atas=180/1/PEM/2024").context["form"]
    assert (form["kind"].value(), form["amends_number"].value()) == ("addendum", "180/1/PEM/2024")


def test_only_those_who_keep_the_register_enter(browser):
    for who in ("kepala_dispar", "analis", "gubernur"):
        assert refused(browser(who).get("/perjanjian/catat/")), who
    assert refused(browser("analis").post("/perjanjian/catat/", entry_form()))
    assert not Agreement.objects.exists()


def test_a_correction_from_the_page(browser, users):
    agreement = signed(users, number="180/5/PEM/2024", title="PKS Lama")
    form = browser("kabag").get(f"/perjanjian/{agreement.pk}/koreksi/").context["form"]
    values = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    values.update(title="PKS Pelatihan Pemandu Wisata", archive_place="Lemari C", reason="judul pada naskah")

    response = browser("kabag").post(f"/perjanjian/{agreement.pk}/koreksi/", values)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.archive_place) == ("PKS Pelatihan Pemandu Wisata", "Lemari C")
    event = AuditEvent.objects.get(action="agreement.corrected")
    assert set(event.data["changes"]) == {"title", "archive_place"} and event.data["reason"] == "judul pada naskah"
    assert refused(browser("kepala_dispar").get(f"/perjanjian/{agreement.pk}/koreksi/"))


# --- the import ------------------------------------------------------------------------------------

def upload(content: bytes, name: str = "register.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=imports.XLSX_TYPE)


def held_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_dry_run_shows_rows_to_add_and_a_confirmation(browser, settings):
    client = browser("pengelola")

    response = client.post("/perjanjian/impor/", {"file": upload(xlsx([row(), row(Nomor="180/2/PEM/2024", **{
        "Pihak Ketiga": "CV Bahari Jaya", "Jenis Pihak Ketiga": "Badan usaha"})]))})

    page = text(response)
    assert response.status_code == 200
    assert "2 perjanjian akan ditambahkan." in page and "CV Bahari Jaya (baru)" in page
    assert "Impor 2 perjanjian" in page
    assert not Agreement.objects.exists()
    [held] = held_files(settings)
    assert imports.sha256_of(held.read_bytes()) == response.context["plan"].sha256


def test_confirming_imports_the_file_shown_once(browser, settings):
    client = browser("pengelola")
    plan_page = client.post("/perjanjian/impor/", {"file": upload(xlsx([row(), row(Nomor="180/2/PEM/2024")]))})
    held = plan_page.context["held"]

    response = client.post("/perjanjian/impor/konfirmasi/", {"key": held["key"], "sha256": held["sha256"]})

    assert response.status_code == 302 and response["Location"] == "/perjanjian/impor/"
    assert Agreement.objects.filter(source="import").count() == 2
    assert held_files(settings) == []
    result = text(client.get("/perjanjian/impor/"))
    assert "2 perjanjian dicatat dari register.xlsx." in result
    assert f'href="/perjanjian/{Agreement.objects.get(number="180/1/PEM/2024").pk}/"' in result

    again = client.post("/perjanjian/impor/konfirmasi/", {"key": held["key"], "sha256": held["sha256"]})
    assert again.status_code == 302 and Agreement.objects.count() == 2
    assert "tidak dikenal atau sudah dipakai" in text(client.get("/perjanjian/impor/"))


def test_a_re_upload_of_the_same_file_adds_nothing(browser):
    client = browser("pengelola")
    content = xlsx([row()])
    held = client.post("/perjanjian/impor/", {"file": upload(content)}).context["held"]
    client.post("/perjanjian/impor/konfirmasi/", held)

    response = client.post("/perjanjian/impor/", {"file": upload(content)})

    page = text(response)
    assert "0 perjanjian akan ditambahkan." in page and "1 sudah ada di register dan dilewati." in page
    assert "Impor 0" not in page and "Tidak ada yang perlu ditambahkan." in page
    assert Agreement.objects.count() == 1


def test_problems_are_shown_by_row_and_column_and_nothing_can_be_confirmed(browser, settings):
    response = browser("pengelola").post("/perjanjian/impor/", {"file": upload(xlsx([row(), row(Nomor="B", OPD="dinkes")]))})

    page = text(response)
    assert "1 masalah; tidak ada yang dicatat." in page
    assert "<td>3</td><td>OPD</td>" in page and "OPD &#x27;dinkes&#x27; tidak dikenal" in page
    assert "konfirmasi" not in page and held_files(settings) == []


def test_a_file_changed_on_disk_since_the_dry_run_is_refused(browser, settings):
    client = browser("pengelola")
    held = client.post("/perjanjian/impor/", {"file": upload(xlsx([row()]))}).context["held"]
    [path] = held_files(settings)
    path.write_bytes(xlsx([row(), row(Nomor="SELIPAN")]))

    client.post("/perjanjian/impor/konfirmasi/", held)

    assert not Agreement.objects.exists()
    assert "Berkas pratinjau berubah sejak diperiksa" in text(client.get("/perjanjian/impor/"))


def test_someone_elses_preview_cannot_be_confirmed(browser):
    held = browser("pengelola").post("/perjanjian/impor/", {"file": upload(xlsx([row()]))}).context["held"]

    browser("kabag").post("/perjanjian/impor/konfirmasi/", held)

    assert not Agreement.objects.exists()


def test_the_register_changed_between_dry_run_and_confirmation(browser, users):
    client = browser("pengelola")
    held = client.post("/perjanjian/impor/", {"file": upload(xlsx([row()]))}).context["held"]
    signed(users, number="180/1/PEM/2024", title="Dicatat orang lain")

    response = client.post("/perjanjian/impor/konfirmasi/", held)

    assert response.status_code == 200 and "sudah ada di register" in text(response)
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"Nomor;Judul\n", "register.csv", "tampaknya teks (CSV?)"),
    (PDF_BYTES, "register.xlsx", "tampaknya dokumen PDF"),
    (XLSX_BYTES, "register.xlsx", "tidak dapat dibaca sebagai buku kerja .xlsx"),
])
def test_a_bad_file_is_named_at_the_upload(browser, content, name, message):
    response = browser("pengelola").post("/perjanjian/impor/", {"file": upload(content, name)})

    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]


def test_missing_columns_are_named(browser):
    response = browser("pengelola").post("/perjanjian/impor/", {"file": upload(xlsx([row()], headers=["Nomor", "Jenis", "Judul"]))})

    assert "kolom wajib tidak ada di baris judul" in response.context["form"].errors["file"][0]


def test_the_template_downloads_as_xlsx(browser):
    response = browser("pengelola").get("/perjanjian/impor/templat.xlsx")

    assert response.status_code == 200 and response["Content-Type"] == imports.XLSX_TYPE
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Register"][1]][:3] == ["Nomor", "Nomor Pihak Ketiga", "Jenis"]


def test_only_those_who_keep_the_register_import(browser):
    for who in ("kepala_dispar", "analis"):
        assert refused(browser(who).get("/perjanjian/impor/")), who
        assert refused(browser(who).get("/perjanjian/impor/templat.xlsx")), who
    assert refused(browser("analis").post("/perjanjian/impor/", {"file": upload(xlsx([row()]))}))
    assert refused(browser("analis").post("/perjanjian/impor/konfirmasi/", {"key": "0" * 32, "sha256": "0" * 64}))


# --- in English ------------------------------------------------------------------------------------

def test_the_pages_speak_english_to_who_chose_it(browser, users, family):
    from alur.web.models import Preference

    Preference.objects.create(user=users["pengelola"], language="en")
    client = browser("pengelola")

    assert "Implementation reports" in text(client.get(f"/perjanjian/{family['pks'].pk}/"))
    assert "Record an agreement" in text(client.get("/perjanjian/catat/"))
    assert "Import the register of agreements" in text(client.get("/perjanjian/impor/"))


def test_a_huge_upload_is_refused_by_its_size(browser, settings):
    settings.ALUR_MAX_UPLOAD_MB = 1

    response = browser("pengelola").post("/perjanjian/impor/", {"file": upload(b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))})

    assert "berukuran 2,0 MB; batasnya 1,0 MB" in response.context["form"].errors["file"][0]
