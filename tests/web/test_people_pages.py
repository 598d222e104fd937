"""The people pages (/pengguna/), for those who administer Alur: everyone with the roles they hold
today, adding a person, and a person's page where roles are given (unit, period, Plt./Plh.) and
ended; every refusal of the services shown at the field it concerns."""
from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alur.org.models import OrgUnit, RoleAssignment
from alur.org.selectors import holds_role
from alur.web.models import Preference
from alur.workflow.models import AuditEvent

from .helpers import field_block, text

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
User = get_user_model()


@pytest.fixture
def admin(users):
    return User.objects.create_superuser("admin", "admin@babelprov.go.id", "rahasia-admin-2026", first_name="Admin",
                                         last_name="Alur")


@pytest.fixture
def as_admin(browser, admin):
    return browser(admin)


@pytest.fixture
def row_counts(db):
    """The number of rows of every table, to show that a refusal added or changed nothing."""
    return lambda: {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def assign(user: str, role: str, unit: str, **period) -> RoleAssignment:
    return RoleAssignment.objects.create(user=User.objects.get(username=user), role_id=role,
                                         org_unit=OrgUnit.objects.get(code=unit), **period)


def new_person(**changes) -> dict:
    return {"username": "budi", "full_name": "Budi Santoso", "email": "budi@babelprov.go.id",
            "password1": "pantai-parai-2026", "password2": "pantai-parai-2026", **changes}


def role_form(**changes) -> dict:
    return {"role": "analis", "unit": "biro-pemerintahan", "valid_from": TODAY.isoformat(), "valid_until": "", "acting": "",
            **changes}


def field_errors(response, form: str, name: str) -> list[str]:
    return list(response.context[form].errors.get(name, []))


# --- who may ----------------------------------------------------------------------------------------

def people_urls(users) -> list[str]:
    karo = users["karo"]
    assignment = karo.role_assignments.get()
    return ["/pengguna/", "/pengguna/baru/", f"/pengguna/{karo.pk}/", f"/pengguna/{karo.pk}/peran/",
            f"/pengguna/{karo.pk}/peran/{assignment.pk}/akhiri/"]


def test_the_people_pages_refuse_someone_who_does_not_administer_alur(browser, users, row_counts):
    client = browser("karo")
    before = row_counts()

    for url in people_urls(users):
        response = client.post(url, role_form()) if "peran" in url else client.get(url)
        assert response.status_code == 403, url
        assert "dikelola oleh admin Alur" in text(response)
    assert row_counts() == before


def test_a_staff_member_without_the_permission_to_manage_users_is_refused(browser, users):
    staff = User.objects.create_user("staf", is_staff=True)

    assert browser(staff).get("/pengguna/").status_code == 403


def test_a_staff_member_allowed_to_add_users_and_change_roles_may_manage_people(browser, users):
    staff = User.objects.create_user("staf", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(
        codename__in=["add_user", "change_user", "add_roleassignment", "change_roleassignment"]))

    assert browser(staff).get("/pengguna/").status_code == 200


def test_the_navigation_links_the_people_pages_for_admins_only(browser, as_admin):
    assert 'href="/pengguna/"' in text(as_admin.get("/"))
    assert 'href="/pengguna/"' not in text(browser("karo").get("/"))


# --- everyone ---------------------------------------------------------------------------------------

def test_the_list_shows_each_person_with_the_roles_they_hold_today(as_admin, users):
    page = text(as_admin.get("/pengguna/"))

    assert "Kepala Dinas Pariwisata" in page and "kepala_dispar" in page
    assert "Kepala OPD</span> · Dinas Pariwisata" in page


def test_the_list_shows_an_acting_holder_with_the_last_day(as_admin, users):
    end = TODAY + 30 * DAY
    assign("kabag", "karo", "biro-pemerintahan", acting="plh", valid_until=end)

    page = text(as_admin.get("/pengguna/?peran=karo"))

    assert ">Plh.</span>" in page
    assert f"s.d. {end.day} " in page


def test_the_list_leaves_out_roles_ended_or_not_yet_begun(as_admin, users):
    assign("analis", "kasubbag", "biro-pemerintahan", valid_from=TODAY - 90 * DAY, valid_until=TODAY - DAY)
    assign("analis", "kabag", "biro-pemerintahan", valid_from=TODAY + DAY)

    people = {p.username: p for p in as_admin.get("/pengguna/").context["people"]}

    assert [a.role_id for a in people["analis"].roles_in_force] == ["analis"]


def test_the_list_by_role_keeps_its_holders(as_admin, users):
    response = as_admin.get("/pengguna/?peran=kepala_opd")

    assert [p.username for p in response.context["people"]] == ["kepala_dkp", "kepala_dispar"]


def test_the_list_by_unit_keeps_those_holding_a_role_there(as_admin, users):
    response = as_admin.get("/pengguna/?unit=tkksd")

    assert [p.username for p in response.context["people"]] == ["tkksd"]


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_reads_people_and_roles_in_the_same_queries_however_many(as_admin, users):
    as_admin.get("/pengguna/")
    few = queries_of(as_admin, "/pengguna/")
    for n in range(30):
        User.objects.create_user(f"staf{n}", first_name="Staf", last_name=str(n))
        assign(f"staf{n}", "analis", "biro-pemerintahan")
        assign(f"staf{n}", "kabag", "biro-pemerintahan", acting="plh", valid_until=TODAY + DAY)

    assert queries_of(as_admin, "/pengguna/") == few


# --- a new person -----------------------------------------------------------------------------------

def test_adding_a_person_creates_them_and_opens_their_page(as_admin, users):
    response = as_admin.post("/pengguna/baru/", new_person())

    budi = User.objects.get(username="budi")
    assert response.status_code == 302 and response.url == f"/pengguna/{budi.pk}/"
    assert (budi.get_full_name(), budi.email, budi.is_staff) == ("Budi Santoso", "budi@babelprov.go.id", False)
    assert budi.check_password("pantai-parai-2026")
    assert "Budi Santoso ditambahkan" in text(as_admin.get(response.url))


def test_adding_a_person_is_recorded_in_the_audit_trail_with_the_admin(as_admin, admin):
    as_admin.post("/pengguna/baru/", new_person())

    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_id, event.data["user"], event.data["password_set"]) == ("person.added", admin.pk, "budi", True)


@pytest.mark.parametrize("changes, field, message", [
    ({"username": "Karo"}, "username", "Nama pengguna 'Karo' sudah dipakai (sebagai karo)."),
    ({"username": "budi santoso"}, "username", "tanpa spasi"),
    ({"full_name": "  "}, "full_name", "Bidang ini tidak boleh kosong."),
    ({"email": "budi@"}, "email", "Alamat surel 'budi@' tidak sah"),
    ({"password1": "12345678", "password2": "12345678"}, "password1", "Kata sandi ditolak"),
    ({"password2": "pantai-parai-2027"}, "password2", "Kedua kata sandi tidak sama."),
])
def test_a_refused_new_person_is_shown_at_the_field_and_nothing_is_added(as_admin, row_counts, changes, field, message):
    before = row_counts()

    response = as_admin.post("/pengguna/baru/", new_person(**changes))

    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "form", field)), response.context["form"].errors
    block = field_block(text(response), field)
    assert "is-invalid" in block and "invalid-feedback" in block
    assert row_counts() == before


# --- a person's roles -------------------------------------------------------------------------------

def test_the_person_page_shows_each_assignment_with_its_period_and_state(as_admin, users):
    assign("analis", "kasubbag", "biro-pemerintahan", valid_from=TODAY - 90 * DAY, valid_until=TODAY - DAY)
    assign("analis", "kabag", "biro-pemerintahan", valid_from=TODAY + 7 * DAY, acting="plt", valid_until=TODAY + 60 * DAY)

    response = as_admin.get(f"/pengguna/{users['analis'].pk}/")

    states = {row["assignment"].role_id: row["state"] for row in response.context["rows"]}
    assert states == {"analis": "current", "kasubbag": "ended", "kabag": "future"}
    page = text(response)
    assert "berakhir</span>" in page and "akan berlaku</span>" in page and ">Plt.</span>" in page


def test_an_ended_assignment_offers_no_end_form(as_admin, users):
    ended = assign("analis", "kasubbag", "biro-pemerintahan", valid_from=TODAY - 90 * DAY, valid_until=TODAY - DAY)

    page = text(as_admin.get(f"/pengguna/{users['analis'].pk}/"))

    assert f"/peran/{ended.pk}/akhiri/" not in page
    assert f"/peran/{users['analis'].role_assignments.get(role_id='analis').pk}/akhiri/" in page


def test_giving_a_role_with_unit_period_and_plt_records_it(as_admin, users, admin):
    budi = User.objects.create_user("budi", first_name="Budi", last_name="Santoso")
    start, end = TODAY + DAY, TODAY + 90 * DAY

    response = as_admin.post(f"/pengguna/{budi.pk}/peran/", role_form(role="kepala_opd", unit="dkp", acting="plt",
                                                                      valid_from=start.isoformat(), valid_until=end.isoformat()))

    assert response.status_code == 302
    assignment = budi.role_assignments.get()
    assert (assignment.role_id, assignment.org_unit.code, assignment.valid_from, assignment.valid_until, assignment.acting) == (
        "kepala_opd", "dkp", start, end, "plt")
    assert holds_role(budi, "kepala_opd", org_unit_id=assignment.org_unit_id, on=start)
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_id, event.data["unit"]) == ("role.assigned", admin.pk, "dkp")


@pytest.mark.parametrize("changes, field, message", [
    ({"role": "kepala_opd", "unit": "biro-pemerintahan"}, "unit", "Peran Kepala OPD dijalankan per OPD"),
    ({"acting": "plt"}, "valid_until", "Plt. ditunjuk untuk jangka waktu tertentu"),
    ({"acting": "plh"}, "valid_until", "Plh. ditunjuk untuk jangka waktu tertentu"),
    ({"valid_until": (TODAY - DAY).isoformat()}, "valid_until", "sebelum tanggal mulai berlaku"),
    ({"role": "kasubbag"}, "valid_from", "sudah memegang peran Ka. Subbag Kerja Sama Swasta dan LN"),
    ({"role": ""}, "role", "Bidang ini tidak boleh kosong."),
])
def test_a_refused_role_is_shown_at_the_field_and_nothing_changes(as_admin, users, row_counts, changes, field, message):
    kasubbag = users["kasubbag"]
    before = row_counts()

    response = as_admin.post(f"/pengguna/{kasubbag.pk}/peran/", role_form(**changes))

    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "assign_form", field)), response.context["assign_form"].errors
    assert "is-invalid" in field_block(text(response), field)
    assert row_counts() == before


def test_ending_a_role_makes_the_day_given_its_last(as_admin, users, admin):
    kabag = users["kabag"]
    assignment = kabag.role_assignments.get()

    response = as_admin.post(f"/pengguna/{kabag.pk}/peran/{assignment.pk}/akhiri/",
                             {f"akhiri-{assignment.pk}-valid_until": TODAY.isoformat()})

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.valid_until == TODAY
    assert holds_role(kabag, "kabag") and not holds_role(kabag, "kabag", on=TODAY + DAY)
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_id, event.data["valid_until"]) == (
        "role.ended", admin.pk, {"before": None, "after": TODAY.isoformat()})


def test_ending_a_role_before_it_began_is_refused_at_its_date(as_admin, users, row_counts):
    future = assign("analis", "kabag", "biro-pemerintahan", valid_from=TODAY + 10 * DAY)
    before = row_counts()

    response = as_admin.post(f"/pengguna/{users['analis'].pk}/peran/{future.pk}/akhiri/",
                             {f"akhiri-{future.pk}-valid_until": (TODAY + 5 * DAY).isoformat()})

    assert response.status_code == 200
    (row,) = [r for r in response.context["rows"] if r["assignment"].pk == future.pk]
    assert "sebelum penugasan ini mulai berlaku" in row["end_form"].errors["valid_until"][0]
    assert "is-invalid" in str(row["end_form"]["valid_until"])
    future.refresh_from_db()
    assert future.valid_until is None and row_counts() == before


def test_ending_later_than_planned_is_refused(as_admin, users):
    plh = assign("analis", "kabag", "biro-pemerintahan", acting="plh", valid_until=TODAY + 5 * DAY)

    response = as_admin.post(f"/pengguna/{users['analis'].pk}/peran/{plh.pk}/akhiri/",
                             {f"akhiri-{plh.pk}-valid_until": (TODAY + 20 * DAY).isoformat()})

    (row,) = [r for r in response.context["rows"] if r["assignment"].pk == plh.pk]
    assert "hanya dapat memajukan" in row["end_form"].errors["valid_until"][0]


def test_an_assignment_is_ended_only_from_its_holders_page(as_admin, users):
    assignment = users["kabag"].role_assignments.get()

    response = as_admin.post(f"/pengguna/{users['karo'].pk}/peran/{assignment.pk}/akhiri/",
                             {f"akhiri-{assignment.pk}-valid_until": TODAY.isoformat()})

    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.valid_until is None


# --- in English -------------------------------------------------------------------------------------

def test_the_people_pages_speak_english_to_an_admin_who_chose_it(as_admin, admin, users):
    Preference.objects.create(user=admin, language="en")

    listing = text(as_admin.get("/pengguna/"))
    person = text(as_admin.get(f"/pengguna/{users['karo'].pk}/"))

    assert "Add user" in listing and "Roles in force today" in listing
    assert "Give a role" in person and "End role" in person
