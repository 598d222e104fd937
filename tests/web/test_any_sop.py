"""Any loaded SOP runs from the web: Perkara baru lists the SOPs a person may start, each intake
asks what its definition says, and the task pages take a case to its end. An SOP the code has
never seen (written here: a role no shipped SOP has, three decisions in a row, a loop back, a
standard in working days) goes from the web intake to the rekapitulasi; a letter is registered
with its own fields and no OPD, and a reply names the letter it answers, linked both ways."""
from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alur.agreements.models import Agreement, Partner
from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.models import Case, Task
from alur.workflow.services import load_sop
from tests.web.helpers import PDF_BYTES, text

TODAY = datetime.date.today()

HIBAH = """\
format: alur-sop/1
key: hibah-uji
identitas:
  nama: SOP Uji Perjanjian Hibah Barang
roles:
  - key: bendahara
    name: Bendahara Barang
  - key: pengelola
    name: Pengelola Hibah
  - key: karo
    name: Kepala Biro
documents:
  - key: usulan_hibah
    name: Usulan hibah
  - key: naskah_hibah
    name: Naskah hibah bertanda tangan
intake:
  roles: [pengelola]
  kelengkapan: [usulan_hibah]
  subject: agreement
  record:
    - key: nomor_usulan
      label: Nomor surat usulan
register:
  kind: pks
  end: tercatat
  fields:
    signed_on: tandatangani.tanggal_tanda_tangan
    starts_on: tandatangani.tanggal_mulai
    ends_on: tandatangani.tanggal_berakhir
    archive_place: tandatangani.tempat_arsip
start: terima
steps:
  - key: terima
    number: 1
    actor: pengelola
    activity: Menerima usulan hibah
    kelengkapan: [usulan_hibah]
    waktu: 10 menit
    next: periksa_barang
  - key: periksa_barang
    number: 2
    actor: bendahara
    activity: Memeriksa barang yang dihibahkan
    waktu: 2 hari kerja
    decision: {setuju: periksa_nilai, tidak_setuju: ditolak}
  - key: periksa_nilai
    number: 3
    actor: bendahara
    activity: Memeriksa nilai barang
    waktu: 1 jam
    decision: {setuju: putuskan, tidak_setuju: ditolak}
  - key: putuskan
    number: 4
    actor: karo
    activity: Memutuskan hibah
    waktu: 30 menit
    decision: {setuju: tandatangani, tidak_setuju: terima}
  - key: tandatangani
    number: 5
    actor: pengelola
    activity: Mencatat penandatanganan naskah hibah
    produces: [naskah_hibah]
    record:
      - {key: tanggal_tanda_tangan, label: Tanggal penandatanganan, type: date}
      - {key: tanggal_mulai, label: Tanggal mulai, type: date}
      - {key: tanggal_berakhir, label: Tanggal berakhir, type: date}
      - {key: tempat_arsip, label: Tempat arsip, type: text}
    waktu: 1 jam
    next: tercatat
ends:
  - key: tercatat
    name: Hibah tercatat
  - key: ditolak
    name: Usulan ditolak
"""


def pdf_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def hibah(users):
    load_sop(text=HIBAH, source_name="hibah-uji.yaml")
    biro = OrgUnit.objects.get(code="biro-pemerintahan")
    RoleAssignment.objects.create(user=users["analis"], role=Role.objects.get(key="bendahara"), org_unit=biro)
    return "hibah-uji"


def open_task(case: Case) -> Task:
    return Task.objects.get(case=case, status=Task.Status.OPEN)


def test_perkara_baru_lists_every_sop_the_person_may_start(browser, hibah):
    page = text(browser("pengelola").get("/perkara/baru/"))

    for name in ("SOP Uji Perjanjian Hibah Barang", "SOP Penyusunan Perjanjian Kerja Sama (PKS) dengan Pihak Ketiga",
                 "SOP Penerbitan Persetujuan Usulan Penawaran Kerja Sama dengan Pihak Ketiga"):
        assert name in page
    assert "Pengadministrasian Surat Keluar" not in page  # the pelaksana or the Kasubbag start a letter


def test_an_sop_unknown_to_the_code_runs_from_the_web_intake_to_the_rekapitulasi(browser, users, hibah):
    pengelola = browser("pengelola")
    assert "Nomor surat usulan" in text(pengelola.get("/perkara/baru/hibah-uji/"))

    response = pengelola.post("/perkara/baru/hibah-uji/", {
        "title": "Hibah Kendaraan Operasional Pariwisata", "org_unit": OrgUnit.objects.get(code="dispar").pk,
        "partner": Partner.objects.get(name="PT Timah Tbk").pk, "object": "Kendaraan operasional",
        "scope": "Serah terima dua kendaraan", "duration_months": "12", "disposition_number": "B/9/SETDA",
        "disposition_date": TODAY.isoformat(), "disposition_from": "sekda", "record_nomor_usulan": "027/44/2026",
        "draft": pdf_file("usulan.pdf")})
    case = Case.objects.get(title="Hibah Kendaraan Operasional Pariwisata")
    assert response.status_code == 302 and response["Location"] == f"/perkara/{case.pk}/"
    assert case.data == {"nomor_usulan": "027/44/2026"}

    walked = []
    moves = [("pengelola", {}), ("analis", {"decision": "setuju"}), ("analis", {"decision": "setuju"}),
             ("karo", {"decision": "tidak_setuju", "note": "Lengkapi daftar barang."}),  # back to step 1
             ("pengelola", {}), ("analis", {"decision": "setuju"}), ("analis", {"decision": "setuju"}),
             ("karo", {"decision": "setuju"}),
             ("pengelola", {"record_tanggal_tanda_tangan": TODAY.isoformat(), "record_tanggal_mulai": TODAY.isoformat(),
                            "record_tanggal_berakhir": (TODAY + datetime.timedelta(days=364)).isoformat(),
                            "record_tempat_arsip": "Lemari hibah", "file_naskah_hibah": pdf_file("naskah.pdf")})]
    for username, form in moves:
        task = open_task(case)
        walked.append((task.step_key, username))
        assert browser(username).post(f"/tugas/{task.pk}/", {"note": "", **form}).status_code == 302

    assert walked == [("terima", "pengelola"), ("periksa_barang", "analis"), ("periksa_nilai", "analis"),
                      ("putuskan", "karo"), ("terima", "pengelola"), ("periksa_barang", "analis"),
                      ("periksa_nilai", "analis"), ("putuskan", "karo"), ("tandatangani", "pengelola")]
    case.refresh_from_db()
    assert (case.status, case.end_key) == (Case.Status.COMPLETED, "tercatat")
    agreement = Agreement.objects.get(case=case)
    assert (agreement.kind, agreement.archive_place, agreement.ends_on) == (
        "pks", "Lemari hibah", TODAY + datetime.timedelta(days=364))
    rekap = text(browser("karo").get("/rekapitulasi/", {"q": "kendaraan"}))
    assert agreement.number in rekap and "Hibah Kendaraan Operasional Pariwisata" in rekap


def test_the_standard_in_working_days_sets_the_due_time_two_working_days_on(browser, users, hibah):
    from alur.worktime.selectors import working_calendar

    browser("pengelola").post("/perkara/baru/hibah-uji/", {
        "title": "Hibah Perahu Patroli", "org_unit": OrgUnit.objects.get(code="dkp").pk,
        "partner": Partner.objects.get(name="PT Timah Tbk").pk, "object": "Perahu", "scope": "Serah terima",
        "duration_months": "12", "disposition_number": "B/10/SETDA", "disposition_date": TODAY.isoformat(),
        "disposition_from": "sekda", "record_nomor_usulan": "027/45/2026", "draft": pdf_file("usulan.pdf")})
    case = Case.objects.get(title="Hibah Perahu Patroli")
    browser("pengelola").post(f"/tugas/{open_task(case).pk}/", {"note": ""})

    check = open_task(case)
    assert check.step_key == "periksa_barang"
    calendar = working_calendar()
    assert check.due_at == calendar.add(check.created_at, calendar.standard_minutes(working_days=2))
    assert check.due_at - check.created_at > datetime.timedelta(days=1)  # days, not minutes


def test_a_letter_is_registered_with_its_own_fields_and_no_opd(browser, users):
    agendaris = browser("agendaris")
    form = text(agendaris.get("/perkara/baru/surat-masuk/"))
    assert "Asal surat / pengirim" in form and "Sifat surat" in form
    assert 'name="org_unit"' not in form

    response = agendaris.post("/perkara/baru/surat-masuk/", {
        "title": "Undangan Rakor Kerja Sama", "record_nomor_surat": "005/1/KEMENDAGRI",
        "record_tanggal_surat": TODAY.isoformat(), "record_asal_surat": "Kementerian Dalam Negeri",
        "record_perihal": "Undangan rapat", "record_sifat": "biasa", "document_surat_masuk": pdf_file("surat.pdf")})

    case = Case.objects.get(title="Undangan Rakor Kerja Sama")
    assert response.status_code == 302
    assert (case.org_unit, case.data["asal_surat"]) == (None, "Kementerian Dalam Negeri")
    assert "Kementerian Dalam Negeri" in text(browser("karo").get(f"/perkara/{case.pk}/"))


def test_a_required_intake_field_left_empty_is_refused_at_its_field_and_nothing_is_stored(browser, users):
    response = browser("agendaris").post("/perkara/baru/surat-masuk/", {
        "title": "Surat tanpa nomor", "record_tanggal_surat": TODAY.isoformat(), "record_asal_surat": "Bappeda",
        "record_perihal": "Data", "record_sifat": "biasa", "document_surat_masuk": pdf_file("surat.pdf")})

    assert response.status_code == 200
    assert "Isian &#x27;Nomor surat&#x27; pada pendaftaran wajib diisi." in text(response)
    assert not Case.objects.filter(title="Surat tanpa nomor").exists()


def test_a_reply_names_the_letter_it_answers_and_both_pages_link_to_each_other(browser, users):
    from tests.workflow.test_shipped_sops import PATHS, path, start, walk

    letter = start("surat-masuk", users)
    walk(letter, path(PATHS["surat-masuk"][0][1]))  # archived
    pelaksana = browser("pelaksana")
    assert f"#{letter.pk} {letter.title}" in text(pelaksana.get("/perkara/baru/surat-keluar/"))

    pelaksana.post("/perkara/baru/surat-keluar/", {
        "title": "Balasan undangan", "follows": letter.pk, "record_perihal": "Konfirmasi kehadiran",
        "record_tujuan": "Kementerian Dalam Negeri", "document_konsep_surat": pdf_file("konsep.pdf")})

    reply = Case.objects.get(title="Balasan undangan")
    assert reply.follows == letter
    assert f'href="/perkara/{letter.pk}/"' in text(browser("karo").get(f"/perkara/{reply.pk}/"))
    assert f'href="/perkara/{reply.pk}/"' in text(browser("karo").get(f"/perkara/{letter.pk}/"))


def test_a_person_who_may_start_no_case_of_an_sop_is_refused_its_intake(browser):
    response = browser("analis").get("/perkara/baru/surat-masuk/")

    assert response.status_code == 403
    assert "yang dapat mendaftarkan perkara SOP Pengadministrasian Surat Masuk" in text(response)
