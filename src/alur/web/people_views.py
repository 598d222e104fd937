"""The people pages, for those who administer Alur: everyone with the roles they hold today, a
new person, and a person's page where roles are given (unit, period, Plt./Plh.) and ended."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alur.org.models import OrgUnit, Role
from alur.org.selectors import assignments_of, people_with_roles
from alur.workflow.errors import NotAllowed, WorkflowError
from alur.workflow.people import add_person, assign_role, end_assignment, may_manage_people, opd_scoped_roles

from .people_forms import AssignmentForm, EndAssignmentForm, PersonForm


def _require_people_admin(user) -> None:
    if not may_manage_people(user):
        raise PermissionDenied(_("Pengguna dan perannya dikelola oleh admin Alur."))


def _refusal_to_form(form, exc: WorkflowError) -> None:
    """A service refusal shown at the field it names (or above the form when it names none)."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message)
    field = form.SERVICE_FIELDS.get(getattr(exc, "field", None))
    form.add_error(field, exc.message)
    if field:  # as BootstrapForm marks a field its own checks refused
        widget = form.fields[field].widget
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        widget.attrs["aria-invalid"] = "true"


def _end_form(assignment, data=None) -> EndAssignmentForm:
    first = max(timezone.localdate(), assignment.valid_from)
    return EndAssignmentForm(data, prefix=f"akhiri-{assignment.pk}", initial={"valid_until": first})


# --- everyone --------------------------------------------------------------------------------------

@login_required
def people(request):
    _require_people_admin(request.user)
    roles = list(Role.objects.order_by("name"))
    units = list(OrgUnit.objects.order_by("kind", "name"))
    role_key = request.GET.get("peran", "")
    unit_code = request.GET.get("unit", "")
    # A filter naming nothing that exists (an old link) shows everyone rather than no one.
    role_key = role_key if role_key in {r.key for r in roles} else ""
    unit_code = unit_code if unit_code in {u.code for u in units} else ""
    rows = people_with_roles(role_key=role_key or None, unit_code=unit_code or None)
    return render(request, "web/people/list.html", {
        "people": rows, "roles": roles, "units": units, "params": {"peran": role_key, "unit": unit_code},
        "filtered": bool(role_key or unit_code)})


@login_required
def person_new(request):
    _require_people_admin(request.user)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = add_person(actor=request.user, username=data["username"], full_name=data["full_name"],
                                email=data["email"], password=data["password1"])
        except WorkflowError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, _("%(name)s ditambahkan. Beri perannya di bawah.") % {"name": person.get_full_name()})
            return redirect("web:person", user_id=person.pk)
    return render(request, "web/people/new.html", {"form": form})


# --- one person -------------------------------------------------------------------------------------

def _assignment_form(data=None) -> AssignmentForm:
    scoped = list(Role.objects.filter(key__in=opd_scoped_roles()).order_by("name"))
    return AssignmentForm(data, opd_scoped_roles=scoped)


def _person_context(person, *, assign_form: AssignmentForm | None = None, refused_end: tuple | None = None) -> dict:
    """The page of a person; `refused_end` is (assignment id, its refused end form), shown there."""
    today = timezone.localdate()
    rows = []
    for assignment in assignments_of(person):
        if assignment.valid_until is not None and assignment.valid_until < today:
            state = "ended"
        elif assignment.valid_from > today:
            state = "future"
        else:
            state = "current"
        end_form = None
        if state != "ended":
            end_form = refused_end[1] if refused_end and refused_end[0] == assignment.pk else _end_form(assignment)
        rows.append({"assignment": assignment, "state": state, "end_form": end_form})
    return {"person": person, "rows": rows, "in_force": sum(row["state"] == "current" for row in rows),
            "assign_form": assign_form or _assignment_form()}


def _person(user_id: int):
    return get_object_or_404(get_user_model(), pk=user_id)


@login_required
def person_page(request, user_id: int):
    _require_people_admin(request.user)
    return render(request, "web/people/person.html", _person_context(_person(user_id)))


@login_required
@require_POST
def person_assign(request, user_id: int):
    _require_people_admin(request.user)
    person = _person(user_id)
    form = _assignment_form(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = assign_role(actor=request.user, username=person.username, role_key=data["role"], unit_code=data["unit"],
                                     valid_from=data["valid_from"], valid_until=data["valid_until"], acting=data["acting"] or "")
        except WorkflowError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, _("%(name)s memegang peran %(role)s di %(unit)s.") % {
                "name": person.get_full_name() or person.username, "role": assignment.role.name,
                "unit": assignment.org_unit.name})
            return redirect(reverse("web:person", args=[person.pk]) + "#peran")
    return render(request, "web/people/person.html", _person_context(person, assign_form=form))


@login_required
@require_POST
def person_end_assignment(request, user_id: int, assignment_id: int):
    _require_people_admin(request.user)
    person = _person(user_id)
    assignment = get_object_or_404(person.role_assignments.select_related("role", "org_unit"), pk=assignment_id)
    form = _end_form(assignment, request.POST)
    if form.is_valid():
        try:
            end_assignment(actor=request.user, assignment_id=assignment.pk, valid_until=form.cleaned_data["valid_until"])
        except WorkflowError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, _("Peran %(role)s di %(unit)s berakhir pada %(day)s.") % {
                "role": assignment.role.name, "unit": assignment.org_unit.name,
                "day": date_format(form.cleaned_data["valid_until"], "j F Y")})
            return redirect(reverse("web:person", args=[person.pk]) + "#peran")
    return render(request, "web/people/person.html", _person_context(person, refused_end=(assignment.pk, form)))
