"""Reads about who holds which role: the questions the engine and the pages ask."""
from __future__ import annotations

import datetime

from django.utils import timezone

from .models import OrgUnit, RoleAssignment


def holds_role(user, role_key: str, *, org_unit_id: int | None = None, on: datetime.date | None = None) -> bool:
    """Whether the user holds the role today (in the given unit, when one is named)."""
    if user is None or not user.is_active:
        return False
    assignments = RoleAssignment.objects.valid_on(on or timezone.localdate()).filter(user=user, role_id=role_key)
    if org_unit_id is not None:
        assignments = assignments.filter(org_unit_id=org_unit_id)
    return assignments.exists()


def roles_held(user, *, on: datetime.date | None = None) -> list[tuple[str, int]]:
    """(role key, org unit id) for every role the user holds today."""
    if user is None or not user.is_active:
        return []
    return list(
        RoleAssignment.objects.valid_on(on or timezone.localdate()).filter(user=user).values_list("role_id", "org_unit_id")
    )


def opd_by_code(code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(code=code, kind=OrgUnit.Kind.OPD).first()
