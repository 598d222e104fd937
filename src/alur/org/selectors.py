"""Reads about who holds which role: the questions the engine and the pages ask."""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from .models import OrgUnit, RoleAssignment


# The one definition of "holds the role today", shared by the hand-written queries that ask it.
# Parameters: the day, twice.
ASSIGNMENT_IN_FORCE_SQL = "valid_from <= %s AND (valid_until IS NULL OR valid_until >= %s)"


def holds_role(user, role_key: str, *, org_unit_id: int | None = None, on: datetime.date | None = None) -> bool:
    """Whether the user holds the role today (in the given unit, when one is named).

    Asked before every action of every person, so it is one hand-written, indexed query.
    """
    if user is None or not user.is_active:
        return False
    day = connection.ops.adapt_datefield_value(on or timezone.localdate())
    query = (
        f"SELECT 1 FROM {RoleAssignment._meta.db_table} WHERE user_id = %s AND role_id = %s AND {ASSIGNMENT_IN_FORCE_SQL}"
    )
    params = [user.pk, role_key, day, day]
    if org_unit_id is not None:
        query += " AND org_unit_id = %s"
        params.append(org_unit_id)
    with connection.cursor() as cursor:
        cursor.execute(query + " LIMIT 1", params)
        return cursor.fetchone() is not None


def roles_held(user, *, on: datetime.date | None = None) -> list[tuple[str, int]]:
    """(role key, org unit id) for every role the user holds today."""
    if user is None or not user.is_active:
        return []
    return list(
        RoleAssignment.objects.valid_on(on or timezone.localdate()).filter(user=user).values_list("role_id", "org_unit_id")
    )


def opd_by_code(code: str) -> OrgUnit | None:
    return OrgUnit.objects.filter(code=code, kind=OrgUnit.Kind.OPD).first()


def holders_of(role_key: str, *, org_unit_id: int | None = None, on: datetime.date | None = None) -> list:
    """Active people holding the role today (in the given unit, when one is named), by name."""
    assignments = RoleAssignment.objects.valid_on(on or timezone.localdate()).filter(role_id=role_key)
    if org_unit_id is not None:
        assignments = assignments.filter(org_unit_id=org_unit_id)
    return list(get_user_model().objects.filter(is_active=True, pk__in=assignments.values("user_id"))
                .order_by("first_name", "last_name", "username"))


def people_with_roles(*, role_key: str | None = None, unit_code: str | None = None, on: datetime.date | None = None) -> list:
    """Every person, by name, each with `roles_in_force`: their assignments in force on the day
    (today), role and unit loaded. Naming a role or a unit keeps those holding it (in it) that day.
    Two queries, however many people."""
    in_force = RoleAssignment.objects.valid_on(on or timezone.localdate())
    people = get_user_model().objects.order_by("first_name", "last_name", "username").prefetch_related(
        Prefetch("role_assignments", to_attr="roles_in_force",
                 queryset=in_force.select_related("role", "org_unit").order_by("role__name", "org_unit__name", "valid_from")))
    if role_key or unit_code:
        holding = in_force
        if role_key:
            holding = holding.filter(role_id=role_key)
        if unit_code:
            holding = holding.filter(org_unit__code=unit_code)
        people = people.filter(pk__in=holding.values("user_id"))
    return list(people)


def assignments_of(user) -> list[RoleAssignment]:
    """All of a person's role assignments, past, present and to come: the latest start first."""
    return list(RoleAssignment.objects.filter(user=user).select_related("role", "org_unit").order_by("-valid_from", "-pk"))
