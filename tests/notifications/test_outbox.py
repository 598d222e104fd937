"""The e-mail outbox: stored notices go out through a real SMTP server (aiosmtpd, started by the
test), each once; a refusal is tried again later up to a limit; a worker that stopped while
sending leaves its message to be sent again; people without an address get no e-mail."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from alur.notifications.models import Notification
from alur.notifications.services import (
    MAX_ATTEMPTS, RETRY_AFTER, STALE_AFTER, notify, requeue_emails, send_pending_emails,
)
from tests.agreements.registerdata import agreement
from tests.mailserver import free_port, smtp_server  # noqa: F401 (fixture)

State = Notification.EmailState
NOTICE = {"kind": "task.overdue_noticed", "title": "Terlambat: langkah 2 perkara #7",
          "body": "Tugas #12 melewati batas waktu 02-02-2026 09:30 WIB.", "subject": ("task", 12)}


def stored(person, key: str = "task:12:overdue", **changes) -> Notification:
    (pk,) = notify(recipients=[person], key=key, **{**NOTICE, **changes})
    return Notification.objects.get(pk=pk)


def reread(notice: Notification) -> Notification:
    notice.refresh_from_db()
    return notice


def test_a_pending_email_goes_through_smtp_to_the_persons_address(sari, smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "Alur Biro Pemerintahan <alur@babelprov.go.id>"
    stored(sari)

    send_pending_emails()

    (mail,) = smtp_server.delivered
    assert mail.rcpt_tos == ("sari@babelprov.go.id",)
    assert mail.mail_from == "alur@babelprov.go.id"
    assert mail.subject == "[Alur] Terlambat: langkah 2 perkara #7"


def test_the_email_greets_the_person_and_links_to_the_page_with_the_full_address(sari, smtp_server, settings):
    settings.ALUR_BASE_URL = "https://alur.babelprov.go.id"
    stored(sari)

    send_pending_emails()

    text = smtp_server.delivered[0].text
    assert text.startswith("Yth. Sari Wulandari,\n\nTugas #12 melewati batas waktu 02-02-2026 09:30 WIB.\n")
    assert "Buka di Alur: https://alur.babelprov.go.id/tugas/12/" in text


def test_the_email_of_a_notice_about_an_agreement_entered_by_hand_links_to_its_page(sari, smtp_server, settings, users):
    settings.ALUR_BASE_URL = "https://alur.babelprov.go.id"
    entered = agreement(title="PKS Beasiswa")
    stored(sari, key=f"agreement:{entered.pk}:expiry:90", subject=("agreement", entered.pk))

    send_pending_emails()

    assert f"Buka di Alur: https://alur.babelprov.go.id/perjanjian/{entered.pk}/" in smtp_server.delivered[0].text


def test_the_email_of_a_notice_about_nothing_has_no_link(sari, smtp_server):
    stored(sari, subject=None)

    send_pending_emails()

    assert "Buka di Alur" not in smtp_server.delivered[0].text


def test_a_sent_email_is_marked_sent_with_its_time(sari, smtp_server):
    notice = stored(sari)
    before = timezone.now()

    report = send_pending_emails()

    notice = reread(notice)
    assert (notice.email_state, notice.email_attempts, notice.email_error) == (State.SENT, 1, "")
    assert notice.email_sent_at >= before
    assert report.sent == [notice.pk]


def test_each_email_is_sent_once_however_often_the_outbox_is_emptied(sari, person, smtp_server):
    rina = person("rina", "rina@babelprov.go.id")
    stored(sari)
    stored(rina)

    for _ in range(3):
        send_pending_emails()

    assert sorted(m.rcpt_tos[0] for m in smtp_server.delivered) == ["rina@babelprov.go.id", "sari@babelprov.go.id"]


def test_a_person_without_an_address_is_never_sent_an_email(budi, smtp_server):
    notice = stored(budi)

    report = send_pending_emails()

    assert smtp_server.delivered == [] and report.sent == []
    assert reread(notice).email_state == State.NONE


def test_an_address_removed_before_sending_leaves_the_email_unsent(sari, smtp_server):
    notice = stored(sari)
    get_user_model().objects.filter(pk=sari.pk).update(email="")

    send_pending_emails()

    assert smtp_server.delivered == []
    assert reread(notice).email_state == State.NONE


def test_a_refused_recipient_is_tried_again_after_a_while(sari, smtp_server):
    smtp_server.mailbox.refused.add("sari@babelprov.go.id")
    notice = stored(sari)
    now = timezone.now()

    report = send_pending_emails(now=now)

    notice = reread(notice)
    assert (notice.email_state, notice.email_attempts) == (State.PENDING, 1)
    assert "550" in notice.email_error and report.retrying == [notice.pk]
    # Not again at once: only after RETRY_AFTER, and then it goes through.
    send_pending_emails(now=now + RETRY_AFTER / 2)
    assert reread(notice).email_attempts == 1
    smtp_server.mailbox.refused.clear()
    send_pending_emails(now=now + RETRY_AFTER)
    assert (reread(notice).email_state, len(smtp_server.delivered)) == (State.SENT, 1)


def test_an_email_refused_every_time_fails_for_good_after_the_limit(sari, smtp_server):
    smtp_server.mailbox.refused.add("sari@babelprov.go.id")
    notice = stored(sari)
    now = timezone.now()

    for attempt in range(MAX_ATTEMPTS + 2):
        report = send_pending_emails(now=now + attempt * RETRY_AFTER)

    notice = reread(notice)
    assert (notice.email_state, notice.email_attempts) == (State.FAILED, MAX_ATTEMPTS)
    assert "550" in notice.email_error
    assert report.failed == [] and smtp_server.delivered == []


def test_a_failed_email_queued_again_from_the_admin_is_sent(sari, smtp_server):
    smtp_server.mailbox.refused.add("sari@babelprov.go.id")
    notice = stored(sari)
    now = timezone.now()
    for attempt in range(MAX_ATTEMPTS):
        send_pending_emails(now=now + attempt * RETRY_AFTER)
    assert reread(notice).email_state == State.FAILED
    smtp_server.mailbox.refused.clear()

    assert requeue_emails(ids=[notice.pk]) == 1
    send_pending_emails()

    assert (reread(notice).email_state, len(smtp_server.delivered)) == (State.SENT, 1)


def test_a_server_that_does_not_answer_costs_no_attempt(sari, settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    notice = stored(sari)

    report = send_pending_emails()

    notice = reread(notice)
    assert (notice.email_state, notice.email_attempts) == (State.PENDING, 0)
    assert report.errors and report.errors[0].startswith("Server surel tidak dapat dihubungi")


def test_an_email_left_sending_by_a_stopped_worker_is_sent_again_after_a_while(sari, smtp_server):
    notice = stored(sari)
    crashed_at = timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1)
    # What a worker leaves when it is killed after its claim: the row in 'sending', one attempt.
    Notification.objects.filter(pk=notice.pk).update(email_state=State.SENDING, email_claimed_at=crashed_at,
                                                     email_attempts=1)

    report = send_pending_emails()

    notice = reread(notice)
    assert report.requeued == [notice.pk]
    assert (notice.email_state, notice.email_attempts, len(smtp_server.delivered)) == (State.SENT, 2, 1)


def test_an_email_another_worker_is_sending_now_is_left_to_it(sari, smtp_server):
    notice = stored(sari)
    Notification.objects.filter(pk=notice.pk).update(email_state=State.SENDING, email_claimed_at=timezone.now(),
                                                     email_attempts=1)

    report = send_pending_emails()

    assert report.requeued == [] and smtp_server.delivered == []
    assert reread(notice).email_state == State.SENDING


def test_the_default_backend_writes_each_email_to_a_file(sari, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    notice = stored(sari)

    send_pending_emails()

    (written,) = (tmp_path / "mail").iterdir()
    assert "Subject: [Alur] Terlambat: langkah 2 perkara #7" in written.read_text()
    assert reread(notice).email_state == State.SENT


# --- two workers at once (PostgreSQL) ---------------------------------------------------------

@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL row locks under real concurrency; runs in the PostgreSQL pass of make test")
@pytest.mark.django_db(transaction=True)
def test_two_workers_emptying_the_outbox_at_once_send_each_email_once(person, smtp_server):
    from tests.workflow.test_concurrency import race

    people = [person(f"pegawai{n}", f"pegawai{n}@babelprov.go.id") for n in range(6)]
    for someone in people:
        stored(someone)

    results = race(send_pending_emails, send_pending_emails)

    errors = [r.error for r in results if r.error is not None]
    if errors:
        raise errors[0]
    assert sorted(m.rcpt_tos[0] for m in smtp_server.delivered) == sorted(p.email for p in people)
    assert sorted(pk for r in results for pk in r.value.sent) == sorted(Notification.objects.values_list("pk", flat=True))
    assert set(Notification.objects.values_list("email_state", "email_attempts")) == {(State.SENT, 1)}
