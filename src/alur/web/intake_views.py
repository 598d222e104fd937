"""Draft baru: an incoming draft registered with its disposition and partner, which starts its case."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alur.agreements.selectors import may_register_drafts
from alur.agreements.entry import Contact, PartnerDetails
from alur.agreements.lifecycle import register_draft
from alur.workflow.errors import WorkflowError

from .forms import IntakeForm


@login_required
def intake(request):
    if not may_register_drafts(request.user):
        raise PermissionDenied(_("Hanya Pengelola Informasi Kerja Sama atau Karo Pemerintahan yang dapat mendaftarkan draft baru."))
    form = IntakeForm(request.POST or None, request.FILES or None)
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
                disposition_from=data["disposition_from"], draft=data["draft"], soft_file=data["soft_file"],
                disposition_scan=data["disposition_scan"], urusan=data["urusan"], value=data["value"],
                implements=data.get("implements"))
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft didaftarkan sebagai perkara #%(id)s.") % {"id": agreement.case_id})
            return redirect("web:case", case_id=agreement.case_id)
    return render(request, "web/intake.html", {"form": form})
