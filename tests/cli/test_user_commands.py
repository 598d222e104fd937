"""`alur user add|assign|list`: adding people and giving them roles from a script, each refusal
naming the argument that is wrong and changing nothing."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from alur.org.models import Role, RoleAssignment
from alur.org.selectors import holds_role
from alur.workflow.models import AuditEvent

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def assert_refused(result, first_words: str, *named: str) -> None:
    """Exit status 1, one message on stderr that starts with the argument at fault, nothing on stdout."""
    assert result.exit_code == 1, result
    assert result.err.startswith(first_words), result
    for word in named:
        assert word in result.err, result
    assert result.out == "", result


@pytest.fixture
def budi(alur, demo):
    result = alur("user", "add", "budi", "--name", "Budi Santoso", "--email", "budi@babelprov.go.id")
    assert result.exit_code == 0, result
    return get_user_model().objects.get(username="budi")


# --- add --------------------------------------------------------------------------------------------

def test_add_creates_the_person_with_name_and_email_holding_no_role(alur, demo):
    result = alur("user", "add", "budi", "--name", "Budi Santoso", "--email", "budi@babelprov.go.id")

    assert result.exit_code == 0, result
    assert result.out.splitlines()[0] == "Pengguna budi (Budi Santoso) ditambahkan."
    user = get_user_model().objects.get(username="budi")
    assert (user.get_full_name(), user.email, user.is_active, user.is_staff) == ("Budi Santoso", "budi@babelprov.go.id", True, False)
    assert not user.role_assignments.exists()


def test_add_leaves_the_password_to_be_set_and_says_how(alur, demo):
    result = alur("user", "add", "budi", "--name", "Budi Santoso")

    assert "alur changepassword budi" in result.out
    assert not get_user_model().objects.get(username="budi").has_usable_password()


def test_add_json_gives_the_new_persons_id(alur, demo):
    data = alur("user", "add", "budi", "--name", "Budi Santoso", "--json").json()

    assert data["ok"] is True
    assert data["user"] == {"id": get_user_model().objects.get(username="budi").pk, "username": "budi",
                            "name": "Budi Santoso", "email": "", "password_set": False}


def test_add_writes_an_audit_event(alur, demo):
    alur("user", "add", "budi", "--name", "Budi Santoso", "--email", "budi@babelprov.go.id")

    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_id) == ("person.added", None)
    assert event.data == {"user": "budi", "name": "Budi Santoso", "email": "budi@babelprov.go.id", "password_set": False}


ADD_REFUSALS = [
    (["karo", "--name", "Karo Kedua"], "PENGGUNA: ", ["'karo' sudah dipakai"]),
    (["KARO", "--name", "Karo Kedua"], "PENGGUNA: ", ["'KARO' sudah dipakai (sebagai karo)"]),
    (["budi santoso", "--name", "Budi Santoso"], "PENGGUNA: ", ["'budi santoso' tidak sah", "tanpa spasi"]),
    (["budi", "--name", "   "], "--name: ", ["Nama lengkap wajib diisi"]),
    (["budi", "--name", "Budi", "--email", "budi@"], "--email: ", ["'budi@' tidak sah"]),
    (["budi", "--name", "Budi", "--email", "budi babelprov.go.id"], "--email: ", ["tidak sah"]),
]


@pytest.mark.parametrize("args, first_words, named", ADD_REFUSALS, ids=[" ".join(a) for a, _, _ in ADD_REFUSALS])
def test_add_refuses_bad_input_naming_the_argument_and_adds_nothing(alur, demo, row_counts, args, first_words, named):
    before = row_counts()

    result = alur("user", "add", *args)

    assert_refused(result, first_words, *named)
    assert row_counts() == before


def test_add_without_a_name_is_refused_by_the_parser(alur_argv, demo):
    result = alur_argv("user", "add", "budi")

    assert result.exit_code == 1, result
    assert result.err.splitlines()[-1] == "alur user add: argumen wajib belum diberikan: --name"


# --- assign -----------------------------------------------------------------------------------------

def test_assign_gives_the_role_in_the_unit_from_today(alur, budi):
    result = alur("user", "assign", "budi", "karo", "--unit", "biro-pemerintahan")

    assert result.exit_code == 0, result
    assignment = RoleAssignment.objects.get(user=budi)
    assert (assignment.role_id, assignment.org_unit.code, assignment.valid_from, assignment.valid_until, assignment.acting) == (
        "karo", "biro-pemerintahan", TODAY, None, "")
    assert result.out.startswith("budi memegang peran Karo Pemerintahan di Biro Pemerintahan")
    assert holds_role(budi, "karo")


def test_an_assigned_head_of_an_opd_gets_that_opds_tasks(alur, budi, walker):
    walker.steps(6)
    walker.step("setuju")
    walker.step("setuju")
    walker.step("setuju")
    walker.steps(2)  # the signing, step 12, waits for the Kepala OPD of Dinas Pariwisata
    alur("user", "assign", "budi", "kepala_opd", "--unit", "dispar", "--plh", "--until", str(TODAY + 3 * DAY))

    tasks = alur("task", "list", "--as", "budi", "--json").json()["tasks"]

    assert [t["step"] for t in tasks] == ["penandatanganan"]


def test_assign_with_dates_holds_the_role_only_in_that_period(alur, budi):
    start, end = TODAY + 10 * DAY, TODAY + 40 * DAY

    result = alur("user", "assign", "budi", "analis", "--unit", "biro-pemerintahan", "--from", start.isoformat(),
                  "--until", end.isoformat())

    assert result.exit_code == 0, result
    assert f"berlaku {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}" in result.out
    assert [holds_role(budi, "analis", on=day) for day in (start - DAY, start, end, end + DAY)] == [False, True, True, False]


@pytest.mark.parametrize("flag, acting", [("--plt", "plt"), ("--plh", "plh")])
def test_assign_as_acting_holder_records_plt_or_plh(alur, budi, flag, acting):
    end = TODAY + 90 * DAY

    result = alur("user", "assign", "budi", "karo", "--unit", "biro-pemerintahan", flag, "--until", end.isoformat(), "--json")

    assert result.exit_code == 0, result
    assert result.json()["assignment"]["acting"] == acting
    assert RoleAssignment.objects.get(user=budi).acting == acting


def test_assign_without_a_unit_takes_the_one_unit_where_the_role_is_held(alur, budi):
    result = alur("user", "assign", "budi", "tkksd", "--json")

    assert result.exit_code == 0, result
    assert result.json()["assignment"]["unit"] == "tkksd"


def test_assign_next_to_an_ended_assignment_of_the_same_role_is_accepted(alur, budi):
    alur("user", "assign", "budi", "kabag", "--unit", "biro-pemerintahan", "--from", str(TODAY - 60 * DAY),
         "--until", str(TODAY - DAY))

    result = alur("user", "assign", "budi", "kabag", "--unit", "biro-pemerintahan", "--plt", "--until", str(TODAY + 30 * DAY))

    assert result.exit_code == 0, result
    assert RoleAssignment.objects.filter(user=budi, role_id="kabag").count() == 2


def test_assign_writes_an_audit_event_with_the_assignment(alur, budi):
    end = TODAY + 30 * DAY
    alur("user", "assign", "budi", "kepala_opd", "--unit", "dkp", "--plt", "--until", end.isoformat())

    event = AuditEvent.objects.order_by("-seq").first()
    assignment = RoleAssignment.objects.get(user=budi)
    assert event.action == "role.assigned"
    assert event.data == {"assignment": assignment.pk, "user": "budi", "role": "kepala_opd", "unit": "dkp",
                          "valid_from": TODAY.isoformat(), "valid_until": end.isoformat(), "acting": "plt"}


def _in(days: int) -> str:
    return (TODAY + days * DAY).isoformat()


ASSIGN_REFUSALS = [
    (["santoso", "karo"], "PENGGUNA: ", ["Pengguna 'santoso' tidak ada"]),
    (["budi", "inspektur", "--unit", "biro-pemerintahan"], "PERAN: ", ["Peran 'inspektur' tidak dikenal", "karo", "kepala_opd"]),
    (["budi", "karo", "--unit", "biro-hukum"], "--unit: ", ["'biro-hukum' tidak ada", "biro-pemerintahan, dispar, dkp"]),
    (["budi", "kepala_opd", "--unit", "biro-pemerintahan"], "--unit: ",
     ["Kepala OPD dijalankan per OPD", "'biro-pemerintahan' adalah Biro", "Kode OPD: dispar, dkp"]),
    (["budi", "kepala_opd"], "--unit: ", ["Kepala OPD dijalankan per OPD; sebutkan OPD-nya"]),
    (["budi", "karo", "--unit", "biro-pemerintahan", "--from", _in(10), "--until", _in(5)], "--until: ",
     ["sebelum tanggal mulai berlaku"]),
    (["budi", "karo", "--unit", "biro-pemerintahan", "--plt"], "--until: ", ["Plt. ditunjuk untuk jangka waktu tertentu"]),
    (["budi", "karo", "--unit", "biro-pemerintahan", "--plh"], "--until: ", ["Plh. ditunjuk untuk jangka waktu tertentu"]),
    (["budi", "kabag", "--unit", "biro-pemerintahan", "--from", _in(5)], "--from: ",
     ["sudah memegang peran Kabag Kerja Sama", "tidak boleh bertumpang-tindih"]),
]


@pytest.mark.parametrize("args, first_words, named", ASSIGN_REFUSALS, ids=[" ".join(a[:2] + a[-1:]) for a, _, _ in ASSIGN_REFUSALS])
def test_assign_refuses_bad_input_naming_the_argument_and_changes_nothing(alur, budi, row_counts, args, first_words, named):
    alur("user", "assign", "budi", "kabag", "--unit", "biro-pemerintahan", "--until", _in(30))
    before = row_counts()

    result = alur("user", "assign", *args)

    assert_refused(result, first_words, *named)
    assert row_counts() == before


def test_assign_refuses_an_inactive_person(alur, budi):
    budi.is_active = False
    budi.save()

    assert_refused(alur("user", "assign", "budi", "karo", "--unit", "biro-pemerintahan"), "PENGGUNA: ", "'budi' tidak aktif")


def test_assign_without_a_unit_for_a_role_nobody_holds_asks_for_one(alur, budi):
    Role.objects.create(key="inspektur", name="Inspektur Daerah")

    result = alur("user", "assign", "budi", "inspektur")

    assert_refused(result, "--unit: ", "Unit organisasi belum disebutkan", "belum dipegang siapa pun")


def test_an_unknown_person_is_refused_as_not_found_in_json(alur, demo):
    result = alur("user", "assign", "santoso", "karo", "--json")

    assert result.exit_code == 1, result
    assert result.json() == {"ok": False, "code": "not_found", "error": "PENGGUNA: Pengguna 'santoso' tidak ada."}


@pytest.mark.parametrize("args, message", [
    (["--from", "2026-13-01"], "alur user assign: argumen --from: '2026-13-01' bukan tanggal; tulis TTTT-BB-HH, misalnya 2026-12-01"),
    (["--until", "besok"], "alur user assign: argumen --until: 'besok' bukan tanggal; tulis TTTT-BB-HH, misalnya 2026-12-01"),
    (["--plt", "--plh"], "alur user assign: argumen --plh: tidak boleh dipakai bersama argumen --plt"),
])
def test_assign_arguments_the_parser_cannot_read_are_refused_naming_them(alur_argv, demo, row_counts, args, message):
    before = row_counts()

    result = alur_argv("user", "assign", "karo", "analis", "--unit", "biro-pemerintahan", *args)

    assert result.exit_code == 1, result
    assert result.err.splitlines()[-1] == message
    assert row_counts() == before


# --- list -------------------------------------------------------------------------------------------

def person_rows(result) -> dict[str, str]:
    return {line.split()[0]: line for line in result.out.splitlines()[2:]}


def test_list_shows_every_person_with_the_roles_they_hold_today(alur, budi):
    rows = person_rows(alur("user", "list"))

    assert "Kepala OPD (dispar)" in rows["kepala_dispar"]
    assert "Karo Pemerintahan (biro-pemerintahan)" in rows["karo"]
    assert "budi@babelprov.go.id" in rows["budi"] and rows["budi"].endswith(" -")


def test_list_shows_an_acting_holder_with_the_last_day(alur, budi):
    end = TODAY + 20 * DAY
    alur("user", "assign", "budi", "karo", "--unit", "biro-pemerintahan", "--plh", "--until", end.isoformat())

    assert f"Plh. Karo Pemerintahan (biro-pemerintahan) s.d. {end:%d-%m-%Y}" in person_rows(alur("user", "list"))["budi"]


def test_list_leaves_out_assignments_ended_or_not_yet_begun(alur, budi):
    alur("user", "assign", "budi", "analis", "--unit", "biro-pemerintahan", "--from", _in(-30), "--until", _in(-1))
    alur("user", "assign", "budi", "kabag", "--unit", "biro-pemerintahan", "--from", _in(1))

    (row,) = [p for p in alur("user", "list", "--json").json()["people"] if p["username"] == "budi"]

    assert row["roles"] == []


def test_list_by_role_keeps_its_holders(alur, budi):
    data = alur("user", "list", "--role", "kepala_opd", "--json").json()

    assert [p["username"] for p in data["people"]] == ["kepala_dkp", "kepala_dispar"]
    assert [r["unit"] for r in data["people"][1]["roles"]] == ["dispar"]


def test_list_by_unit_keeps_those_holding_a_role_there(alur, budi):
    alur("user", "assign", "budi", "kepala_opd", "--unit", "dkp", "--plt", "--until", _in(10))

    data = alur("user", "list", "--unit", "dkp", "--json").json()

    assert sorted(p["username"] for p in data["people"]) == ["budi", "kepala_dkp"]


def test_list_with_nobody_matching_says_so(alur, budi):
    Role.objects.create(key="inspektur", name="Inspektur Daerah")

    result = alur("user", "list", "--role", "inspektur")

    assert result.exit_code == 0, result
    assert result.out.strip() == "Tidak ada pengguna yang cocok."


@pytest.mark.parametrize("args, first_words, named", [
    (["--role", "inspektur"], "--role: ", ["Peran 'inspektur' tidak dikenal"]),
    (["--unit", "biro-hukum"], "--unit: ", ["Unit organisasi 'biro-hukum' tidak ada"]),
])
def test_list_refuses_an_unknown_role_or_unit_naming_it(alur, demo, args, first_words, named):
    assert_refused(alur("user", "list", *args), first_words, *named)
