"""The pages of an SOP's monitoring and evaluation forms (Permenpan RB 35/2012): the list of an
SOP's forms, a new monitoring form filled from the figures, its rows' notes and actions edited by
the penilai, the evaluation answered by the evaluator, and the downloads of both as PDF and XLSX.

Each view parses input, calls one service or selector, and renders."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alur.evaluation import documents
from alur.evaluation.selectors import evaluation as evaluation_by_id
from alur.evaluation.selectors import evaluations_of, may_evaluate, monitoring_form, monitoring_forms_of
from alur.evaluation.services import (
    IncompleteEvaluation, create_evaluation, create_monitoring_form, update_evaluation, update_monitoring_form,
)
from alur.workflow.definitions import definition_of
from alur.workflow.errors import InvalidInput
from alur.workflow.services import newest_version

from .evaluation_forms import EvaluationForm, MonitoringRowsForm, NewMonitoringForm, half_year_start

DOWNLOADS = {
    "pdf": ("application/pdf", documents.render_pdf),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", documents.render_xlsx),
}


def _sop_for_evaluator(request, key: str):
    """The SOP's newest definition, for someone who may monitor and evaluate it; 404 or 403 otherwise."""
    definition = definition_of(newest_version(key))
    if not may_evaluate(request.user):
        raise PermissionDenied(_("Formulir monitoring dan evaluasi SOP hanya untuk pemegang peran di luar Perangkat "
                                 "Daerah (Biro, TKKSD, pimpinan daerah)."))
    return definition


def _download(sheet, output: str) -> HttpResponse:
    if output not in DOWNLOADS:
        raise Http404(_("Format tidak dikenal."))
    content_type, render_output = DOWNLOADS[output]
    response = HttpResponse(render_output(sheet), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{sheet.filename}.{output}"'
    return response


@login_required
def sop_forms(request, key: str):
    definition = _sop_for_evaluator(request, key)
    return render(request, "web/evaluation/list.html", {
        "definition": definition, "monitoring_forms": monitoring_forms_of(key), "evaluations": evaluations_of(key),
    })


# --- Formulir monitoring ------------------------------------------------------------------------

@login_required
def monitoring_new(request, key: str):
    definition = _sop_for_evaluator(request, key)
    if request.method == "POST":
        form = NewMonitoringForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = create_monitoring_form(actor=request.user, sop_key=key, start=data["start"], end=data["end"],
                                                 org_unit=data["org_unit"])
            except InvalidInput as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Formulir monitoring dibuat dari data pelaksanaan. Periksa catatan dan tindakan setiap langkah."))
                return redirect("web:monitoring_form", key=key, form_id=created.pk)
    else:
        today = timezone.localdate()
        form = NewMonitoringForm(initial={"start": half_year_start(today), "end": today})
    return render(request, "web/evaluation/monitoring_new.html", {"definition": definition, "form": form})


def _monitoring_form_or_404(key: str, form_id: int):
    found = monitoring_form(form_id, sop_key=key)
    if found is None:
        raise Http404(_("Formulir monitoring ini tidak ada."))
    return found


@login_required
def monitoring_page(request, key: str, form_id: int):
    definition = _sop_for_evaluator(request, key)
    monitoring = _monitoring_form_or_404(key, form_id)
    own = monitoring.penilai_id == request.user.pk
    rows_form = None
    if request.method == "POST":
        if not own:
            raise PermissionDenied(_("Hanya penilai formulir ini yang dapat mengubah catatan dan tindakannya."))
        rows_form = MonitoringRowsForm(request.POST, rows=monitoring.rows.all())
        if rows_form.is_valid():
            try:
                update_monitoring_form(actor=request.user, form_id=monitoring.pk, rows=rows_form.edits)
            except InvalidInput as exc:
                rows_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Catatan dan tindakan disimpan."))
                return redirect("web:monitoring_form", key=key, form_id=monitoring.pk)
    elif own:
        rows_form = MonitoringRowsForm(rows=monitoring.rows.all())
    return render(request, "web/evaluation/monitoring.html", {
        "definition": definition, "monitoring": monitoring, "rows_form": rows_form, "own": own,
        "downloads": sorted(DOWNLOADS),
    })


@login_required
def monitoring_download(request, key: str, form_id: int, output: str):
    _sop_for_evaluator(request, key)
    return _download(documents.monitoring_sheet(_monitoring_form_or_404(key, form_id)), output)


# --- Formulir evaluasi --------------------------------------------------------------------------

def _save_evaluation(request, form, service, **target):
    """Call the create or update service with the form's data; None and errors on the form when refused."""
    data = form.cleaned_data
    try:
        return service(actor=request.user, start=data["start"], end=data["end"], answers=form.answers,
                       catatan=data["catatan"], rekomendasi=data["rekomendasi"], **target)
    except IncompleteEvaluation as exc:
        for key in exc.missing:
            form.add_error(f"answer_{key}", _("Pilih Ya atau Tidak."))
        form.add_error(None, exc.message)
    except InvalidInput as exc:
        form.add_error(None, exc.message)
    return None


@login_required
def evaluation_new(request, key: str):
    definition = _sop_for_evaluator(request, key)
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if form.is_valid():
            saved = _save_evaluation(request, form, create_evaluation, sop_key=key)
            if saved is not None:
                messages.success(request, _("Formulir evaluasi disimpan."))
                return redirect("web:evaluation", key=key, evaluation_id=saved.pk)
    else:
        today = timezone.localdate()
        form = EvaluationForm(initial={"start": half_year_start(today), "end": today})
    return render(request, "web/evaluation/evaluation_form.html", {"definition": definition, "form": form, "evaluation": None})


def _evaluation_or_404(key: str, evaluation_id: int):
    found = evaluation_by_id(evaluation_id, sop_key=key)
    if found is None:
        raise Http404(_("Formulir evaluasi ini tidak ada."))
    return found


@login_required
def evaluation_page(request, key: str, evaluation_id: int):
    definition = _sop_for_evaluator(request, key)
    evaluation = _evaluation_or_404(key, evaluation_id)
    own = evaluation.evaluator_id == request.user.pk
    if not own:
        if request.method == "POST":
            raise PermissionDenied(_("Hanya evaluator yang mengisi evaluasi ini yang dapat mengubahnya."))
        return render(request, "web/evaluation/evaluation.html", {
            "definition": definition, "evaluation": evaluation, "downloads": sorted(DOWNLOADS)})
    if request.method == "POST":
        form = EvaluationForm(request.POST)
        if form.is_valid():
            saved = _save_evaluation(request, form, update_evaluation, evaluation_id=evaluation.pk)
            if saved is not None:
                messages.success(request, _("Formulir evaluasi disimpan."))
                return redirect("web:evaluation", key=key, evaluation_id=saved.pk)
    else:
        form = EvaluationForm(initial=EvaluationForm.initial_from(evaluation))
    return render(request, "web/evaluation/evaluation_form.html", {
        "definition": definition, "form": form, "evaluation": evaluation, "downloads": sorted(DOWNLOADS)})


@login_required
def evaluation_download(request, key: str, evaluation_id: int, output: str):
    _sop_for_evaluator(request, key)
    return _download(documents.evaluation_sheet(_evaluation_or_404(key, evaluation_id)), output)
