"""Semua perjanjian: every case with its agreement, where it stands and whether it is late, for
those who supervise the agreements (the Karo, the Kabag and the Pengelola)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from alur.agreements.access import opds_visible_to
from alur.agreements.selectors import agreements_list, supervises_agreements
from alur.agreements.lifecycle import PKS_SOP
from alur.workflow.definitions import definition_of
from alur.workflow.models import Case, Sop, Task
from alur.workflow.selectors import due_at
from alur.workflow.services import newest_version


@login_required
def agreements(request):
    if not supervises_agreements(request.user):
        raise PermissionDenied(_("Daftar semua perjanjian untuk Karo, Kabag Kerja Sama dan Pengelola Informasi Kerja Sama."))
    params = {k: request.GET.get(k, "").strip() for k in ("status", "opd", "step", "q")}
    # The step filter offers the steps of the SOP chosen (the PKS unless another, or all, is asked);
    # across all SOPs there is no step to choose.
    params["sop"] = request.GET.get("sop", PKS_SOP).strip()
    sops = list(Sop.objects.order_by("name"))
    chosen = next((sop for sop in sops if sop.key == params["sop"]), None)
    if chosen is None:
        params["sop"] = params["step"] = ""
    overdue_only = request.GET.get("terlambat") == "1"
    now = timezone.now()
    rows = []
    for case in agreements_list(request.user, status=params["status"], org_unit=params["opd"], step=params["step"],
                                query=params["q"], sop=params["sop"]):
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
        "opds": opds_visible_to(request.user), "sops": sops,
        "steps": definition_of(newest_version(chosen.key)).steps if chosen else (),
    })
