"""Reads of monitoring and evaluation: who may take part, and the stored forms."""
from __future__ import annotations

from alur.agreements.access import sees_every_unit
from alur.org.models import OrgUnit

from .models import MonitoringForm, SopEvaluation


def may_evaluate(user) -> bool:
    """Monitoring and evaluating an SOP is for the people who run it from outside the OPDs (the
    Biro, the TKKSD, the Governor's office): an OPD proposes drafts, it does not assess the SOP.
    Those who see every OPD's cases (agreements/access.py) may take part in it."""
    return sees_every_unit(user)


def monitoring_forms_of(sop_key: str):
    return (MonitoringForm.objects.filter(sop__key=sop_key)
            .select_related("org_unit", "penilai").order_by("-created_at", "-id"))


def evaluations_of(sop_key: str):
    return SopEvaluation.objects.filter(sop__key=sop_key).select_related("evaluator").order_by("-created_at", "-id")


def monitoring_form(form_id: int, *, sop_key: str | None = None) -> MonitoringForm | None:
    forms = MonitoringForm.objects.select_related("sop", "sop_version", "org_unit", "penilai").prefetch_related("rows")
    if sop_key is not None:
        forms = forms.filter(sop__key=sop_key)
    return forms.filter(pk=form_id).first()


def evaluation(evaluation_id: int, *, sop_key: str | None = None) -> SopEvaluation | None:
    evaluations = SopEvaluation.objects.select_related("sop", "sop_version", "evaluator").prefetch_related("answers")
    if sop_key is not None:
        evaluations = evaluations.filter(sop__key=sop_key)
    return evaluations.filter(pk=evaluation_id).first()


def opds():
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).order_by("name")
