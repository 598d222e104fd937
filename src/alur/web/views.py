"""The pages. Each view parses input, calls one service or selector, and renders."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alur.agreements.access import access_case, opds_visible_to
from alur.agreements.models import Agreement
from alur.agreements.registration import cancel_agreement, record_legal_basis
from alur.agreements.selectors import (
    agreements_list, keeps_register, may_record_legal_basis, may_register_drafts, supervises_agreements,
)
from alur.agreements.services import PKS_SOP, NewPartner, register_draft
from alur.agreements.status import STATUS_LABELS, status_of
from alur.sop.render.bpmn import render_bpmn
from alur.sop.render.docx import render_docx
from alur.sop.render.flowchart import render_svg
from alur.sop.render.html import render_html, render_pdf
from alur.sop.render.layout import layout_flowchart
from alur.workflow.definitions import definition_of
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound, WorkflowError
from alur.workflow.models import Case, Document, Sop, Task
from alur.workflow.deadlines import working_minutes_between
from alur.workflow.selectors import (
    case_documents, case_timeline, due_at, minutes_text, open_tasks_for, open_tasks_of, span_text, step_checklist,
)
from alur.workflow.services import attach_document, claim_task, complete_task, newest_version, release_task, resubmit_case

from .forms import CancelAgreementForm, CompletionForm, IntakeForm, LegalBasisForm, ResubmitForm, attachment_from
from .models import Preference


# --- Tugas saya -------------------------------------------------------------------------------

def _inbox_rows(user):
    now = timezone.now()
    rows = []
    for task in open_tasks_for(user).select_related("case__agreement__partner"):
        definition = definition_of(task.case.sop_version)
        step = definition.step(task.step_key)
        due = due_at(task)
        rows.append({"task": task, "step": step, "role": definition.role(step.actor), "due": due,
                     "overdue": due < now, "waited": minutes_text(working_minutes_between(task.created_at, now)),
                     "waited_calendar": span_text(now - task.created_at),
                     "agreement": getattr(task.case, "agreement", None)})
    rows.sort(key=lambda r: r["due"])
    return rows


@login_required
def inbox(request):
    return render(request, "web/inbox.html", {"rows": _inbox_rows(request.user)})


@login_required
@require_POST
def claim(request, task_id: int):
    return _claim_or_release(request, task_id, claim_task, _("Tugas diambil."))


@login_required
@require_POST
def release(request, task_id: int):
    return _claim_or_release(request, task_id, release_task, _("Tugas dilepaskan."))


def _claim_or_release(request, task_id, service, done_message):
    in_place = bool(request.headers.get("HX-Request"))
    try:
        service(task_id=task_id, actor=request.user)
    except InvalidInput as exc:  # e.g. finished meanwhile: said in its row
        error = exc.message
    else:
        error = ""
        if not in_place:  # in place, the row itself shows the change
            messages.success(request, done_message)
    if in_place:
        row = next((r for r in _inbox_rows(request.user) if r["task"].pk == task_id), None)
        return render(request, "web/partials/inbox_row.html", {"row": row, "gone_id": task_id, "row_error": error})
    if error:
        messages.error(request, error)
    return redirect("web:inbox")


# --- Draft baru ---------------------------------------------------------------------------------

@login_required
def intake(request):
    if not may_register_drafts(request.user):
        raise PermissionDenied(_("Hanya Pengelola Informasi Kerja Sama atau Karo Pemerintahan yang dapat mendaftarkan draft baru."))
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partner = data["partner"] or NewPartner(
            name=data["new_partner_name"], kind=data["new_partner_kind"], address=data["new_partner_address"],
            contact_name=data["new_partner_contact"], contact_phone=data["new_partner_phone"],
            contact_email=data["new_partner_email"])
        try:
            agreement = register_draft(
                actor=request.user, title=data["title"], org_unit=data["org_unit"], partner=partner,
                object=data["object"], scope=data["scope"], duration_months=data["duration_months"],
                disposition_number=data["disposition_number"], disposition_date=data["disposition_date"],
                disposition_from=data["disposition_from"], draft=data["draft"], soft_file=data["soft_file"],
                disposition_scan=data["disposition_scan"], urusan=data["urusan"], value=data["value"],
                implements=data.get("implements"))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft didaftarkan sebagai perkara #%(id)s.") % {"id": agreement.case_id})
            return redirect("web:case", case_id=agreement.case_id)
    return render(request, "web/intake.html", {"form": form})


# --- Perkara ------------------------------------------------------------------------------------

@login_required
def case_page(request, case_id: int):
    case = access_case(request.user, case_id)
    definition = definition_of(case.sop_version)
    entries = case_timeline(case)
    rounds = {}
    for entry in entries:
        rounds.setdefault(entry.task.round, []).append(entry)
    current = []
    for task in open_tasks_of(case).select_related("assignee", "org_unit"):
        step = definition.step(task.step_key)
        now = timezone.now()
        current.append({"task": task, "step": step, "role": definition.role(step.actor), "due": due_at(task),
                        "waited": minutes_text(working_minutes_between(task.created_at, now)),
                        "waited_calendar": span_text(now - task.created_at)})
    documents = {}
    for document in case_documents(case):
        documents.setdefault(document.kind, []).append(document)
    flowchart = render_svg(layout_flowchart(definition), **_case_on_flowchart(case, definition, entries))
    agreement = (Agreement.objects.filter(case=case).select_related("partner", "case", "legal_basis_by", "implements")
                 .prefetch_related("distributions").first())
    return render(request, "web/case.html", {
        "flowchart": flowchart,
        "resubmit_form": ResubmitForm() if case.status == Case.Status.RETURNED else None,
        "case": case, "definition": definition, "agreement": agreement,
        "register": _register_context(request.user, case, agreement) if agreement else None,
        "current": current, "rounds": sorted(rounds.items(), reverse=True),
        "documents": [(definition.document(kind), versions) for kind, versions in documents.items()],
        "end": definition.end(case.end_key) if case.end_key else None,
    })


def _register_context(user, case: Case, agreement: Agreement) -> dict:
    """The agreement as the register keeps it, and what the user may do to it here."""
    status = status_of(agreement)
    registered = bool(agreement.number)
    return {
        "status": status, "status_label": STATUS_LABELS[status], "registered": registered,
        "distributions": list(agreement.distributions.all()),
        "cancel_form": CancelAgreementForm() if registered and agreement.cancelled_at is None and keeps_register(user) else None,
        "legal_basis_form": (LegalBasisForm(initial={"legal_basis": agreement.legal_basis})
                             if not registered and case.status == Case.Status.RUNNING and may_record_legal_basis(user) else None),
    }


def _case_agreement(request, case_id: int) -> tuple[Case, Agreement]:
    case = access_case(request.user, case_id)
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is None:
        raise NotFound(_("Perkara ini tidak membawa perjanjian."))
    return case, agreement


def _refused_form(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _agreement_action(request, case_id: int, form_class, act, done: str):
    """An action on the agreement a case carries, from a form on the case page: the form's
    refusals and the service's are said on the case page (a NotAllowed is the 403 page)."""
    case, agreement = _case_agreement(request, case_id)
    form = form_class(request.POST)
    if not form.is_valid():
        _refused_form(request, form)
        return redirect("web:case", case_id=case.pk)
    try:
        act(agreement, form.cleaned_data)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"number": agreement.number})
    return redirect("web:case", case_id=case.pk)


@login_required
@require_POST
def agreement_cancel(request, case_id: int):
    """A keeper of the register cancels a registered agreement, with the reason."""
    return _agreement_action(
        request, case_id, CancelAgreementForm,
        lambda agreement, data: cancel_agreement(agreement_id=agreement.pk, reason=data["reason"], actor=request.user),
        _("Perjanjian %(number)s dibatalkan."))


@login_required
@require_POST
def agreement_legal_basis(request, case_id: int):
    """The Karo records the legal basis on which a period beyond the rule may stand."""
    return _agreement_action(
        request, case_id, LegalBasisForm,
        lambda agreement, data: record_legal_basis(agreement_id=agreement.pk, legal_basis=data["legal_basis"],
                                                   actor=request.user),
        _("Dasar hukum pengecualian jangka waktu dicatat."))


@login_required
@require_POST
def resubmit(request, case_id: int):
    """A returned draft comes back corrected: the engine opens a new round of the same case."""
    case = access_case(request.user, case_id)
    form = ResubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            resubmit_case(case_id=case.pk, actor=request.user, attachments=[form.cleaned_data["draft"]],
                          note=form.cleaned_data["note"])
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from None
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Draft diajukan ulang; putaran baru dimulai."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("web:case", case_id=case.pk)


# --- Dokumen SOP ------------------------------------------------------------------------------

SOP_DOWNLOADS = {
    "html": ("text/html; charset=utf-8", lambda d: render_html(d)),
    "pdf": ("application/pdf", lambda d: render_pdf(d)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", lambda d: render_docx(d)),
    "bpmn": ("application/xml", lambda d: render_bpmn(d)),
    "svg": ("image/svg+xml", lambda d: render_svg(layout_flowchart(d))),
}


@login_required
def sop_list(request):
    return render(request, "web/sop_list.html", {"sops": Sop.objects.prefetch_related("versions")})


@login_required
def sop_document(request, key: str):
    """The SOP AP document drawn from the definition the engine runs, with its downloads."""
    definition = definition_of(newest_version(key))
    return render(request, "web/sop.html", {"definition": definition, "downloads": sorted(SOP_DOWNLOADS)})


@login_required
def sop_download(request, key: str, output: str):
    if output not in SOP_DOWNLOADS:
        raise Http404(_("Format tidak dikenal."))
    definition = definition_of(newest_version(key))
    content_type, render_output = SOP_DOWNLOADS[output]
    response = HttpResponse(render_output(definition), content_type=content_type)
    disposition = "inline" if output == "html" else "attachment"  # the page shows the HTML in a frame
    response["Content-Disposition"] = f'{disposition}; filename="{definition.key}.{output}"'
    return response


def _case_on_flowchart(case, definition, entries) -> dict:
    """The case drawn on its SOP: steps done this round, the current one, the rest to come; each
    step done with the time it took against its standard."""
    state = {step.key: "todo" for step in definition.steps}
    notes = {}
    for entry in entries:
        if entry.task.round != case.round:
            continue
        if entry.ended_at:
            state[entry.task.step_key] = "done"
            notes[entry.task.step_key] = f"{entry.elapsed_text} / {entry.standard}"
    for task in case.tasks.filter(status=Task.Status.OPEN):
        state[task.step_key] = "current"
    return {"state": state, "notes": notes}


@login_required
def download(request, document_id: int):
    document = get_object_or_404(Document, pk=document_id)
    access_case(request.user, document.case_id)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)


# --- Menyelesaikan langkah ----------------------------------------------------------------------

def _task_for(request, task_id: int) -> Task:
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


# --- Semua perjanjian ---------------------------------------------------------------------------

@login_required
def agreements(request):
    if not supervises_agreements(request.user):
        raise PermissionDenied(_("Daftar semua perjanjian untuk Karo, Kabag Kerja Sama dan Pengelola Informasi Kerja Sama."))
    params = {k: request.GET.get(k, "").strip() for k in ("status", "opd", "step", "q")}
    overdue_only = request.GET.get("terlambat") == "1"
    now = timezone.now()
    rows = []
    for case in agreements_list(request.user, status=params["status"], org_unit=params["opd"], step=params["step"], query=params["q"]):
        definition = definition_of(case.sop_version)
        open_tasks = [t for t in case.tasks.all() if t.status == Task.Status.OPEN]
        current = open_tasks[0] if open_tasks else None
        due = due_at(current) if current else None
        if overdue_only and not (due and due < now):
            continue
        rows.append({"case": case, "agreement": getattr(case, "agreement", None), "current": current,
                     "step": definition.step(current.step_key) if current else None, "due": due,
                     "overdue": bool(due and due < now)})
    return render(request, "web/agreements.html", {
        "rows": rows, "params": params, "overdue_only": overdue_only, "statuses": Case.Status.choices,
        "opds": opds_visible_to(request.user), "steps": definition_of(newest_version(PKS_SOP)).steps,
    })


# --- Bahasa -----------------------------------------------------------------------------------

@login_required
@require_POST
def set_language(request):
    language = request.POST.get("language", "")
    if language in dict(Preference._meta.get_field("language").choices):
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("web:inbox")
    return redirect(target)
