"""Writing notices, marking them read, and the e-mail outbox.

`notify` stores a notice once per person and key, inside the caller's transaction, so a notice
exists exactly when the change that caused it does. E-mail is never sent there: the worker's
`send_pending_emails` takes stored notices from the outbox afterwards.

The outbox, and what "exactly once" means for e-mail:
- A row to send is claimed with a conditional UPDATE (pending -> sending, WHERE it is still
  pending), committed before any mail is sent; of two workers, only the one whose UPDATE changed
  the row sends it.
- After the SMTP server accepted the message the row is marked sent. A failure puts the row back
  to pending, tried again after RETRY_AFTER, until MAX_ATTEMPTS; then it is failed.
- A row left in sending longer than STALE_AFTER belonged to a worker that stopped (crash, kill)
  and is queued again. This is the one at-least-once window: a worker that stops after the
  server accepted the message and before it marked the row sent leaves a message that will be
  sent a second time. Everything else is at most once per claim.
"""
from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .links import path_of
from .models import Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = datetime.timedelta(minutes=5)
STALE_AFTER = datetime.timedelta(minutes=15)
BATCH = 100

State = Notification.EmailState
TABLE = Notification._meta.db_table


# --- notices --------------------------------------------------------------------------------------

def notify(*, recipients: Iterable, key: str, kind: str, title: str, body: str, subject: tuple[str, int] | None = None,
           now: datetime.datetime | None = None) -> list[int]:
    """Store the notice for each recipient who does not have it yet (same key); returns the ids of
    the rows this call stored. `subject`: what the notice is about, (Notification.Subject, id),
    which the web turns into its link. A notice already stored, by this caller or a racing one, is
    left as it is: INSERT ... ON CONFLICT DO NOTHING, so the caller's transaction never breaks on it."""
    if not key:
        raise ValueError("a notice needs a key (what makes it the same notice)")
    subject_kind, subject_id = subject or ("", None)
    if subject_kind and subject_kind not in Notification.Subject.values:
        raise ValueError(f"unknown subject kind {subject_kind!r} (known: {', '.join(Notification.Subject.values)})")
    now = now or timezone.now()
    created_at = connection.ops.adapt_datetimefield_value(now)
    stored: list[int] = []
    seen: set[int] = set()
    with connection.cursor() as cursor:
        for user in recipients:
            if user.pk in seen:
                continue
            seen.add(user.pk)
            state = State.PENDING if (user.email or "").strip() else State.NONE
            cursor.execute(
                f"INSERT INTO {TABLE} (recipient_id, key, kind, title, body, subject_kind, subject_id, created_at,"
                f" email_state, email_attempts, email_error) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 0, '')"
                f" ON CONFLICT (recipient_id, key) DO NOTHING RETURNING id",
                [user.pk, key, kind, title[:300], body, subject_kind, subject_id, created_at, state],
            )
            row = cursor.fetchone()
            if row is not None:
                stored.append(row[0])
    return stored


def mark_read(notification: Notification, *, now: datetime.datetime | None = None) -> Notification:
    """Mark one notice read (the first reading counts; opening it again changes nothing)."""
    if notification.read_at is None:
        now = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, user, now: datetime.datetime | None = None) -> int:
    """Mark every unread notice of the user read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())


# --- the e-mail outbox ----------------------------------------------------------------------------

@dataclass
class OutboxReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)  # failed this time, tried again later
    failed: list[int] = field(default_factory=list)  # failed for the last time
    requeued: list[int] = field(default_factory=list)  # left in 'sending' by a worker that stopped
    errors: list[str] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.sent or self.retrying or self.failed or self.requeued)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed, "requeued": self.requeued,
                "errors": self.errors}


def send_pending_emails(*, now: datetime.datetime | None = None, limit: int = BATCH) -> OutboxReport:
    """Send the e-mail of stored notices that still wait for it. Call it outside a transaction:
    each claim must be committed before its message goes out, so no other worker sends it too."""
    now = now or timezone.now()
    report = OutboxReport()
    report.requeued = _requeue_stale(now)
    due = list(_ready(Notification.objects.filter(email_state=State.PENDING), now)
               .order_by("id").values_list("id", flat=True)[:limit])
    if not due:
        return report
    try:
        mailer = _open_connection()
    except Exception as exc:
        # The server cannot be reached: nothing is claimed, so no attempt is spent; next pass again.
        report.errors.append(f"Server surel tidak dapat dihubungi: {type(exc).__name__}: {exc}")
        return report
    try:
        for notification_id in due:
            notification = _claim(notification_id, now)
            if notification is None:
                continue  # another worker took it between our read and our claim
            address = (notification.recipient.email or "").strip()
            if not address:
                # The address was removed after the notice was stored: nothing to send it to.
                _finish(notification, state=State.NONE, error="Penerima tidak lagi mempunyai alamat surel.")
                continue
            try:
                if mailer is None:
                    mailer = _open_connection()
                _message(notification, address, mailer).send(fail_silently=False)
            except Exception as exc:  # every failure of delivery, whatever raised it, is this row's
                error = f"{type(exc).__name__}: {exc}"[:2000]
                report.errors.append(f"#{notification.pk}: {error}")
                last = notification.email_attempts >= MAX_ATTEMPTS
                _finish(notification, state=State.FAILED if last else State.PENDING, error=error)
                (report.failed if last else report.retrying).append(notification.pk)
                # The connection may be what broke; the next message opens a new one.
                mailer = _close(mailer)
                continue
            _finish(notification, state=State.SENT, sent_at=timezone.now())
            report.sent.append(notification.pk)
    finally:
        _close(mailer)
    return report


def _ready(rows, now: datetime.datetime):
    """Pending rows never tried, or tried and failed at least RETRY_AFTER ago."""
    return rows.filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lte=now - RETRY_AFTER))


def _open_connection():
    mailer = get_connection(fail_silently=False)
    mailer.open()
    return mailer


def _claim(notification_id: int, now: datetime.datetime) -> Notification | None:
    with transaction.atomic():
        claimed = _ready(Notification.objects.filter(pk=notification_id, email_state=State.PENDING), now).update(
            email_state=State.SENDING, email_claimed_at=now, email_attempts=F("email_attempts") + 1)
    if not claimed:
        return None
    return Notification.objects.select_related("recipient").get(pk=notification_id)


def _finish(notification: Notification, *, state: str, error: str = "", sent_at=None) -> None:
    # Only the claim we hold is finished: a row re-queued meanwhile (we were taken for stopped)
    # carries a newer claim time and is left to its new owner.
    Notification.objects.filter(pk=notification.pk, email_state=State.SENDING,
                                email_claimed_at=notification.email_claimed_at).update(
        email_state=state, email_error=error, email_sent_at=sent_at)


def _requeue_stale(now: datetime.datetime) -> list[int]:
    stale = list(Notification.objects.filter(email_state=State.SENDING, email_claimed_at__lt=now - STALE_AFTER)
                 .values_list("id", "email_attempts"))
    requeued = []
    for notification_id, attempts in stale:
        last = attempts >= MAX_ATTEMPTS
        changed = Notification.objects.filter(pk=notification_id, email_state=State.SENDING,
                                              email_claimed_at__lt=now - STALE_AFTER).update(
            email_state=State.FAILED if last else State.PENDING,
            email_error="Pengiriman terhenti (worker berhenti di tengah pengiriman).",
            # Ready to try at once: the wait after a failure does not apply to a worker that stopped.
            email_claimed_at=F("email_claimed_at") if last else None)
        if changed:
            requeued.append(notification_id)
    return requeued


def _message(notification: Notification, address: str, mailer) -> EmailMessage:
    user = notification.recipient
    name = user.get_full_name() or user.get_username()
    lines = [f"Yth. {name},", "", notification.body]
    path = path_of(notification)  # the web's page for the notice's subject
    if path:
        lines += ["", f"Buka di Alur: {absolute_url(path)}"]
    lines += ["", "--", "Pesan ini dikirim otomatis oleh Alur; mohon tidak membalas surel ini.",
              "Pemberitahuan yang sama ada di Alur, di bawah tanda lonceng."]
    return EmailMessage(subject=f"[Alur] {notification.title}", body="\n".join(lines),
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[address], connection=mailer,
                        headers={"Auto-Submitted": "auto-generated"})


def absolute_url(path: str) -> str:
    """A path of the app as a full address people can open from their mail (ALUR_BASE_URL)."""
    if "://" in path:
        return path
    return settings.ALUR_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def _close(mailer) -> None:
    if mailer is not None:
        try:
            mailer.close()
        except Exception:  # closing a broken connection may fail too; nothing is lost by it
            log.debug("closing the mail connection failed", exc_info=True)
    return None



def requeue_emails(*, ids: Iterable[int]) -> int:
    """Queue the e-mail of failed notices again, with a fresh count of attempts (after the cause,
    a wrong address or server, was fixed). Returns how many were queued."""
    return Notification.objects.filter(pk__in=list(ids), email_state=State.FAILED).update(
        email_state=State.PENDING, email_attempts=0, email_claimed_at=None)
