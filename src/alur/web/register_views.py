"""The register's pages: an agreement with everything the register keeps of it, entering an
agreement signed outside Alur (and correcting one), its implementation reports, and the import
of the office's XLSX register (upload, dry run, confirmation)."""
from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alur.agreements import imports
from alur.agreements.access import access_agreement, agreements_visible_to, cases_visible_to
from alur.agreements.entry import record_distribution, record_signed_agreement, update_agreement
from alur.agreements.models import Agreement, ImplementationReport
from alur.agreements.reports import add_implementation_report, attachment_type, may_report_on
from alur.agreements.selectors import keeps_register, may_record_legal_basis
from alur.agreements.status import STATUS_LABELS, status_of
from alur.workflow.errors import InvalidInput, WorkflowError

from .register_forms import AgreementForm, DistributionForm, ImportUploadForm, ReportForm

SESSION_KEY = "register_import"
DONE_KEY = "register_import_done"


def _require_register_keeper(user) -> None:
    if not keeps_register(user):
        raise PermissionDenied(_("Register perjanjian dikelola oleh Pengelola Informasi Kerja Sama, Kabag Kerja Sama "
                                 "dan Karo Pemerintahan."))


# --- the agreement ---------------------------------------------------------------------------

def _agreement_context(request, agreement: Agreement, report_form: ReportForm | None = None,
                       distribution_form: DistributionForm | None = None) -> dict:
    status = status_of(agreement)
    visible = agreements_visible_to(request.user)
    may_report = may_report_on(request.user, agreement)
    return {
        "agreement": agreement, "status": status, "status_label": STATUS_LABELS[status],
        "contacts": list(agreement.partner.contacts.all()),
        "implementations": visible.filter(implements=agreement).order_by("starts_on", "number"),
        "addenda": visible.filter(amends=agreement).order_by("signed_on", "number"),
        "mou_visible": agreement.implements_id and visible.filter(pk=agreement.implements_id).exists(),
        "amended_visible": agreement.amends_id and visible.filter(pk=agreement.amends_id).exists(),
        "distributions": list(agreement.distributions.all()),
        "reports": list(agreement.reports.select_related("reporter")),
        "case_visible": bool(agreement.case_id) and cases_visible_to(request.user).filter(pk=agreement.case_id).exists(),
        "may_report": may_report,
        "report_form": report_form or (ReportForm() if may_report else None),
        "may_correct": keeps_register(request.user) and bool(agreement.number),
        "distribution_form": distribution_form or (DistributionForm() if keeps_register(request.user) and agreement.number
                                                   else None),
        "may_record": keeps_register(request.user),
    }


@login_required
def agreement_page(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    return render(request, "web/register/agreement.html", _agreement_context(request, agreement))


@login_required
@require_POST
def add_report(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    if not may_report_on(request.user, agreement):
        raise PermissionDenied(_("Laporan pelaksanaan dicatat oleh pengelola register atau Kepala OPD pelaksana perjanjian ini."))
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_implementation_report(actor=request.user, agreement_id=agreement.pk, reported_on=data["reported_on"],
                                      progress=data["progress"], obstacles=data["obstacles"], follow_up=data["follow_up"],
                                      attachment=data["attachment"])
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Laporan pelaksanaan dicatat."))
            return redirect(reverse("web:agreement", args=[agreement.pk]) + "#laporan")
    return render(request, "web/register/agreement.html", _agreement_context(request, agreement, report_form=form))


@login_required
@require_POST
def add_distribution(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    _require_register_keeper(request.user)
    form = DistributionForm(request.POST)
    if form.is_valid():
        try:
            record_distribution(actor=request.user, agreement_id=agreement.pk, recipient=form.cleaned_data["recipient"],
                                sent_on=form.cleaned_data["sent_on"])
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Distribusi dicatat."))
            return redirect(reverse("web:agreement", args=[agreement.pk]) + "#distribusi")
    return render(request, "web/register/agreement.html", _agreement_context(request, agreement, distribution_form=form))


@login_required
def report_attachment(request, agreement_id: int, report_id: int):
    agreement = access_agreement(request.user, agreement_id)
    report = get_object_or_404(ImplementationReport, pk=report_id, agreement=agreement)
    if not report.attachment:
        raise Http404(_("Laporan ini tidak berlampiran."))
    return FileResponse(report.attachment.open("rb"), as_attachment=True, filename=PurePath(report.attachment.name).name,
                        content_type=attachment_type(report))


# --- entering and correcting --------------------------------------------------------------------

@login_required
def record_agreement(request):
    """Catat perjanjian: an agreement signed outside Alur, entered by hand with its number."""
    _require_register_keeper(request.user)
    initial = {"registered_on": None}
    # Links from an agreement's page start an addendum of it, or a PKS carrying out an MoU.
    if request.GET.get("addendum_atas"):
        initial |= {"kind": Agreement.Kind.ADDENDUM, "amends_number": request.GET["addendum_atas"]}
    if request.GET.get("mou"):
        initial |= {"kind": Agreement.Kind.PKS, "implements_number": request.GET["mou"]}
    form = AgreementForm(request.POST or None, initial=initial,
                         may_record_legal_basis=may_record_legal_basis(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            agreement = record_signed_agreement(actor=request.user, partner=form.partner_choice(), **form.register_values())
        except WorkflowError as exc:
            # Every refusal of an entry is for the form: a period beyond the rules without the
            # Karo's legal basis (NotAllowed), a partner or MoU gone meanwhile (NotFound) ...
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Perjanjian %(number)s dicatat di register.") % {"number": agreement.number})
            return redirect("web:agreement", agreement_id=agreement.pk)
    return render(request, "web/register/entry.html", {"form": form, "correcting": None})


@login_required
def correct_agreement(request, agreement_id: int):
    """Koreksi: the register's values of an agreement, changed by those who keep the register."""
    _require_register_keeper(request.user)
    agreement = access_agreement(request.user, agreement_id)
    if not agreement.number:
        messages.info(request, _("Perjanjian ini belum terdaftar; datanya mengikuti perkaranya."))
        return redirect("web:agreement", agreement_id=agreement.pk)
    form = AgreementForm(request.POST or None, initial=AgreementForm.initial_for(agreement), correcting=True,
                         may_record_legal_basis=may_record_legal_basis(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            update_agreement(actor=request.user, agreement_id=agreement.pk, partner=form.cleaned_data["partner"],
                             reason=request.POST.get("reason", ""), **form.register_values())
        except WorkflowError as exc:  # said at the form, as when entering (record_agreement)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Koreksi disimpan."))
            return redirect("web:agreement", agreement_id=agreement.pk)
    return render(request, "web/register/entry.html", {"form": form, "correcting": agreement})


# --- the import ------------------------------------------------------------------------------------

@login_required
def register_import(request):
    """Upload the office's XLSX register: the dry run's problems by row and column, or the rows
    to add and to skip with a confirmation that imports the very file shown."""
    _require_register_keeper(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": imports.COLUMNS, "plan": None}
    done = request.session.pop(DONE_KEY, None)
    if done:
        context["added"] = Agreement.objects.filter(pk__in=done["added"]).select_related("partner", "org_unit").order_by("pk")
        context["done"] = done
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imports.check_size(name=upload.name, size=upload.size)  # a huge upload is never read into memory
            content = upload.read()
            plan = imports.plan_import(actor=request.user, name=upload.name, content=content)
        except InvalidInput as exc:
            form.add_error("file", exc.message)
        else:
            context["plan"] = plan
            _forget_held(request)
            if plan.ok and plan.to_add:
                key = imports.hold_file(content)
                request.session[SESSION_KEY] = {"key": key, "sha256": plan.sha256, "name": plan.name}
                context["held"] = request.session[SESSION_KEY]
    return render(request, "web/register/import.html", context)


def _forget_held(request) -> None:
    held = request.session.pop(SESSION_KEY, None)
    if held:
        imports.release_file(held.get("key", ""))


@login_required
@require_POST
def register_import_confirm(request):
    _require_register_keeper(request.user)
    held = request.session.get(SESSION_KEY) or {}
    key, sha256 = request.POST.get("key", ""), request.POST.get("sha256", "")
    if not held or held.get("key") != key or held.get("sha256") != sha256:
        messages.error(request, _("Pratinjau ini tidak dikenal atau sudah dipakai; unggah berkasnya lagi."))
        return redirect("web:register_import")
    context = {"form": ImportUploadForm(), "columns": imports.COLUMNS, "plan": None}
    try:
        content = imports.held_file(key, sha256)
        result = imports.import_register(actor=request.user, name=held["name"], content=content, sha256=sha256)
    except imports.ImportRefused as exc:
        # The register changed since the dry run: show what stands in the way now.
        _forget_held(request)
        context["plan"] = exc.plan
        messages.error(request, exc.message)
        return render(request, "web/register/import.html", context)
    except InvalidInput as exc:
        _forget_held(request)
        messages.error(request, exc.message)
        return redirect("web:register_import")
    _forget_held(request)
    request.session[DONE_KEY] = {"name": held["name"], "added": [a.pk for a in result.added],
                                 "present": len(result.plan.present)}
    messages.success(request, _("%(count)s perjanjian dicatat dari %(name)s.") % {"count": len(result.added), "name": held["name"]})
    return redirect("web:register_import")


@login_required
def register_template(request):
    _require_register_keeper(request.user)
    response = HttpResponse(imports.template_xlsx(), content_type=imports.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-register-perjanjian.xlsx"'
    return response
