"""Perkara baru: the list of the SOPs a person may start a case of, and each SOP's intake, whose
fields its definition says (an agreement with its partner for the PKS and the MoU; a letter's
number and sender for the letters; the case it follows; the documents the intake requires)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alur.agreements.access import cases_visible_to
from alur.agreements.entry import Contact, PartnerDetails
from alur.agreements.lifecycle import PKS_SOP, register_draft
from alur.org.selectors import roles_held
from alur.workflow.definitions import definition_of
from alur.workflow.errors import WorkflowError
from alur.workflow.models import Case
from alur.workflow.selectors import sops_startable_by
from alur.workflow.services import newest_version, start_case

from .forms import CaseIntakeForm, IntakeForm


@login_required
def case_new(request):
    startable = sops_startable_by(request.user)
    if not startable:
        raise PermissionDenied(_("Anda tidak memegang peran yang dapat mendaftarkan perkara SOP mana pun."))
    if len(startable) == 1:
        return redirect("web:intake_sop", key=startable[0][0].sop.key)
    return render(request, "web/case_new.html", {"startable": startable})


@login_required
def intake(request, key: str = PKS_SOP):
    definition = definition_of(newest_version(key))
    if not any(definition.may_start(role_key) for role_key, _unit in roles_held(request.user)):
        names = _(" atau ").join(definition.role(role_key).name for role_key in definition.starting_roles)
        raise PermissionDenied(_("Hanya %(roles)s yang dapat mendaftarkan perkara %(sop)s.")
                               % {"roles": names, "sop": definition.name})
    followable = None
    if definition.intake_follows is not None:
        followable = (cases_visible_to(request.user)
                      .filter(sop_version__sop__key=definition.intake_follows.sop, end_key=definition.intake_follows.end)
                      .order_by("-started_at"))
    if definition.intake_subject == "agreement":
        return _agreement_intake(request, key, definition, followable)
    form = CaseIntakeForm(request.POST or None, request.FILES or None, definition=definition, followable=followable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = start_case(sop_key=key, title=data["title"], actor=request.user, org_unit=data.get("org_unit"),
                              record=form.record, follows=data.get("follows"), attachments=form.attachments)
        except WorkflowError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(request, _("Perkara didaftarkan sebagai #%(id)s.") % {"id": case.pk})
            return redirect("web:case", case_id=case.pk)
    return render(request, "web/case_intake.html", {"form": form, "definition": definition})


def _agreement_intake(request, key: str, definition, followable):
    form = IntakeForm(request.POST or None, request.FILES or None, definition=definition, followable=followable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partner = data["partner"] or PartnerDetails(
            name=data["new_partner_name"], kind=data["new_partner_kind"], address=data["new_partner_address"],
            contacts=(Contact(data["new_partner_contact"], phone=data["new_partner_phone"],
                              email=data["new_partner_email"]),))
        try:
            agreement = register_draft(
                actor=request.user, title=data["title"], org_unit=data["org_unit"], partner=partner,
                object=data["object"], scope=data["scope"], duration_months=data["duration_months"],
                disposition_number=data["disposition_number"], disposition_date=data["disposition_date"],
                disposition_from=data["disposition_from"], draft=data["draft"], soft_file=data.get("soft_file"),
                disposition_scan=data.get("disposition_scan"), urusan=data["urusan"], value=data["value"],
                implements=data.get("implements"), follows=data.get("follows"), record=form.record, sop_key=key)
        except WorkflowError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(request, _("Draft didaftarkan sebagai perkara #%(id)s.") % {"id": agreement.case_id})
            return redirect("web:case", case_id=agreement.case_id)
    return render(request, "web/intake.html", {"form": form, "definition": definition})


def _refusal_on_form(form, exc: WorkflowError) -> None:
    """The service's refusal, at the intake field it names ('Isian <label> ...') or atop the form."""
    for name in form.fields:
        record_field = getattr(form.fields[name], "record_field", None)
        if record_field is not None and f"'{record_field.label}'" in exc.message:
            form.add_error(name, exc.message)
            return
    form.add_error(None, exc.message)
