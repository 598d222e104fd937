"""Who may see which page: small helpers the views share. The rules about acting on a task live
in the engine; these only decide what a person is shown."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from alur.org.selectors import roles_held
from alur.workflow.models import Case
from alur.workflow.selectors import cases_visible_to

SUPERVISOR_ROLES = {"karo", "kabag", "pengelola"}


def role_keys(user) -> set[str]:
    return {role_key for role_key, _ in roles_held(user)}


def is_supervisor(user) -> bool:
    return bool(role_keys(user) & SUPERVISOR_ROLES)


def visible_case(user, case_id: int) -> Case:
    """The case, if the user may see it; a clear refusal page otherwise."""
    case = get_object_or_404(Case.objects.select_related("sop_version__sop", "org_unit"), pk=case_id)
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied(_("Perkara ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya."))
    return case
