"""The working calendar: time standards run in the office's working hours, WIB, skipping
weekends, national holidays and cuti bersama (the `holidays` package, 2026 dates)."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alur.worktime.calendar import DEFAULT_HOURS, NoWorkingTime, WorkingCalendar
from alur.worktime.selectors import national_days_off

WIB = ZoneInfo("Asia/Jakarta")


def at(year, month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture(scope="module")
def office() -> WorkingCalendar:
    national = national_days_off()
    return WorkingCalendar(DEFAULT_HOURS, is_day_off=lambda day: day in national)


def test_the_default_week_is_37_and_a_half_hours(office):
    assert office.weekly_minutes == 37 * 60 + 30
    assert office.workday_minutes == 7 * 60 + 30


def test_a_standard_within_the_morning_ends_the_same_morning(office):
    assert office.add(at(2026, 2, 3, 9, 0), 30) == at(2026, 2, 3, 9, 30)


def test_the_lunch_break_is_not_working_time(office):
    assert office.add(at(2026, 2, 3, 11, 55), 10) == at(2026, 2, 3, 13, 5)


def test_the_friday_prayer_break_is_longer(office):
    assert office.add(at(2026, 2, 6, 11, 25), 10) == at(2026, 2, 6, 13, 5)


def test_a_task_started_after_hours_starts_counting_the_next_morning(office):
    assert office.add(at(2026, 2, 3, 18, 0), 5) == at(2026, 2, 4, 7, 35)


def test_a_task_started_before_hours_starts_counting_at_opening(office):
    assert office.add(at(2026, 2, 3, 6, 0), 5) == at(2026, 2, 3, 7, 35)


def test_a_weekend_is_skipped(office):
    # Friday ends at 16:30: 20 minutes on Friday, the other 10 on Monday morning.
    assert office.add(at(2026, 2, 6, 16, 10), 30) == at(2026, 2, 9, 7, 40)


def test_a_national_holiday_is_skipped(office):
    # Monday 17 August 2026 is Independence Day.
    assert office.add(at(2026, 8, 14, 16, 20), 30) == at(2026, 8, 18, 7, 50)


def test_cuti_bersama_is_skipped(office):
    # Thursday 24 December 2026 is cuti bersama, Friday the 25th Christmas.
    assert office.add(at(2026, 12, 23, 15, 30), 60) == at(2026, 12, 28, 8, 0)


def test_a_task_arriving_before_a_long_weekend_is_not_late_over_it(office):
    # Wednesday 13 May 2026 15:50; Thursday is Ascension Day, Friday cuti bersama: "3 jam" end on Monday.
    due = office.add(at(2026, 5, 13, 15, 50), 180)
    assert due == at(2026, 5, 18, 10, 20)
    assert due > at(2026, 5, 16, 12, 0)  # not late on Saturday


def test_a_standard_of_several_days_spans_them_in_working_time(office):
    two_days = office.standard_minutes(working_days=2)
    assert two_days == 900
    assert office.add(at(2026, 2, 2, 10, 0), two_days) == at(2026, 2, 4, 10, 0)


def test_time_taken_over_a_weekend_counts_only_working_hours(office):
    # Friday 15:50 to Monday 08:00: 40 minutes on Friday, 30 on Monday.
    assert office.between(at(2026, 2, 6, 15, 50), at(2026, 2, 9, 8, 0)) == 70


def test_time_taken_over_a_holiday_counts_nothing_for_the_holiday(office):
    assert office.between(at(2026, 8, 14, 16, 0), at(2026, 8, 18, 8, 0)) == 30 + 30


def test_time_taken_outside_working_hours_is_zero(office):
    assert office.between(at(2026, 2, 3, 18, 0), at(2026, 2, 3, 22, 0)) == 0
    assert office.between(at(2026, 2, 7, 9, 0), at(2026, 2, 8, 15, 0)) == 0  # a weekend


def test_an_end_before_the_start_took_no_time(office):
    assert office.between(at(2026, 2, 3, 10, 0), at(2026, 2, 3, 9, 0)) == 0


def test_a_calendar_without_working_hours_refuses_to_compute_a_due_time():
    with pytest.raises(NoWorkingTime):
        WorkingCalendar({}).add(at(2026, 2, 3, 9, 0), 5)


def test_overlapping_periods_are_refused_naming_the_day():
    with pytest.raises(ValueError, match="Senin: jam 07:30-12:00 dan 11:00-16:00 bertumpang tindih"):
        WorkingCalendar({0: [(datetime.time(7, 30), datetime.time(12)), (datetime.time(11), datetime.time(16))]})


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="Selasa: jam 16:00-07:30 tidak berurutan"):
        WorkingCalendar({1: [(datetime.time(16), datetime.time(7, 30))]})


moments = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31)).map(
    lambda naive: naive.replace(second=0, microsecond=0, tzinfo=WIB))


@settings(max_examples=300, deadline=None)
@given(start=moments, minutes=st.integers(min_value=1, max_value=5 * 450))
def test_the_time_taken_until_a_due_time_is_the_standard(office, start, minutes):
    due = office.add(start, minutes)
    assert office.between(start, due) == pytest.approx(minutes)
    assert office.is_working_day(due.date())


@settings(max_examples=200, deadline=None)
@given(start=moments, first=st.integers(min_value=1, max_value=900), second=st.integers(min_value=1, max_value=900))
def test_adding_in_two_goes_is_adding_at_once(office, start, first, second):
    assert office.add(office.add(start, first), second) == office.add(start, first + second)
