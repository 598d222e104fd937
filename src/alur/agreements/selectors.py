"""Reads of the agreements domain that the pages need."""
from __future__ import annotations

from django.db.models import Q

from alur.org.selectors import roles_held
from alur.workflow.models import Task
from alur.workflow.selectors import sops_startable_by

from .access import cases_visible_to


# Who supervises all agreements (the list of every case): the Biro's Karo, Kabag and Pengelola.
SUPERVISOR_ROLES = frozenset({"karo", "kabag", "pengelola"})


def supervises_agreements(user) -> bool:
    return any(role_key in SUPERVISOR_ROLES for role_key, _ in roles_held(user))


# Who keeps the register (enters agreements signed outside Alur, imports, records distribution
# and reports): the Pengelola Informasi Kerja Sama and those who supervise them.
REGISTER_ROLES = frozenset({"pengelola", "kabag", "karo"})
# Who may let a period beyond the rules stand on its legal basis.
LEGAL_BASIS_ROLES = frozenset({"karo"})


def keeps_register(user) -> bool:
    return any(role_key in REGISTER_ROLES for role_key, _ in roles_held(user))


def may_record_legal_basis(user) -> bool:
    return user is not None and any(role_key in LEGAL_BASIS_ROLES for role_key, _ in roles_held(user))


def may_register_drafts(user) -> bool:
    """Whether the user may start a case of some SOP (intake roles and each first step's role)."""
    return bool(sops_startable_by(user))


def agreements_list(user, *, status: str = "", org_unit: str = "", step: str = "", overdue: bool = False, query: str = "",
                    sop: str = ""):
    """Cases with their agreements for the list of all agreements, filtered as asked."""
    cases = (cases_visible_to(user).select_related("org_unit", "agreement__partner", "sop_version")
             .prefetch_related("tasks").order_by("-started_at"))
    if sop:
        cases = cases.filter(sop_version__sop__key=sop)
    if status:
        cases = cases.filter(status=status)
    if org_unit:
        cases = cases.filter(org_unit__code=org_unit)
    if step:
        cases = cases.filter(tasks__status=Task.Status.OPEN, tasks__step_key=step)
    if query:
        cases = cases.filter(Q(title__icontains=query) | Q(agreement__partner__name__icontains=query))
    return cases.distinct()

