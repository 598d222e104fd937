"""The monitoring and evaluation pages of an SOP: the list, a monitoring form filled from the
figures and edited by its penilai, the evaluation answered by the evaluator, the downloads; who may
see and change them, and bad input refused on the form with nothing saved."""
from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from alur.evaluation.models import EvaluationAnswer, MonitoringForm, MonitoringFormRow, SopEvaluation
from alur.evaluation.permenpan import EVALUATION_CRITERIA
from alur.evaluation.services import Answer, create_evaluation, create_monitoring_form
from alur.workflow.models import AuditEvent
from tests.conftest import PKS

from .helpers import text

BASE = f"/sop/{PKS}/formulir"
TODAY = timezone.localdate


def iso(days_ago: int) -> str:
    return (TODAY() - datetime.timedelta(days=days_ago)).isoformat()


def refused(response, words: str = "") -> bool:
    page = text(response)
    return response.status_code == 403 and "Tidak diizinkan" in page and words in page


@pytest.fixture
def walked(walker):
    """A case through its first seven steps today, the Karo's decision among them."""
    for _ in range(6):
        walker.step()
    walker.step("setuju")
    return walker


@pytest.fixture
def monitoring(walked, users):
    return create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=TODAY(), end=TODAY())


@pytest.fixture
def evaluation(users):
    return create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY(), end=TODAY(),
                             answers={c.key: Answer(answer=True) for c in EVALUATION_CRITERIA})


def evaluation_post(**overrides) -> dict:
    data = {"start": iso(30), "end": iso(0), "catatan": "", "rekomendasi": ""}
    for criterion in EVALUATION_CRITERIA:
        data[f"answer_{criterion.key}"] = "ya"
        data[f"keterangan_{criterion.key}"] = ""
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def rows_post(form: MonitoringForm, **changes: tuple[str, str]) -> dict:
    data = {}
    for row in form.rows.all():
        catatan, tindakan = changes.get(row.step_key, (row.catatan, row.tindakan))
        data[f"catatan_{row.step_key}"] = catatan
        data[f"tindakan_{row.step_key}"] = tindakan
    return data


# --- the list ---------------------------------------------------------------------------------------

def test_the_list_shows_the_sops_forms_and_what_can_be_started(browser, monitoring, evaluation):
    response = browser("analis").get(f"{BASE}/")
    page = text(response)
    assert response.status_code == 200
    assert f'href="{BASE}/monitoring/{monitoring.pk}/"' in page
    assert f'href="{BASE}/evaluasi/{evaluation.pk}/"' in page
    assert f'href="{BASE}/monitoring/baru/"' in page and "Buat formulir monitoring" in page
    assert f'href="{BASE}/evaluasi/baru/"' in page and "Isi formulir evaluasi" in page
    assert "Semua Perangkat Daerah" in page and "Kabag Kerja Sama" in page


@pytest.mark.parametrize("who", ["karo", "kabag", "kasubbag", "analis", "pengelola", "tkksd", "gubernur"])
def test_everyone_holding_a_role_outside_the_opds_may_open_it(browser, who):
    assert browser(who).get(f"{BASE}/").status_code == 200


@pytest.mark.parametrize("who", ["kepala_dispar", "kepala_dkp"])
def test_opd_staff_are_refused_every_page_and_download(browser, who, monitoring, evaluation):
    client = browser(who)
    for path in ("/", "/monitoring/baru/", f"/monitoring/{monitoring.pk}/", f"/monitoring/{monitoring.pk}/unduh.pdf",
                 f"/monitoring/{monitoring.pk}/unduh.xlsx", "/evaluasi/baru/", f"/evaluasi/{evaluation.pk}/",
                 f"/evaluasi/{evaluation.pk}/unduh.xlsx"):
        assert refused(client.get(BASE + path), "di luar Perangkat Daerah"), path
    assert refused(client.post(f"{BASE}/monitoring/baru/", {"start": iso(5), "end": iso(0)}))
    assert refused(client.post(f"{BASE}/evaluasi/baru/", evaluation_post()))
    assert MonitoringForm.objects.count() == 1 and SopEvaluation.objects.count() == 1


def test_someone_signed_out_is_sent_to_sign_in(client, monitoring):
    response = client.get(f"{BASE}/monitoring/{monitoring.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_unknown_sops_forms_and_formats_are_not_found(browser, monitoring, evaluation):
    client = browser("karo")
    assert client.get("/sop/tidak-ada/formulir/").status_code == 404
    assert client.get(f"{BASE}/monitoring/{monitoring.pk + 1000}/").status_code == 404
    assert client.get(f"{BASE}/evaluasi/{evaluation.pk + 1000}/").status_code == 404
    assert client.get(f"{BASE}/monitoring/{monitoring.pk}/unduh.docx").status_code == 404
    assert client.get(f"{BASE}/evaluasi/{evaluation.pk}/unduh.csv").status_code == 404


# --- a new monitoring form ------------------------------------------------------------------------

def test_the_new_form_proposes_the_current_half_year(browser):
    page = text(browser("kabag").get(f"{BASE}/monitoring/baru/"))
    today = TODAY()
    half = today.replace(month=1 if today.month <= 6 else 7, day=1)
    assert f'value="{half.isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    assert "Semua Perangkat Daerah" in page and 'value="dispar"' in page


def test_a_monitoring_form_is_made_for_the_chosen_period_and_opd(browser, walked, users):
    client = browser("kabag")
    response = client.post(f"{BASE}/monitoring/baru/", {"start": iso(7), "end": iso(0), "org_unit": "dispar"})
    form = MonitoringForm.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/monitoring/{form.pk}/"
    assert (form.period_start.isoformat(), form.period_end.isoformat(), form.org_unit.code, form.penilai) == (
        iso(7), iso(0), "dispar", users["kabag"])
    page = text(client.get(response["Location"]))
    assert "Formulir monitoring dibuat dari data pelaksanaan." in page
    assert form.rows.count() == 15
    first = form.rows.get(number=1)
    assert first.figures["runs"] == 1 and first.prosedur in page
    assert page.count("Belum dapat dinilai (tidak ada pelaksanaan)") == 8  # steps 8 to 15 did not run
    assert f'name="catatan_{first.step_key}"' in page  # the penilai edits in place


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"start": iso(1), "end": iso(10)}, "end", "Akhir periode tidak boleh sebelum awalnya."),
    ({"start": "2026-13-45", "end": iso(0)}, "start", "Awal periode bukan tanggal yang sah."),
    ({"start": iso(5), "end": "kemarin"}, "end", "Akhir periode bukan tanggal yang sah."),
    ({"start": iso(-3), "end": iso(-10)}, "start", "Awal periode tidak boleh di masa depan."),
    ({"end": iso(0)}, "start", "Isi awal periode."),
    ({"start": iso(5), "end": iso(0), "org_unit": "dinas-fiktif"}, "org_unit", "Perangkat Daerah yang dipilih tidak dikenal."),
    ({"start": iso(5), "end": iso(0), "org_unit": "biro-pemerintahan"}, "org_unit", "Perangkat Daerah yang dipilih tidak dikenal."),
])
def test_bad_input_is_refused_on_the_form_and_nothing_is_saved(browser, data, field, message):
    response = browser("kabag").post(f"{BASE}/monitoring/baru/", data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in text(response)
    assert not MonitoringForm.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="monitoring_form").exists()


# --- editing a monitoring form ---------------------------------------------------------------------

def test_the_penilai_edits_notes_and_actions(browser, monitoring):
    client = browser("kabag")
    response = client.post(f"{BASE}/monitoring/{monitoring.pk}/", rows_post(
        monitoring, tugaskan_kasubbag=("Disposisi menumpuk di awal pekan.", "Bagi penugasan ke dua Kasubbag.")))
    assert response.status_code == 302
    row = MonitoringFormRow.objects.get(form=monitoring, step_key="tugaskan_kasubbag")
    assert (row.catatan, row.tindakan) == ("Disposisi menumpuk di awal pekan.", "Bagi penugasan ke dua Kasubbag.")
    page = text(client.get(response["Location"]))
    assert "Catatan dan tindakan disimpan." in page and "Disposisi menumpuk di awal pekan." in page
    assert AuditEvent.objects.filter(action="monitoring_form.updated").count() == 1


def test_a_note_too_long_is_refused_and_nothing_is_saved(browser, monitoring):
    before = list(MonitoringFormRow.objects.filter(form=monitoring).values_list("catatan", "tindakan"))
    response = browser("kabag").post(f"{BASE}/monitoring/{monitoring.pk}/", rows_post(
        monitoring, terima_disposisi=("x" * 2001, "ok"), tugaskan_kasubbag=("disimpan?", "tidak")))
    assert response.status_code == 200 and "is-invalid" in text(response)
    assert list(MonitoringFormRow.objects.filter(form=monitoring).values_list("catatan", "tindakan")) == before


def test_others_read_the_form_but_may_not_change_it(browser, monitoring):
    client = browser("karo")
    page = text(client.get(f"{BASE}/monitoring/{monitoring.pk}/"))
    assert "name=\"catatan_" not in page and "Hanya penilai formulir ini" in page
    assert monitoring.rows.get(number=1).catatan in page
    response = client.post(f"{BASE}/monitoring/{monitoring.pk}/", rows_post(monitoring, terima_disposisi=("diubah", "diubah")))
    assert refused(response, "Hanya penilai formulir ini")
    assert monitoring.rows.get(number=1).catatan != "diubah"


def test_the_monitoring_form_downloads_as_pdf_and_xlsx(browser, monitoring):
    client = browser("analis")
    pdf = client.get(f"{BASE}/monitoring/{monitoring.pk}/unduh.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    name = f"monitoring-{PKS}-{TODAY():%Y%m%d}-{TODAY():%Y%m%d}"
    assert pdf["Content-Disposition"] == f'attachment; filename="{name}.pdf"'
    xlsx = client.get(f"{BASE}/monitoring/{monitoring.pk}/unduh.xlsx")
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    cells = {cell for row in openpyxl.load_workbook(io.BytesIO(xlsx.content))["Formulir"].iter_rows(values_only=True) for cell in row}
    assert {row.prosedur for row in monitoring.rows.all()} <= cells


# --- the evaluation --------------------------------------------------------------------------------

def test_an_evaluation_missing_answers_is_refused_naming_the_criteria(browser):
    response = browser("karo").post(f"{BASE}/evaluasi/baru/", evaluation_post(
        answer_mudah_dipahami=None, answer_sinergi="mungkin", keterangan_sinergi="belum jelas"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["answer_mudah_dipahami"] == ["Pilih Ya atau Tidak."]
    assert form.errors["answer_sinergi"] == ["Pilih Ya atau Tidak."]
    page = text(response)
    assert "Evaluasi belum lengkap: pilih Ya atau Tidak untuk kriteria “Mudah dipahami”, “Sinergi satu dengan lainnya”." in page
    assert "belum jelas" in page  # what was typed stays on the form
    assert not SopEvaluation.objects.exists() and not EvaluationAnswer.objects.exists()


def test_an_evaluation_with_a_bad_period_is_refused(browser):
    response = browser("karo").post(f"{BASE}/evaluasi/baru/", evaluation_post(start=iso(1), end=iso(9)))
    assert "Akhir periode tidak boleh sebelum awalnya." in text(response)
    assert not SopEvaluation.objects.exists()


def test_the_evaluator_fills_and_edits_the_evaluation(browser, users):
    client = browser("karo")
    response = client.post(f"{BASE}/evaluasi/baru/", evaluation_post(
        answer_mudah_dilaksanakan="tidak", keterangan_mudah_dilaksanakan="Langkah 8 perlu rapat.", rekomendasi="Revisi langkah 8."))
    evaluation = SopEvaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/evaluasi/{evaluation.pk}/"
    assert evaluation.evaluator == users["karo"] and evaluation.rekomendasi == "Revisi langkah 8."
    assert evaluation.answers.get(criterion="mudah_dilaksanakan").answer is False
    assert evaluation.answers.filter(answer=True).count() == len(EVALUATION_CRITERIA) - 1

    page = text(client.get(response["Location"]))
    assert "Formulir evaluasi disimpan." in page
    ticked = re.findall(r'<input type="radio" name="answer_mudah_dilaksanakan" value="(\w+)"[^>]* checked', page)
    assert ticked == ["tidak"]
    assert "Langkah 8 perlu rapat." in page

    client.post(response["Location"], evaluation_post(answer_mudah_dilaksanakan="ya", rekomendasi=""))
    evaluation.refresh_from_db()
    assert evaluation.answers.get(criterion="mudah_dilaksanakan").answer is True and evaluation.rekomendasi == ""
    assert AuditEvent.objects.filter(action="evaluation.updated").count() == 1


def test_an_incomplete_edit_keeps_the_evaluation_as_it_was(browser, evaluation):
    response = browser("karo").post(f"{BASE}/evaluasi/{evaluation.pk}/", evaluation_post(
        answer_mudah_dipahami=None, catatan="diubah"))
    assert response.status_code == 200 and "“Mudah dipahami”" in text(response)
    evaluation.refresh_from_db()
    assert evaluation.catatan == "" and evaluation.answers.get(criterion="mudah_dipahami").answer is True


def test_others_read_the_evaluation_but_may_not_change_it(browser, evaluation):
    client = browser("kabag")
    page = text(client.get(f"{BASE}/evaluasi/{evaluation.pk}/"))
    assert 'name="answer_' not in page and "Hanya evaluator" in page
    assert all(c.text in page for c in EVALUATION_CRITERIA)
    response = client.post(f"{BASE}/evaluasi/{evaluation.pk}/", evaluation_post(answer_sinergi="tidak"))
    assert refused(response, "Hanya evaluator")
    assert evaluation.answers.get(criterion="sinergi").answer is True


def test_the_evaluation_downloads_as_pdf_and_xlsx(browser, evaluation):
    client = browser("gubernur")
    pdf = client.get(f"{BASE}/evaluasi/{evaluation.pk}/unduh.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    xlsx = client.get(f"{BASE}/evaluasi/{evaluation.pk}/unduh.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.content))["Formulir"].iter_rows(values_only=True))
    assert [row[1] for row in rows if isinstance(row[0], int) and isinstance(row[1], str)] == [c.text for c in EVALUATION_CRITERIA]
