"""Creating and editing monitoring forms and evaluations: what is stored, who may, the audit
trail, and refusals that leave nothing behind."""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from alur.evaluation.models import EvaluationAnswer, MonitoringForm, MonitoringFormRow, SopEvaluation
from alur.evaluation.permenpan import EVALUATION_CRITERIA
from alur.evaluation.services import (
    Answer, IncompleteEvaluation, RowEdit, create_evaluation, create_monitoring_form, update_evaluation,
    update_monitoring_form,
)
from alur.org.models import OrgUnit
from alur.workflow.audit import verify_chain
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound
from alur.workflow.models import AuditEvent
from tests.conftest import PKS

TODAY = timezone.localdate


def all_yes(**overrides) -> dict[str, Answer]:
    answers = {c.key: Answer(answer=True) for c in EVALUATION_CRITERIA}
    answers.update(overrides)
    return answers


# --- monitoring forms ---------------------------------------------------------------------------

def test_it_fills_a_monitoring_form_from_the_figures_of_the_period(dataset, users, dkp):
    form = create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=dataset.start, end=dataset.end, org_unit=dkp)
    assert (form.sop.key, form.period_start, form.period_end, form.org_unit, form.penilai) == (
        PKS, dataset.start, dataset.end, dkp, users["kabag"])
    assert form.threshold_percent == 80
    rows = list(form.rows.all())
    assert [r.number for r in rows] == list(range(1, 16))
    assert rows[0].penilaian == MonitoringFormRow.Penilaian.NOT_WELL and rows[0].figures["runs"] == 1
    assert {r.penilaian for r in rows[1:]} == {MonitoringFormRow.Penilaian.NOT_RUN}
    event = AuditEvent.objects.get(action="monitoring_form.created")
    assert event.actor_id == users["kabag"].pk
    assert event.data["form"] == form.pk and event.data["opd"] == "dkp"
    assert event.data["penilaian"]["terima_disposisi"] == "tidak_baik"
    assert verify_chain().ok


def test_all_opds_is_the_default(dataset, users):
    form = create_monitoring_form(actor=users["karo"], sop_key=PKS, start=dataset.start, end=dataset.end)
    assert form.org_unit is None
    assert form.rows.get(number=1).figures["runs"] == 5


def test_the_penilai_edits_notes_and_actions_and_the_edits_are_kept(dataset, users):
    form = create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=dataset.start, end=dataset.end)
    before = {r.step_key: (r.catatan, r.tindakan, r.penilaian, r.figures) for r in form.rows.all()}
    update_monitoring_form(actor=users["kabag"], form_id=form.pk, rows={
        "tugaskan_kasubbag": RowEdit(catatan="  Disposisi menumpuk di awal bulan. ", tindakan="Bagi penugasan ke dua Kasubbag."),
    })
    row = MonitoringFormRow.objects.get(form=form, step_key="tugaskan_kasubbag")
    assert (row.catatan, row.tindakan) == ("Disposisi menumpuk di awal bulan.", "Bagi penugasan ke dua Kasubbag.")
    assert (row.penilaian, row.figures) == before["tugaskan_kasubbag"][2:]  # the assessment stays what the figures said
    for other in MonitoringFormRow.objects.filter(form=form).exclude(step_key="tugaskan_kasubbag"):
        assert (other.catatan, other.tindakan, other.penilaian, other.figures) == before[other.step_key]
    event = AuditEvent.objects.get(action="monitoring_form.updated")
    assert event.data["rows"]["tugaskan_kasubbag"]["catatan"] == [before["tugaskan_kasubbag"][0], "Disposisi menumpuk di awal bulan."]
    form.refresh_from_db()
    assert form.updated_at > form.created_at
    # Saving the same text again changes nothing and records nothing.
    update_monitoring_form(actor=users["kabag"], form_id=form.pk, rows={
        "tugaskan_kasubbag": RowEdit(catatan="Disposisi menumpuk di awal bulan.", tindakan="Bagi penugasan ke dua Kasubbag.")})
    assert AuditEvent.objects.filter(action="monitoring_form.updated").count() == 1
    assert verify_chain().ok


def test_only_the_penilai_edits_a_form(dataset, users):
    form = create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=dataset.start, end=dataset.end)
    with pytest.raises(NotAllowed, match="Hanya penilai"):
        update_monitoring_form(actor=users["karo"], form_id=form.pk, rows={"terima_disposisi": RowEdit("x", "y")})
    assert MonitoringFormRow.objects.get(form=form, step_key="terima_disposisi").catatan != "x"


def test_an_edit_of_a_step_not_on_the_form_is_refused_whole(dataset, users):
    form = create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=dataset.start, end=dataset.end)
    with pytest.raises(InvalidInput, match="langkah_lain"):
        update_monitoring_form(actor=users["kabag"], form_id=form.pk,
                               rows={"terima_disposisi": RowEdit("baru", "baru"), "langkah_lain": RowEdit("x", "y")})
    assert MonitoringFormRow.objects.get(form=form, step_key="terima_disposisi").catatan != "baru"
    with pytest.raises(NotFound):
        update_monitoring_form(actor=users["kabag"], form_id=form.pk + 100, rows={})


@pytest.mark.parametrize("who", ["kepala_dispar", "kepala_dkp"])
def test_opd_staff_may_not_monitor_the_sop(users, who):
    with pytest.raises(NotAllowed, match="di luar Perangkat Daerah"):
        create_monitoring_form(actor=users[who], sop_key=PKS, start=TODAY() - datetime.timedelta(days=30), end=TODAY())
    assert not MonitoringForm.objects.exists()


def test_someone_without_any_role_may_not_either(users, django_user_model):
    nobody = django_user_model.objects.create_user("tamu", password="x")
    with pytest.raises(NotAllowed):
        create_monitoring_form(actor=nobody, sop_key=PKS, start=TODAY(), end=TODAY())


@pytest.mark.parametrize(("start", "end", "message"), [
    (10, 20, "tidak boleh sebelum awalnya"),
    (-5, -10, "masa depan"),
    (None, 0, "Isi awal dan akhir periode"),
    (0, None, "Isi awal dan akhir periode"),
])
def test_a_bad_period_is_refused_and_nothing_is_saved(users, start, end, message):
    day = lambda offset: None if offset is None else TODAY() - datetime.timedelta(days=offset)  # noqa: E731
    with pytest.raises(InvalidInput, match=message):
        create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=day(start), end=day(end))
    assert not MonitoringForm.objects.exists() and not MonitoringFormRow.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="monitoring_form").exists()


def test_the_opd_filter_must_be_an_opd(users):
    biro = OrgUnit.objects.get(code="biro-pemerintahan")
    with pytest.raises(InvalidInput, match="bukan Perangkat Daerah"):
        create_monitoring_form(actor=users["kabag"], sop_key=PKS, start=TODAY(), end=TODAY(), org_unit=biro)
    assert not MonitoringForm.objects.exists()


def test_an_unknown_sop_is_not_found(users):
    with pytest.raises(NotFound):
        create_monitoring_form(actor=users["kabag"], sop_key="tidak-ada", start=TODAY(), end=TODAY())


# --- evaluations -----------------------------------------------------------------------------------

def test_an_evaluation_stores_every_criterion_answered(users):
    answers = all_yes(mudah_dipahami=Answer(answer=False, keterangan="Istilah TKKSD belum dijelaskan."))
    evaluation = create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY() - datetime.timedelta(days=180),
                                   end=TODAY(), answers=answers, catatan=" Cukup baik ", rekomendasi="Revisi langkah 8.")
    stored = list(evaluation.answers.all())
    assert [(a.number, a.criterion, a.text) for a in stored] == [
        (n, c.key, c.text) for n, c in enumerate(EVALUATION_CRITERIA, 1)]
    assert [a.answer for a in stored] == [c.key != "mudah_dipahami" for c in EVALUATION_CRITERIA]
    assert stored[1].keterangan == "Istilah TKKSD belum dijelaskan."
    assert (evaluation.catatan, evaluation.rekomendasi, evaluation.evaluator) == ("Cukup baik", "Revisi langkah 8.", users["karo"])
    event = AuditEvent.objects.get(action="evaluation.created")
    assert event.data["answers"]["mudah_dipahami"] == "tidak" and event.data["answers"]["sinergi"] == "ya"
    assert verify_chain().ok


@pytest.mark.parametrize("missing", [c.key for c in EVALUATION_CRITERIA])
def test_an_evaluation_needs_every_criterion(users, missing):
    answers = all_yes()
    del answers[missing]
    text = next(c.text for c in EVALUATION_CRITERIA if c.key == missing)
    with pytest.raises(IncompleteEvaluation, match=text) as refused:
        create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY(), end=TODAY(), answers=answers)
    assert refused.value.missing == [missing]
    assert not SopEvaluation.objects.exists() and not EvaluationAnswer.objects.exists()


def test_an_unanswered_criterion_counts_as_missing_and_all_are_named(users):
    answers = all_yes(sinergi=Answer(answer=None, keterangan="belum tahu"))
    del answers["mudah_dilaksanakan"]
    with pytest.raises(IncompleteEvaluation) as refused:
        create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY(), end=TODAY(), answers=answers)
    assert refused.value.missing == ["mudah_dilaksanakan", "sinergi"]
    assert "“Mudah dilaksanakan”" in refused.value.message and "“Sinergi satu dengan lainnya”" in refused.value.message


def test_an_unknown_criterion_is_refused(users):
    with pytest.raises(InvalidInput, match="tidak dikenal"):
        create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY(), end=TODAY(),
                          answers=all_yes(mudah_diingat=Answer(answer=True)))


def test_the_evaluator_edits_the_answers(users):
    evaluation = create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY(), end=TODAY(), answers=all_yes())
    update_evaluation(actor=users["karo"], evaluation_id=evaluation.pk, start=TODAY() - datetime.timedelta(days=7), end=TODAY(),
                      answers=all_yes(sinergi=Answer(answer=False, keterangan="TKKSD dan Biro berjalan sendiri-sendiri.")),
                      catatan="", rekomendasi="Rapat koordinasi bulanan.")
    evaluation.refresh_from_db()
    sinergi = evaluation.answers.get(criterion="sinergi")
    assert (sinergi.answer, sinergi.keterangan) == (False, "TKKSD dan Biro berjalan sendiri-sendiri.")
    assert evaluation.period_start == TODAY() - datetime.timedelta(days=7)
    assert evaluation.rekomendasi == "Rapat koordinasi bulanan."
    changes = AuditEvent.objects.get(action="evaluation.updated").data["changes"]
    assert changes["sinergi"] == ["ya", "tidak"]
    assert changes["period_start"] == [TODAY().isoformat(), (TODAY() - datetime.timedelta(days=7)).isoformat()]


def test_an_incomplete_edit_changes_nothing(users):
    evaluation = create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY(), end=TODAY(), answers=all_yes(),
                                   catatan="awal")
    answers = all_yes(sinergi=Answer(answer=False))
    del answers["mudah_dipahami"]
    with pytest.raises(IncompleteEvaluation):
        update_evaluation(actor=users["karo"], evaluation_id=evaluation.pk, start=TODAY(), end=TODAY(), answers=answers,
                          catatan="diubah")
    evaluation.refresh_from_db()
    assert evaluation.catatan == "awal" and evaluation.answers.get(criterion="sinergi").answer is True


def test_only_the_evaluator_edits_an_evaluation(users):
    evaluation = create_evaluation(actor=users["karo"], sop_key=PKS, start=TODAY(), end=TODAY(), answers=all_yes())
    with pytest.raises(NotAllowed, match="Hanya evaluator"):
        update_evaluation(actor=users["kabag"], evaluation_id=evaluation.pk, start=TODAY(), end=TODAY(), answers=all_yes())
    with pytest.raises(NotAllowed, match="di luar Perangkat Daerah"):
        create_evaluation(actor=users["kepala_dispar"], sop_key=PKS, start=TODAY(), end=TODAY(), answers=all_yes())
