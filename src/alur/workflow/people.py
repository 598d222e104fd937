"""People and the roles they hold: adding a person, giving them a role in a unit for a period
(possibly as Plt. or Plh.), ending it. The services behind the people pages and `alur user`.

They live in the engine, not in org/ beside the models they write, because two of their rules are
the engine's: every change is written to the audit trail (audit.py), and whether a role must be
held in an OPD is said by the loaded SOP definitions (a role with `scope: opd`, whose tasks go to
its holder in the case's own OPD). org/ stays below workflow/: the engine imports it, never the
other way round.
"""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alur.org.models import OrgUnit, Role, RoleAssignment

from .audit import record_event
from .definitions import definition_of
from .errors import InvalidInput, NotAllowed
from .models import SopVersion

# What the Django admin asks of a staff member before they may add people and change their roles;
# the people pages ask the same, so they give no one more than the admin would.
PEOPLE_PERMISSIONS = ("auth.add_user", "auth.change_user", "org.add_roleassignment", "org.change_roleassignment")

ACTING_WORDS = {"": "definitif", RoleAssignment.Acting.PLT: "Plt.", RoleAssignment.Acting.PLH: "Plh."}


class InvalidField(InvalidInput):
    """A refusal about one input. `field` is the service's argument it concerns, so a form can
    show the message at that field and the CLI can name its option."""

    def __init__(self, field: str, message: str, code: str = "invalid"):
        super().__init__(message)
        self.field = field
        self.code = code


def may_manage_people(user) -> bool:
    """Whether the user may add people and give or end their roles: an active staff member whom
    the admin allows to add users and change role assignments (every superuser)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff
                and user.has_perms(PEOPLE_PERMISSIONS))


def _check_actor(actor) -> None:
    # No actor: the operator on the server (`alur user ...`), who may do anything `alur` does.
    if actor is not None and not may_manage_people(actor):
        raise NotAllowed("Hanya admin Alur (staf dengan izin mengelola pengguna dan penugasan peran) "
                         "yang dapat menambah pengguna dan mengatur perannya.")


def _day(value: datetime.date | None) -> str | None:
    return f"{value:%d-%m-%Y}" if value else None


def period_text(valid_from: datetime.date, valid_until: datetime.date | None) -> str:
    return f"{_day(valid_from)} s.d. {_day(valid_until) if valid_until else 'seterusnya'}"


# --- what an input names -----------------------------------------------------------------------

def opd_scoped_roles() -> set[str]:
    """Keys of the roles some loaded SOP runs per OPD (`scope: opd`), in any of its versions: a
    running case keeps the version it started on."""
    scoped = set()
    for version in SopVersion.objects.all():
        scoped |= {role.key for role in definition_of(version).roles if role.scope == "opd"}
    return scoped


def role_by_key(key: str) -> Role:
    role = Role.objects.filter(key=(key or "").strip()).first()
    if role is None:
        known = ", ".join(Role.objects.order_by("key").values_list("key", flat=True))
        known = known or "belum ada (muat SOP dahulu: alur sop load)"
        raise InvalidField("role", f"Peran '{key}' tidak dikenal; peran yang dikenal: {known}.", "not_found")
    return role


def unit_by_code(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=(code or "").strip()).first()
    if unit is None:
        known = ", ".join(OrgUnit.objects.order_by("code").values_list("code", flat=True)) or "belum ada"
        raise InvalidField("unit", f"Unit organisasi '{code}' tidak ada; kode unit yang dikenal: {known}.", "not_found")
    return unit


def _opd_codes() -> str:
    return ", ".join(OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).order_by("code").values_list("code", flat=True)) or "belum ada"


def _unit_for(role: Role, unit_code: str | None, opd_scoped: bool) -> OrgUnit:
    """The unit named, checked against the role; with none named, the one unit where the role is
    held today (there is no other way to guess it)."""
    if unit_code:
        unit = unit_by_code(unit_code)
        if opd_scoped and unit.kind != OrgUnit.Kind.OPD:
            raise InvalidField("unit", f"Peran {role.name} dijalankan per OPD (tugasnya ke pemegang peran di OPD pengusul), "
                                       f"jadi harus dipegang di sebuah OPD; '{unit.code}' adalah {unit.get_kind_display()}. "
                                       f"Kode OPD: {_opd_codes()}.")
        return unit
    if opd_scoped:
        raise InvalidField("unit", f"Peran {role.name} dijalankan per OPD; sebutkan OPD-nya. Kode OPD: {_opd_codes()}.")
    today = timezone.localdate()
    unit_ids = set(RoleAssignment.objects.valid_on(today).filter(role=role).values_list("org_unit_id", flat=True))
    if len(unit_ids) == 1:
        return OrgUnit.objects.get(pk=unit_ids.pop())
    known = ", ".join(OrgUnit.objects.order_by("code").values_list("code", flat=True)) or "belum ada"
    where = f"dipegang di {len(unit_ids)} unit" if unit_ids else "belum dipegang siapa pun"
    raise InvalidField("unit", f"Unit organisasi belum disebutkan, dan peran {role.name} {where}; "
                               f"sebutkan kodenya: {known}.")


# --- people ------------------------------------------------------------------------------------

@transaction.atomic
def add_person(*, actor, username: str, full_name: str, email: str = "", password: str | None = None):
    """A new person who can sign in (with `password`; without one, once a password is set with
    `alur changepassword`). They hold no role until one is assigned."""
    _check_actor(actor)
    User = get_user_model()
    username = (username or "").strip()
    if not username:
        raise InvalidField("username", "Nama pengguna wajib diisi.")
    try:
        User.username_validator(username)
        if len(username) > User._meta.get_field("username").max_length:
            raise ValidationError("")
    except ValidationError:
        raise InvalidField("username", f"Nama pengguna '{username}' tidak sah: pakai huruf, angka dan @ . + - _ saja, "
                                       f"tanpa spasi, paling banyak 150 karakter.") from None
    taken = User.objects.filter(username__iexact=username).first()
    if taken is not None:
        raise InvalidField("username", f"Nama pengguna '{username}' sudah dipakai"
                                       f"{'' if taken.username == username else f' (sebagai {taken.username})'}.")
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise InvalidField("full_name", "Nama lengkap wajib diisi.")
    first_name, _, last_name = full_name.partition(" ")
    limit = User._meta.get_field("first_name").max_length
    if len(first_name) > limit or len(last_name) > limit:
        raise InvalidField("full_name", f"Nama lengkap terlalu panjang: paling banyak {limit} karakter per bagian nama.")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidField("email", f"Alamat surel '{email}' tidak sah; tulis seperti nama@bangkabelitungprov.go.id.") from None
        email = User.objects.normalize_email(email)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise InvalidField("password", "Kata sandi ditolak: " + " ".join(error.messages)) from None
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same name taken a moment ago by someone else
        raise InvalidField("username", f"Nama pengguna '{username}' sudah dipakai.") from None
    record_event(action="person.added", actor=actor,
                 data={"user": username, "name": full_name, "email": email, "password_set": password is not None})
    return user


# --- roles -------------------------------------------------------------------------------------

def _person(username: str):
    person = get_user_model().objects.select_for_update().filter(username=(username or "").strip()).first()
    if person is None:
        raise InvalidField("username", f"Pengguna '{username}' tidak ada.", "not_found")
    return person


@transaction.atomic
def assign_role(*, actor, username: str, role_key: str, unit_code: str | None = None,
                valid_from: datetime.date | None = None, valid_until: datetime.date | None = None,
                acting: str = "") -> RoleAssignment:
    """Give a person a role in a unit from `valid_from` (today) until `valid_until` (the last day;
    none: until it is ended), as definitive holder or as Plt./Plh. A role the SOPs run per OPD is
    held in an OPD; an acting holder is appointed for a stated period; one person holds a role in
    a unit once at a time."""
    _check_actor(actor)
    person = _person(username)  # locked: two assignments of one person are checked one after the other
    if not person.is_active:
        raise InvalidField("username", f"Pengguna '{person.username}' tidak aktif; aktifkan dahulu sebelum memberi peran.")
    role = role_by_key(role_key)
    unit = _unit_for(role, unit_code, role.key in opd_scoped_roles())
    valid_from = valid_from or timezone.localdate()
    if valid_until is not None and valid_until < valid_from:
        raise InvalidField("valid_until", f"Tanggal berakhir ({_day(valid_until)}) sebelum tanggal mulai berlaku ({_day(valid_from)}).")
    if acting not in RoleAssignment.Acting.values:
        raise InvalidField("acting", f"Status jabatan '{acting}' tidak dikenal; pilih definitif, plt atau plh.")
    if acting and valid_until is None:
        raise InvalidField("valid_until", f"{ACTING_WORDS[acting]} ditunjuk untuk jangka waktu tertentu: isi tanggal berakhir "
                                          f"sesuai surat perintahnya.")
    overlapping = (RoleAssignment.objects.filter(user=person, role=role, org_unit=unit)
                   .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)))
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    clash = overlapping.order_by("valid_from").first()
    if clash is not None:
        raise InvalidField("valid_from", f"{person.username} sudah memegang peran {role.name} di {unit.name} "
                                         f"({ACTING_WORDS[clash.acting]}, {period_text(clash.valid_from, clash.valid_until)}); "
                                         f"periodenya tidak boleh bertumpang-tindih. Akhiri penugasan itu dahulu.")
    assignment = RoleAssignment.objects.create(user=person, role=role, org_unit=unit, valid_from=valid_from,
                                               valid_until=valid_until, acting=acting)
    record_event(action="role.assigned", actor=actor, data={
        "assignment": assignment.pk, "user": person.username, "role": role.key, "unit": unit.code,
        "valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat() if valid_until else None,
        "acting": acting})
    return assignment


@transaction.atomic
def end_assignment(*, actor, assignment_id: int, valid_until: datetime.date) -> RoleAssignment:
    """End a role assignment: `valid_until` is the last day the person holds the role. It may end
    earlier than planned, never before it began nor later than it already ends."""
    _check_actor(actor)
    assignment = (RoleAssignment.objects.select_for_update(of=("self",)).select_related("user", "role", "org_unit")
                  .filter(pk=assignment_id).first())
    if assignment is None:
        raise InvalidField("assignment", f"Penugasan peran #{assignment_id} tidak ada.", "not_found")
    if valid_until < assignment.valid_from:
        raise InvalidField("valid_until", f"Tanggal berakhir ({_day(valid_until)}) sebelum penugasan ini mulai berlaku "
                                          f"({_day(assignment.valid_from)}).")
    before = assignment.valid_until
    if before is not None and valid_until >= before:
        raise InvalidField("valid_until", f"Penugasan ini berakhir pada {_day(before)}; mengakhirinya hanya dapat memajukan "
                                          f"tanggal itu, tidak mengundurkannya.")
    assignment.valid_until = valid_until
    assignment.save(update_fields=["valid_until"])
    record_event(action="role.ended", actor=actor, data={
        "assignment": assignment.pk, "user": assignment.user.username, "role": assignment.role_id,
        "unit": assignment.org_unit.code, "valid_until": {"before": before.isoformat() if before else None,
                                                          "after": valid_until.isoformat()}})
    return assignment
