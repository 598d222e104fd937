"""The engine on the working calendar: due, reminder and escalation times kept on each task,
working time taken kept on completion, and the office's own changes to the calendar."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from alur.workflow.models import Task
from alur.worktime.models import CalendarDay, WorkingPeriod
from alur.worktime.selectors import working_calendar
from tests.conftest import backdate

WIB = ZoneInfo("Asia/Jakarta")


def at(month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def step_2(walker):
    """Step 2 (Kabag, 30 menit) opened on Friday 6 February 2026 at 16:20: due Monday 07:50."""
    walker.step()
    return backdate(walker.open_task, at(2, 6, 16, 20))


def test_a_new_task_is_due_its_time_standard_later_in_working_time(walker):
    task = walker.open_task  # step 1, 5 menit
    assert task.due_at == working_calendar().add(task.created_at, 5)


def test_a_task_is_reminded_at_three_quarters_and_escalated_at_twice_its_standard(walker, settings):
    walker.step()
    task = walker.open_task  # step 2, 30 menit
    calendar = working_calendar()
    assert task.remind_at == calendar.add(task.created_at, 22.5)
    assert task.escalate_at == calendar.add(task.created_at, 60)


def test_the_backdated_step_is_due_after_the_weekend(step_2):
    assert step_2.due_at == at(2, 9, 7, 50)


def test_completing_a_step_keeps_the_working_time_it_took(walker):
    walker.step()
    done = Task.objects.get(case=walker.case, step_key="terima_disposisi")
    assert done.working_minutes == round(working_calendar().between(done.created_at, done.completed_at))


def test_a_day_off_added_by_the_office_moves_the_due_time_of_open_tasks(step_2):
    CalendarDay.objects.create(date=datetime.date(2026, 2, 9), kind=CalendarDay.Kind.LIBUR, name="Libur daerah")

    step_2.refresh_from_db()
    assert step_2.due_at == at(2, 10, 7, 50)


def test_a_national_holiday_moved_back_to_a_working_day_counts_again(walker):
    walker.step()
    task = backdate(walker.open_task, at(8, 14, 16, 20))  # Friday before Independence Day
    assert task.due_at == at(8, 18, 7, 50)

    CalendarDay.objects.create(date=datetime.date(2026, 8, 17), kind=CalendarDay.Kind.MASUK, name="Dipindah (contoh)")

    task.refresh_from_db()
    assert task.due_at == at(8, 17, 7, 50)


def test_removing_a_special_date_restores_the_calendar(step_2):
    day = CalendarDay.objects.create(date=datetime.date(2026, 2, 9), kind=CalendarDay.Kind.LIBUR, name="Libur daerah")
    day.delete()

    step_2.refresh_from_db()
    assert step_2.due_at == at(2, 9, 7, 50)


def test_changed_working_hours_move_the_due_time_of_open_tasks(step_2):
    # Friday until 17:00 instead of 16:30: the 30 minutes fit on Friday.
    WorkingPeriod.objects.filter(weekday=4, ends=datetime.time(16, 30)).update(ends=datetime.time(17, 0))
    WorkingPeriod.objects.get(weekday=4, ends=datetime.time(17, 0)).save()  # a save through the admin sends the change

    step_2.refresh_from_db()
    assert step_2.due_at == at(2, 6, 16, 50)


def test_tasks_already_done_keep_their_times(walker):
    walker.step()
    done = Task.objects.get(case=walker.case, step_key="terima_disposisi")
    before = (done.due_at, done.working_minutes)

    CalendarDay.objects.create(date=done.created_at.date(), kind=CalendarDay.Kind.LIBUR, name="Libur daerah")

    done.refresh_from_db()
    assert (done.due_at, done.working_minutes) == before


@pytest.fixture
def admin_client(db):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "rahasia-admin")
    client = Client()
    client.force_login(admin)
    return client


def test_the_admin_adds_a_day_off_and_open_tasks_follow(admin_client, step_2):
    response = admin_client.post("/admin/worktime/calendarday/add/",
                                 {"date": "2026-02-09", "kind": "libur", "name": "Cuti bersama tambahan"})

    assert response.status_code == 302
    step_2.refresh_from_db()
    assert step_2.due_at == at(2, 10, 7, 50)


def test_the_admin_refuses_overlapping_working_hours(admin_client):
    response = admin_client.post("/admin/worktime/workingperiod/add/", {"weekday": 0, "starts": "11:00", "ends": "14:00"})

    assert response.status_code == 200
    assert "Bertumpang tindih dengan Senin 07:30-12:00" in response.content.decode()
    assert WorkingPeriod.objects.filter(weekday=0).count() == 2


def test_the_admin_refuses_a_period_ending_before_it_starts(admin_client):
    response = admin_client.post("/admin/worktime/workingperiod/add/", {"weekday": 5, "starts": "12:00", "ends": "08:00"})

    assert response.status_code == 200
    assert "Jam selesai harus sesudah jam mulai." in response.content.decode()
    assert not WorkingPeriod.objects.filter(weekday=5).exists()


def test_the_admin_refuses_a_second_entry_for_the_same_date(admin_client):
    CalendarDay.objects.create(date=datetime.date(2026, 2, 9), kind=CalendarDay.Kind.LIBUR, name="Libur daerah")

    response = admin_client.post("/admin/worktime/calendarday/add/", {"date": "2026-02-09", "kind": "masuk", "name": "x"})

    assert response.status_code == 200
    assert CalendarDay.objects.count() == 1
