"""Writes of monitoring and evaluation. Each is one transaction that checks, changes and writes
its audit event, or refuses with a WorkflowError and changes nothing."""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from alur.org.models import OrgUnit
from alur.workflow.audit import record_event
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound
from alur.workflow.monitoring import sop_monitoring
from alur.workflow.services import newest_version

from . import permenpan
from .assessment import WELL_RUN_PERCENT, monitoring_rows
from .models import EvaluationAnswer, MonitoringForm, MonitoringFormRow, SopEvaluation
from .selectors import may_evaluate

NOT_ALLOWED = ("Formulir monitoring dan evaluasi SOP hanya untuk pemegang peran di luar Perangkat Daerah "
               "(Biro, TKKSD, pimpinan daerah).")


@dataclass(frozen=True)
class RowEdit:
    catatan: str
    tindakan: str


@dataclass(frozen=True)
class Answer:
    answer: bool | None  # True: Ya, False: Tidak, None: not answered
    keterangan: str = ""


class IncompleteEvaluation(InvalidInput):
    """Some criteria were left without Ya or Tidak; `missing` holds their keys."""

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


# --- monitoring form --------------------------------------------------------------------------

@transaction.atomic
def create_monitoring_form(*, actor, sop_key: str, start: datetime.date | None, end: datetime.date | None,
                           org_unit: OrgUnit | None = None) -> MonitoringForm:
    """Fill the monitoring form of an SOP for a period (one OPD's cases or all) from the figures."""
    _check_allowed(actor)
    _check_period(start, end)
    if org_unit is not None and org_unit.kind != OrgUnit.Kind.OPD:
        raise InvalidInput(f"'{org_unit.name}' bukan Perangkat Daerah (OPD); pilih OPD atau semua OPD.")
    version = newest_version(sop_key)
    report = sop_monitoring(sop_key=sop_key, start=start, end=end, org_unit=org_unit)
    now = timezone.now()
    form = MonitoringForm.objects.create(
        sop=version.sop, sop_version=version, period_start=start, period_end=end, org_unit=org_unit, penilai=actor,
        threshold_percent=WELL_RUN_PERCENT, created_at=now, updated_at=now,
    )
    drafts = monitoring_rows(report, threshold_percent=form.threshold_percent)
    MonitoringFormRow.objects.bulk_create(
        MonitoringFormRow(form=form, step_key=d.step_key, number=d.number, prosedur=d.prosedur, penilaian=d.penilaian,
                          catatan=d.catatan, tindakan=d.tindakan, figures=d.figures)
        for d in drafts
    )
    record_event(action="monitoring_form.created", actor=actor, at=now, data={
        "form": form.pk, "sop": version.sop.key, "version": version.version, "start": start.isoformat(),
        "end": end.isoformat(), "opd": org_unit.code if org_unit else None,
        "penilaian": {d.step_key: d.penilaian for d in drafts},
    })
    return form


@transaction.atomic
def update_monitoring_form(*, actor, form_id: int, rows: Mapping[str, RowEdit]) -> MonitoringForm:
    """The penilai's own notes and actions, by step key. Rows not named stay as they are."""
    _check_allowed(actor)
    form = MonitoringForm.objects.select_for_update().filter(pk=form_id).first()
    if form is None:
        raise NotFound(f"Formulir monitoring #{form_id} tidak ada.")
    if form.penilai_id != actor.pk:
        raise NotAllowed("Hanya penilai formulir ini yang dapat mengubah catatan dan tindakannya.")
    existing = {row.step_key: row for row in form.rows.all()}
    unknown = sorted(set(rows) - set(existing))
    if unknown:
        raise InvalidInput(f"Langkah {', '.join(unknown)} tidak ada di formulir ini.")
    changes = {}
    for step_key, edit in rows.items():
        row = existing[step_key]
        after = {"catatan": _text(edit.catatan), "tindakan": _text(edit.tindakan)}
        changed = {name: [getattr(row, name), value] for name, value in after.items() if getattr(row, name) != value}
        if changed:
            for name, (_before, value) in changed.items():
                setattr(row, name, value)
            row.save(update_fields=list(changed))
            changes[step_key] = changed
    if changes:
        form.updated_at = timezone.now()
        form.save(update_fields=["updated_at"])
        record_event(action="monitoring_form.updated", actor=actor, at=form.updated_at,
                     data={"form": form.pk, "sop": form.sop.key, "rows": changes})
    return form


# --- evaluation -------------------------------------------------------------------------------

@transaction.atomic
def create_evaluation(*, actor, sop_key: str, start: datetime.date | None, end: datetime.date | None,
                      answers: Mapping[str, Answer], catatan: str = "", rekomendasi: str = "") -> SopEvaluation:
    """The evaluation of an SOP's application over a period: every criterion answered Ya or Tidak."""
    _check_allowed(actor)
    _check_period(start, end)
    answered = _check_answers(answers)
    version = newest_version(sop_key)
    now = timezone.now()
    evaluation = SopEvaluation.objects.create(
        sop=version.sop, sop_version=version, period_start=start, period_end=end, evaluator=actor,
        catatan=_text(catatan), rekomendasi=_text(rekomendasi), created_at=now, updated_at=now,
    )
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(evaluation=evaluation, criterion=c.key, number=n, text=c.text, answer=answered[c.key].answer,
                         keterangan=_text(answered[c.key].keterangan))
        for n, c in enumerate(permenpan.EVALUATION_CRITERIA, 1)
    )
    record_event(action="evaluation.created", actor=actor, at=now, data={
        "evaluation": evaluation.pk, "sop": version.sop.key, "version": version.version, "start": start.isoformat(),
        "end": end.isoformat(), "answers": {key: _yes_no(a.answer) for key, a in answered.items()},
    })
    return evaluation


@transaction.atomic
def update_evaluation(*, actor, evaluation_id: int, start: datetime.date | None, end: datetime.date | None,
                      answers: Mapping[str, Answer], catatan: str = "", rekomendasi: str = "") -> SopEvaluation:
    _check_allowed(actor)
    evaluation = SopEvaluation.objects.select_for_update().filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotFound(f"Evaluasi #{evaluation_id} tidak ada.")
    if evaluation.evaluator_id != actor.pk:
        raise NotAllowed("Hanya evaluator yang mengisi evaluasi ini yang dapat mengubahnya.")
    _check_period(start, end)
    answered = _check_answers(answers)
    changes = {}
    fields = {"period_start": start, "period_end": end, "catatan": _text(catatan), "rekomendasi": _text(rekomendasi)}
    for name, value in fields.items():
        before = getattr(evaluation, name)
        if before != value:
            changes[name] = [_json(before), _json(value)]
            setattr(evaluation, name, value)
    for row in evaluation.answers.all():
        given = answered.get(row.criterion)
        if given is None:  # a criterion no longer asked: the answer given stays as it was
            continue
        keterangan = _text(given.keterangan)
        changed = []
        if row.answer != given.answer:
            changes[row.criterion] = [_yes_no(row.answer), _yes_no(given.answer)]
            row.answer = given.answer
            changed.append("answer")
        if row.keterangan != keterangan:
            changes[f"{row.criterion}.keterangan"] = [row.keterangan, keterangan]
            row.keterangan = keterangan
            changed.append("keterangan")
        if changed:
            row.save(update_fields=changed)
    if changes:
        evaluation.updated_at = timezone.now()
        evaluation.save()
        record_event(action="evaluation.updated", actor=actor, at=evaluation.updated_at,
                     data={"evaluation": evaluation.pk, "sop": evaluation.sop.key, "changes": changes})
    return evaluation


# --- checks -----------------------------------------------------------------------------------

def _check_allowed(actor) -> None:
    if not may_evaluate(actor):
        raise NotAllowed(NOT_ALLOWED)


def _check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None or end is None:
        raise InvalidInput("Isi awal dan akhir periode.")
    if end < start:
        raise InvalidInput(f"Akhir periode ({end:%d-%m-%Y}) tidak boleh sebelum awalnya ({start:%d-%m-%Y}).")
    if start > timezone.localdate():
        raise InvalidInput("Awal periode tidak boleh di masa depan: belum ada pelaksanaan untuk dinilai.")


def _check_answers(answers: Mapping[str, Answer]) -> dict[str, Answer]:
    known = {c.key for c in permenpan.EVALUATION_CRITERIA}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InvalidInput(f"Kriteria {', '.join(unknown)} tidak dikenal.")
    missing = [c for c in permenpan.EVALUATION_CRITERIA if answers.get(c.key) is None or answers[c.key].answer is None]
    if missing:
        names = ", ".join(f"“{c.text}”" for c in missing)
        raise IncompleteEvaluation(f"Evaluasi belum lengkap: pilih Ya atau Tidak untuk kriteria {names}.",
                                   [c.key for c in missing])
    return dict(answers)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _yes_no(answer: bool) -> str:
    return "ya" if answer else "tidak"


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
