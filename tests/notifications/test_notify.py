"""Storing notices: once per person and key, whoever writes them and however often; the bell's
count; marking read."""
from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from alur.notifications.links import path_of
from alur.notifications.models import Notification
from alur.notifications.selectors import notifications_of, unread_count
from alur.notifications.services import mark_all_read, mark_read, notify

NOTICE = {"kind": "task.reminded", "title": "Pengingat", "body": "Tugas #1 hampir jatuh tempo.", "subject": ("task", 1)}


def test_a_notice_is_stored_once_per_person_and_key_however_often_it_is_written(sari):
    for _ in range(3):
        notify(recipients=[sari], key="task:1:reminder", **NOTICE)

    assert Notification.objects.filter(recipient=sari, key="task:1:reminder").count() == 1


def test_notify_returns_only_the_rows_it_stored_itself(sari, budi):
    first = notify(recipients=[sari], key="task:1:reminder", **NOTICE)
    second = notify(recipients=[sari, budi], key="task:1:reminder", **NOTICE)

    assert second == [Notification.objects.get(recipient=budi).pk]
    assert first == [Notification.objects.get(recipient=sari).pk]


def test_the_same_key_for_another_person_is_another_notice(sari, budi):
    notify(recipients=[sari, budi], key="task:1:reminder", **NOTICE)

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["budi", "sari"]


def test_a_person_named_twice_gets_one_notice(sari):
    stored = notify(recipients=[sari, sari], key="task:1:reminder", **NOTICE)

    assert len(stored) == 1


def test_a_repeated_notice_leaves_the_callers_transaction_usable(sari):
    notify(recipients=[sari], key="task:1:reminder", **NOTICE)

    with transaction.atomic():
        notify(recipients=[sari], key="task:1:reminder", **NOTICE)
        # After an IntegrityError the transaction would refuse every further statement.
        stored = notify(recipients=[sari], key="task:1:overdue", **NOTICE)

    assert len(stored) == 1


def test_a_notice_keeps_what_it_says_and_where_it_leads(sari):
    moment = timezone.now() - datetime.timedelta(hours=1)
    (pk,) = notify(recipients=[sari], key="task:1:reminder", now=moment, **NOTICE)

    notice = Notification.objects.get(pk=pk)
    assert (notice.kind, notice.title, notice.body, path_of(notice), notice.created_at, notice.read_at) == (
        "task.reminded", "Pengingat", "Tugas #1 hampir jatuh tempo.", "/tugas/1/", moment, None)


def test_a_notice_stores_what_it_is_about_not_an_address(sari):
    (pk,) = notify(recipients=[sari], key="task:1:reminder", **NOTICE)

    notice = Notification.objects.get(pk=pk)
    assert (notice.subject_kind, notice.subject_id) == ("task", 1)


def test_a_notice_about_nothing_leads_nowhere(sari):
    (pk,) = notify(recipients=[sari], key="k", **{**NOTICE, "subject": None})

    assert path_of(Notification.objects.get(pk=pk)) == ""


def test_a_notice_about_a_kind_of_thing_no_page_shows_is_refused(sari):
    with pytest.raises(ValueError, match="unknown subject kind 'rapat'"):
        notify(recipients=[sari], key="k", **{**NOTICE, "subject": ("rapat", 1)})

    assert not Notification.objects.exists()


def test_a_person_with_an_address_has_the_email_waiting_in_the_outbox(sari):
    (pk,) = notify(recipients=[sari], key="k", **NOTICE)

    assert Notification.objects.get(pk=pk).email_state == Notification.EmailState.PENDING


def test_a_person_without_an_address_gets_the_notice_in_the_app_only(budi):
    (pk,) = notify(recipients=[budi], key="k", **NOTICE)

    assert Notification.objects.get(pk=pk).email_state == Notification.EmailState.NONE


def test_a_notice_needs_a_key(sari):
    with pytest.raises(ValueError):
        notify(recipients=[sari], key="", **NOTICE)


def test_the_unread_count_is_of_that_persons_unread_notices_only(sari, budi):
    notify(recipients=[sari, budi], key="a", **NOTICE)
    notify(recipients=[sari], key="b", **NOTICE)
    mark_read(Notification.objects.get(recipient=sari, key="a"))

    assert (unread_count(sari), unread_count(budi)) == (1, 1)


def test_a_persons_notices_are_listed_newest_first_and_no_one_elses(sari, budi):
    now = timezone.now()
    notify(recipients=[sari], key="old", now=now - datetime.timedelta(days=1), **NOTICE)
    notify(recipients=[sari], key="new", now=now, **NOTICE)
    notify(recipients=[budi], key="other", now=now, **NOTICE)

    assert list(notifications_of(sari).values_list("key", flat=True)) == ["new", "old"]


def test_reading_a_notice_again_keeps_the_first_reading_time(sari):
    (pk,) = notify(recipients=[sari], key="k", **NOTICE)
    first = timezone.now() - datetime.timedelta(minutes=5)
    mark_read(Notification.objects.get(pk=pk), now=first)

    notice = mark_read(Notification.objects.get(pk=pk))

    assert notice.read_at == first


def test_marking_all_read_marks_only_that_persons_notices(sari, budi):
    notify(recipients=[sari, budi], key="a", **NOTICE)
    notify(recipients=[sari], key="b", **NOTICE)

    assert mark_all_read(user=sari) == 2
    assert (unread_count(sari), unread_count(budi)) == (0, 1)
