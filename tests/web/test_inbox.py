"""Tugas saya: the open tasks of every role a person holds, soonest due first, overdue ones
marked; claim and release in place (HTMX) or with a plain form post."""
from __future__ import annotations

import datetime
import re
import zoneinfo

from django.test import Client
from django.utils import translation
from tests.conftest import backdate

from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.models import Task

from .helpers import advance, advance_to, open_task, register, text

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
HTMX = {"HX-Request": "true"}
# A Monday morning in working hours, long enough ago that every step started then is overdue.
MONDAY_0900 = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=WIB)


def started_at(task: Task, when: datetime.datetime) -> Task:
    return backdate(task, when)


def row_of(page: str, task: Task) -> str:
    match = re.search(rf'<tr id="task-{task.pk}".*?</tr>', page, re.S)
    assert match, f"task {task.pk} is not on the page"
    return match.group(0)


def rows_in_order(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="task-(\d+)"', page)]


def test_it_lists_a_new_draft_in_the_karos_tugas_saya(users, browser):
    agreement = register(users, title="PKS Promosi Wisata Bahari")

    page = text(browser("karo").get("/"))

    assert "PKS Promosi Wisata Bahari" in row_of(page, open_task(agreement.case))


def test_it_shows_title_opd_step_waiting_time_and_due_time_of_each_task(users, browser):
    agreement = register(users, title="PKS Promosi Wisata Bahari", opd="dispar")
    task = started_at(open_task(agreement.case), MONDAY_0900)

    row = row_of(text(browser("karo").get("/")), task)

    assert "PKS Promosi Wisata Bahari" in row
    assert "Dinas Pariwisata" in row
    assert ">1</span> Menerima disposisi draft" in row  # step 1 and its activity
    assert "Karo Pemerintahan" in row
    assert re.search(r"\d+ hari( \d+ jam)? kalender", row)  # how long it has waited, in calendar time and ...
    assert re.search(r"\d+ jam( \d+ menit)? kerja", row)  # ... in working time
    assert "02 Feb 09:05" in row  # due: started 09:00, time standard 5 menit


def test_it_shows_the_partner_under_the_title(users, browser):
    agreement = register(users, partner="Universitas Bangka Belitung")

    row = row_of(text(browser("karo").get("/")), open_task(agreement.case))

    assert "Universitas Bangka Belitung" in row


def test_it_marks_an_overdue_task_terlambat(users, browser):
    agreement = register(users)
    task = started_at(open_task(agreement.case), MONDAY_0900)

    row = row_of(text(browser("karo").get("/")), task)

    assert "terlambat" in row
    assert "table-danger" in row


def test_it_does_not_mark_a_task_within_its_time_standard(users, browser):
    agreement = register(users)

    row = row_of(text(browser("karo").get("/")), open_task(agreement.case))

    assert "terlambat" not in row


def test_it_lists_the_tasks_of_every_role_the_person_holds(users, browser):
    # The Karo also acts as Kabag (plt.) while the Kabag is away.
    RoleAssignment.objects.create(user=users["karo"], role=Role.objects.get(key="kabag"),
                                  org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))
    at_step_1 = register(users, title="PKS Satu")
    at_step_2 = register(users, title="PKS Dua")
    advance(at_step_2.case, users)

    page = text(browser("karo").get("/"))

    assert "PKS Satu" in row_of(page, open_task(at_step_1.case))
    assert "PKS Dua" in row_of(page, open_task(at_step_2.case))


def test_it_orders_tasks_by_due_time_not_by_arrival(users, browser):
    RoleAssignment.objects.create(user=users["karo"], role=Role.objects.get(key="kabag"),
                                  org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))
    earlier = register(users, title="PKS Datang Duluan")
    advance(earlier.case, users)  # now at step 2 (Kabag, 30 menit)
    later = register(users, title="PKS Datang Belakangan")  # step 1 (Karo, 5 menit)
    due_later = started_at(open_task(earlier.case), MONDAY_0900)  # due 09:30
    due_sooner = started_at(open_task(later.case), MONDAY_0900 + datetime.timedelta(minutes=10))  # due 09:15

    order = rows_in_order(text(browser("karo").get("/")))

    assert order == [due_sooner.pk, due_later.pk]


def test_it_leaves_out_tasks_of_roles_the_person_does_not_hold(users, browser):
    agreement = register(users)  # at step 1, the Karo's

    page = text(browser("kabag").get("/"))

    assert f'id="task-{open_task(agreement.case).pk}"' not in page
    assert "Tidak ada tugas yang menunggu Anda." in page


def test_it_gives_a_kepala_opd_only_the_tasks_of_their_own_opd(users, browser):
    agreement = register(users, opd="dispar")
    signing = advance_to(agreement.case, users, "penandatanganan")

    assert f'id="task-{signing.pk}"' in text(browser("kepala_dispar").get("/"))
    assert f'id="task-{signing.pk}"' not in text(browser("kepala_dkp").get("/"))


def test_it_leaves_out_a_task_someone_else_has_claimed(users, browser, django_user_model):
    second_karo = django_user_model.objects.create_user("plh_karo", first_name="Plh", last_name="Karo")
    RoleAssignment.objects.create(user=second_karo, role=Role.objects.get(key="karo"),
                                  org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))
    agreement = register(users)
    task = open_task(agreement.case)
    browser("karo").post(f"/tugas/{task.pk}/ambil/")

    page = text(browser(second_karo).get("/"))

    assert f'id="task-{task.pk}"' not in page


def test_it_lists_a_task_whose_holder_can_no_longer_act_on_it(users, browser, django_user_model):
    # The engine lets the other holders of the role act when a claim has lapsed (the holder was
    # deactivated or moved): they must be able to find the task, or it waits forever.
    plh = django_user_model.objects.create_user("plh_karo", first_name="Plh", last_name="Karo")
    RoleAssignment.objects.create(user=plh, role=Role.objects.get(key="karo"),
                                  org_unit=OrgUnit.objects.get(code="biro-pemerintahan"))
    agreement = register(users)
    task = open_task(agreement.case)
    browser(plh).post(f"/tugas/{task.pk}/ambil/")
    plh.is_active = False
    plh.save(update_fields=["is_active"])

    page = text(browser("karo").get("/"))

    assert f'id="task-{task.pk}"' in page


def test_it_claims_in_place_and_returns_only_the_row_for_htmx(users, browser):
    agreement = register(users)
    task = open_task(agreement.case)

    response = browser("karo").post(f"/tugas/{task.pk}/ambil/", headers=HTMX)

    assert response.status_code == 200
    fragment = text(response)
    assert fragment.lstrip().startswith(f'<tr id="task-{task.pk}"')
    assert "<html" not in fragment
    assert "Anda pegang" in fragment and "Lepaskan" in fragment
    task.refresh_from_db()
    assert task.assignee == users["karo"]


def test_it_claims_with_a_plain_post_and_redirects_to_tugas_saya(users, browser):
    agreement = register(users)
    task = open_task(agreement.case)
    client = browser("karo")

    response = client.post(f"/tugas/{task.pk}/ambil/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    task.refresh_from_db()
    assert task.assignee == users["karo"]
    assert "Tugas diambil." in text(client.get("/"))


def test_it_releases_in_place_and_returns_the_row_with_ambil_again(users, browser):
    agreement = register(users)
    task = open_task(agreement.case)
    client = browser("karo")
    client.post(f"/tugas/{task.pk}/ambil/")

    response = client.post(f"/tugas/{task.pk}/lepas/", headers=HTMX)

    fragment = text(response)
    assert response.status_code == 200
    assert fragment.lstrip().startswith(f'<tr id="task-{task.pk}"')
    assert "Ambil" in fragment and "Anda pegang" not in fragment
    task.refresh_from_db()
    assert task.assignee is None


def test_it_releases_with_a_plain_post_and_redirects_to_tugas_saya(users, browser):
    agreement = register(users)
    task = open_task(agreement.case)
    client = browser("karo")
    client.post(f"/tugas/{task.pk}/ambil/")

    response = client.post(f"/tugas/{task.pk}/lepas/")

    assert response["Location"] == "/"
    task.refresh_from_db()
    assert task.assignee is None


def test_it_marks_the_row_of_a_task_the_person_holds(users, browser):
    agreement = register(users)
    task = open_task(agreement.case)
    client = browser("karo")
    client.post(f"/tugas/{task.pk}/ambil/")

    row = row_of(text(client.get("/")), task)

    assert "Anda pegang" in row


def test_it_claims_only_with_a_post(users, browser):
    agreement = register(users)
    task = open_task(agreement.case)

    response = browser("karo").get(f"/tugas/{task.pk}/ambil/")

    assert response.status_code == 405
    task.refresh_from_db()
    assert task.assignee is None


def test_it_says_so_when_there_is_nothing_to_do(users, browser):
    page = text(browser("analis").get("/"))

    assert "Tidak ada tugas yang menunggu Anda." in page



def test_it_leaves_no_message_behind_for_a_later_page_after_claiming_in_place(users, browser):
    # The row is swapped in place; a "Tugas diambil." queued for the next full page would turn
    # up later on some other page, out of context.
    agreement = register(users)
    client = browser("karo")
    client.post(f"/tugas/{open_task(agreement.case).pk}/ambil/", headers=HTMX)

    later = text(client.get(f"/perkara/{agreement.case_id}/"))

    assert "Tugas diambil." not in later


def test_it_sends_the_csrf_token_with_htmx_requests(users):
    agreement = register(users)
    task = open_task(agreement.case)
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["karo"])
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", text(client.get("/"))).group(1)

    response = client.post(f"/tugas/{task.pk}/ambil/", headers={**HTMX, "X-CSRFToken": token})

    assert response.status_code == 200
    task.refresh_from_db()
    assert task.assignee == users["karo"]
