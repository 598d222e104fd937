"""Who may see which page: small helpers the views share. The rules about acting on a task live
in the engine; these only decide what a person is shown."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from alur.agreements.selectors import supervises_agreements
from alur.workflow.models import Case
from alur.workflow.selectors import cases_visible_to

def is_supervisor(user) -> bool:
    return supervises_agreements(user)


def visible_case(user, case_id: int) -> Case:
    """The case, if the user may see it; a clear refusal page otherwise."""
    case = get_object_or_404(Case.objects.select_related("sop_version__sop", "org_unit"), pk=case_id)
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise PermissionDenied(_("Perkara ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya."))
    return case
