"""Who may do what: people act only on tasks of the roles and units they hold, OPD staff see only
their own OPD's cases, and every refusal or unknown id is a clear Indonesian page, never a server
error."""
from __future__ import annotations

import html

import pytest
from django.test import Client

from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.models import AuditEvent, Document, Task

from .helpers import advance_to, open_task, pdf_upload, register, text
from tests.conftest import RECORDS

HTMX = {"HX-Request": "true"}


def refused(response, words: str = "") -> bool:
    page = text(response)
    return (response.status_code == 403 and "Tidak diizinkan" in page and '<html lang="id">' in page
            and words in page)


def snapshot(task: Task):
    task.refresh_from_db()
    return (task.status, task.assignee_id, task.outcome, AuditEvent.objects.count(), Document.objects.count())


@pytest.fixture
def dispar_case(users):
    return register(users, title="PKS Promosi Wisata Bahari", opd="dispar")


# --- acting on tasks of other roles -----------------------------------------------------------

def test_it_refuses_completing_a_task_of_a_role_one_does_not_hold(browser, dispar_case):
    task = open_task(dispar_case.case)  # step 1, the Karo's
    before = snapshot(task)

    response = browser("kabag").post(f"/tugas/{task.pk}/", {"note": "Saya selesaikan saja."})

    assert refused(response, "tidak memegang peran itu")
    assert snapshot(task) == before


def test_it_refuses_completing_a_task_someone_else_holds(browser, users, django_user_model, dispar_case):
    plh = django_user_model.objects.create_user("plh_karo", first_name="Plh", last_name="Karo")
    RoleAssignment.objects.create(user=plh, role=Role.objects.get(key="karo"), org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))
    task = open_task(dispar_case.case)
    browser("karo").post(f"/tugas/{task.pk}/ambil/")
    before = snapshot(task)

    response = browser(plh).post(f"/tugas/{task.pk}/", {"note": ""})

    assert refused(response, "sedang dipegang oleh Kepala Biro Pemerintahan")
    assert snapshot(task) == before


def test_it_refuses_completing_with_files_and_keeps_none_of_them(browser, dispar_case, users, settings):
    task = advance_to(dispar_case.case, users, "analisa_draft")
    before = snapshot(task)
    files_before = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())

    response = browser("kasubbag").post(f"/tugas/{task.pk}/", {"note": "", "file_hasil_telaahan": pdf_upload()})

    assert refused(response)
    assert snapshot(task) == before
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files_before


def test_it_refuses_a_kepala_opd_completing_a_step_of_the_biro_on_their_own_case(browser, dispar_case):
    task = open_task(dispar_case.case)
    before = snapshot(task)

    response = browser("kepala_dispar").post(f"/tugas/{task.pk}/", {"note": ""})

    assert refused(response)
    assert snapshot(task) == before


def test_it_refuses_claiming_a_task_of_another_role(browser, dispar_case):
    task = open_task(dispar_case.case)
    before = snapshot(task)

    response = browser("analis").post(f"/tugas/{task.pk}/ambil/", headers=HTMX)

    assert refused(response, "tidak memegang peran itu")
    assert snapshot(task) == before


def test_it_refuses_releasing_a_task_someone_else_holds(browser, dispar_case):
    task = open_task(dispar_case.case)
    browser("karo").post(f"/tugas/{task.pk}/ambil/")
    before = snapshot(task)

    response = browser("kabag").post(f"/tugas/{task.pk}/lepas/")

    assert refused(response, "Hanya pemegang tugas yang dapat melepaskannya.")
    assert snapshot(task) == before


def test_it_refuses_uploading_to_a_task_of_another_role(browser, dispar_case, users):
    task = advance_to(dispar_case.case, users, "analisa_draft")
    before = snapshot(task)

    response = browser("kasubbag").post(f"/tugas/{task.pk}/unggah/", {"kind": "hasil_telaahan",
                                                                      "file_hasil_telaahan": pdf_upload()}, headers=HTMX)

    assert refused(response)
    assert snapshot(task) == before


def test_it_refuses_the_signing_step_to_the_head_of_another_opd(browser, dispar_case, users):
    task = advance_to(dispar_case.case, users, "penandatanganan")
    before = snapshot(task)

    response = browser("kepala_dkp").post(f"/tugas/{task.pk}/", {"note": "", "file_dokumen_pks": pdf_upload()})

    assert refused(response)
    assert snapshot(task) == before


def test_it_refuses_the_head_of_another_opd_claiming_the_signing_step(browser, dispar_case, users):
    task = advance_to(dispar_case.case, users, "penandatanganan")
    before = snapshot(task)

    response = browser("kepala_dkp").post(f"/tugas/{task.pk}/ambil/", headers=HTMX)

    assert refused(response)
    assert snapshot(task) == before


def test_it_lets_the_head_of_the_proposing_opd_sign(browser, dispar_case, users):
    task = advance_to(dispar_case.case, users, "penandatanganan")

    signing = {f"record_{key}": value for key, value in RECORDS["penandatanganan"].items()}
    response = browser("kepala_dispar").post(f"/tugas/{task.pk}/", {"note": "", "file_dokumen_pks": pdf_upload("pks-ttd.pdf"),
                                                                    **signing})

    assert response.status_code == 302
    assert open_task(dispar_case.case).step_key == "registrasi"


# --- what OPD staff see -----------------------------------------------------------------------

def test_it_shows_a_kepala_opd_the_cases_of_their_own_opd(browser, dispar_case):
    response = browser("kepala_dispar").get(f"/perkara/{dispar_case.case_id}/")

    assert response.status_code == 200
    assert "PKS Promosi Wisata Bahari" in text(response)


def test_it_refuses_a_kepala_opd_the_case_of_another_opd(browser, dispar_case):
    response = browser("kepala_dkp").get(f"/perkara/{dispar_case.case_id}/")

    assert refused(response, "Perkara ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya.")
    assert "PKS Promosi Wisata Bahari" not in text(response)


def test_it_refuses_a_kepala_opd_the_documents_of_another_opd(browser, dispar_case):
    document = Document.objects.get(case=dispar_case.case)

    response = browser("kepala_dkp").get(f"/dokumen/{document.pk}/")

    assert refused(response, "Perkara ini milik Perangkat Daerah lain")
    assert not getattr(response, "streaming", False)


def test_it_refuses_a_kepala_opd_the_step_page_of_another_opd(browser, dispar_case):
    response = browser("kepala_dkp").get(f"/tugas/{open_task(dispar_case.case).pk}/")

    assert refused(response, "Perkara ini milik Perangkat Daerah lain")


def test_it_refuses_someone_without_any_role_every_case(browser, dispar_case, django_user_model):
    nobody = django_user_model.objects.create_user("tamu")

    response = browser(nobody).get(f"/perkara/{dispar_case.case_id}/")

    assert refused(response)


def test_it_shows_someone_without_any_role_an_empty_tugas_saya(browser, django_user_model, dispar_case):
    nobody = django_user_model.objects.create_user("tamu")

    response = browser(nobody).get("/")

    assert response.status_code == 200
    assert "Tidak ada tugas yang menunggu Anda." in text(response)


@pytest.mark.parametrize("username", ["karo", "kabag", "kasubbag", "analis", "pengelola", "tkksd", "gubernur"])
def test_it_shows_every_case_to_the_biro_the_tkksd_and_the_governor(browser, dispar_case, username):
    assert browser(username).get(f"/perkara/{dispar_case.case_id}/").status_code == 200


# --- unknown ids and pages --------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/perkara/999999/", "/tugas/999999/", "/dokumen/999999/", "/tidak-ada/"])
def test_it_answers_unknown_ids_with_an_indonesian_not_found_page(browser, dispar_case, url):
    response = browser("karo").get(url)

    page = text(response)
    assert response.status_code == 404
    assert "Tidak ditemukan" in page and "Halaman atau data yang Anda cari tidak ada." in page
    assert '<html lang="id">' in page


@pytest.mark.parametrize("url, named", [
    ("/perkara/999999/", "Perkara #999999 tidak ditemukan."),
    ("/perjanjian/999999/", "Perjanjian #999999 tidak ditemukan."),
    ("/sop/tidak-ada/", "SOP 'tidak-ada' belum dimuat"),
    ("/sop/tidak-ada/monitoring/", "SOP 'tidak-ada' belum dimuat"),
])
def test_it_names_what_the_service_did_not_find_on_the_not_found_page(browser, dispar_case, url, named):
    response = browser("karo").get(url)

    assert response.status_code == 404
    assert "Tidak ditemukan" in text(response) and named in html.unescape(text(response))


def test_it_refuses_the_head_of_another_opd_an_agreement_with_the_services_message(browser, dispar_case):
    response = browser("kepala_dkp").get(f"/perjanjian/{dispar_case.pk}/")

    assert refused(response, "Perjanjian ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya.")


@pytest.mark.parametrize("url", ["/tugas/999999/ambil/", "/tugas/999999/lepas/"])
def test_it_answers_claiming_or_releasing_an_unknown_task_with_not_found(browser, dispar_case, url):
    response = browser("karo").post(url)

    assert response.status_code == 404
    assert "Tidak ditemukan" in text(response)


def test_it_answers_uploading_to_an_unknown_task_with_not_found(browser, dispar_case):
    response = browser("karo").post("/tugas/999999/unggah/", {"kind": "draft_pks", "file_draft_pks": pdf_upload()}, headers=HTMX)

    assert response.status_code == 404
    assert "Tidak ditemukan" in text(response)
    assert Document.objects.count() == 1  # only the draft of the case


def test_it_answers_completing_an_unknown_task_with_not_found(browser, dispar_case):
    response = browser("karo").post("/tugas/999999/", {"note": ""})

    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/", "/perkara/1/", "/tugas/1/", "/dokumen/1/", "/perjanjian/", "/draft/baru/"])
def test_it_sends_visitors_who_are_not_signed_in_to_the_sign_in_page(db, url):
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=")


def test_it_does_not_let_a_visitor_claim_a_task(dispar_case):
    task = open_task(dispar_case.case)

    response = Client().post(f"/tugas/{task.pk}/ambil/")

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee is None


def test_it_never_serves_a_server_error_to_a_refused_completion(browser, dispar_case):
    # Client raises server errors instead of returning them: reaching the assertion is the point.
    client = browser("gubernur")
    client.raise_request_exception = True

    response = client.post(f"/tugas/{open_task(dispar_case.case).pk}/", {"note": ""})

    assert response.status_code == 403


def test_it_answers_a_form_sent_from_an_expired_page_with_a_clear_page(users, dispar_case):
    # A page left open while the session changed (signed in again in another tab) sends a stale
    # CSRF token: the person must see an Alur page that says what to do, not Django's bare one.
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["karo"])

    response = client.post(f"/tugas/{open_task(dispar_case.case).pk}/", {"note": "", "csrfmiddlewaretoken": "kedaluwarsa"})

    page = text(response)
    assert response.status_code == 403
    assert '<html lang="id">' in page
    assert "Kembali ke Tugas saya" in page
    assert "DEBUG" not in page
