"""Completing a step (Menyelesaikan langkah): the step's activity and mutu baku, the checklist of
the documents it needs with upload in place, the decision and what the step records."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alur.agreements.access import access_case
from alur.workflow.definitions import definition_of
from alur.workflow.errors import InvalidInput
from alur.workflow.models import Task
from alur.workflow.selectors import due_at, step_checklist
from alur.workflow.services import attach_document, complete_task

from .forms import CompletionForm, attachment_from


def _task_for(request, task_id: int) -> Task:
    """The task, if the user may see its case (acting on it is the engine's to decide)."""
    task = get_object_or_404(Task.objects.select_related("case__sop_version", "case__org_unit", "assignee"), pk=task_id)
    access_case(request.user, task.case_id)
    return task


@login_required
def task_page(request, task_id: int):
    task = _task_for(request, task_id)
    definition = definition_of(task.case.sop_version)
    step = definition.step(task.step_key)
    if task.status != Task.Status.OPEN:
        messages.info(request, _("Langkah ini sudah selesai."))
        return redirect("web:case", case_id=task.case_id)
    form = CompletionForm(request.POST or None, step=step)
    if request.method == "POST" and form.is_valid():
        try:
            attachments = [attachment_from(upload, name.removeprefix("file_")) for name, upload in request.FILES.items()
                           if name.startswith("file_")]
            complete_task(task_id=task.pk, actor=request.user, outcome=form.cleaned_data.get("decision"),
                          note=form.cleaned_data.get("note", ""), record=form.record, attachments=attachments)
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Langkah %(number)s selesai.") % {"number": step.number})
            return redirect("web:case", case_id=task.case_id)
    items, complete = step_checklist(task)
    return render(request, "web/task.html", {
        "task": task, "case": task.case, "step": step, "definition": definition, "role": definition.role(step.actor),
        "form": form, "items": items, "complete": complete, "due": due_at(task),
        "kelengkapan_names": [definition.document(k).name for k in step.kelengkapan],
    })


@login_required
@require_POST
def upload(request, task_id: int):
    """Upload one document in place while filling in a step (HTMX), then show the checklist again."""
    task = _task_for(request, task_id)
    kind = request.POST.get("kind", "")
    file = request.FILES.get(f"file_{kind}")
    error = ""
    if file is None:
        error = _("Pilih berkas yang akan diunggah.")
    else:
        try:
            attach_document(task_id=task.pk, actor=request.user, attachment=attachment_from(file, kind))
        except InvalidInput as exc:
            error = exc.message
    items, complete = step_checklist(task)
    context = {"task": task, "items": items, "complete": complete, "upload_error": error, "error_kind": kind, "oob": True}
    if request.headers.get("HX-Request"):
        return render(request, "web/partials/checklist.html", context)
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("web:task", args=[task.pk]))
