"""The case page (Perkara): where a draft is, its timeline against the time standards drawn on
the SOP's flowchart, every document version, the agreement it carries as the register keeps it;
and what is done from it: the register's actions on that agreement, resubmitting a returned draft,
downloading a document."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alur.agreements.access import access_case, cases_visible_to
from alur.agreements.models import Agreement
from alur.agreements.lifecycle import cancel_agreement, record_legal_basis
from alur.agreements.selectors import keeps_register, may_record_legal_basis
from alur.agreements.status import STATUS_LABELS, status_of
from alur.sop.render.flowchart import render_svg
from alur.sop.render.layout import layout_flowchart
from alur.workflow.definitions import definition_of
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound, WorkflowError
from alur.workflow.models import Case, Document, Task
from alur.workflow.selectors import case_documents, case_timeline, waiting_tasks_of
from alur.workflow.services import may_resubmit, resubmit_case

from .forms import CancelAgreementForm, LegalBasisForm, ResubmitForm


@login_required
def case_page(request, case_id: int):
    case = access_case(request.user, case_id)
    definition = definition_of(case.sop_version)
    entries = case_timeline(case)
    rounds = {}
    for entry in entries:
        rounds.setdefault(entry.task.round, []).append(entry)
    documents = {}
    for document in case_documents(case):
        documents.setdefault(document.kind, []).append(document)
    flowchart = render_svg(layout_flowchart(definition), **_case_on_flowchart(case, definition, entries))
    agreement = (Agreement.objects.filter(case=case).select_related("partner", "case", "legal_basis_by", "implements")
                 .prefetch_related("distributions").first())
    labels = {field.key: field.label for field in definition.intake_record}
    may_resubmit_it = case.status == Case.Status.RETURNED and may_resubmit(request.user, case, definition)
    return render(request, "web/case.html", {
        "flowchart": flowchart,
        "resubmit_form": ResubmitForm(definition=definition) if may_resubmit_it else None,
        "intake_record": [(labels.get(key, key), value) for key, value in case.data.items()],
        "followed_by": cases_visible_to(request.user).filter(follows=case).select_related("sop_version__sop"),
        "case": case, "definition": definition, "agreement": agreement,
        "register": _register_context(request.user, case, agreement) if agreement else None,
        "current": waiting_tasks_of(case), "rounds": sorted(rounds.items(), reverse=True),
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


# --- the agreement the case carries ----------------------------------------------------------------

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


# --- resubmitting a returned draft -------------------------------------------------------------------

@login_required
@require_POST
def resubmit(request, case_id: int):
    """A returned draft comes back corrected: the engine opens a new round of the same case."""
    case = access_case(request.user, case_id)
    form = ResubmitForm(request.POST, request.FILES, definition=definition_of(case.sop_version))
    if form.is_valid():
        try:
            resubmit_case(case_id=case.pk, actor=request.user, attachments=form.attachments,
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
