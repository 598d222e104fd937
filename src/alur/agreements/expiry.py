"""Notices before an agreement ends: what the worker does to the register as days pass.

A registered agreement that is not cancelled is noticed 90, 60, 30 and 7 days before its end
date and on the day itself (THRESHOLDS), each once, to the Kepala OPD of the agreement's OPD and
to the Pengelola Informasi Kerja Sama, through the notifications (the bell and e-mail). Its status
turns to akan berakhir and then berakhir on its own (status.py computes it from the dates);
nothing here changes it.

Once per threshold: the thresholds dealt with are kept in Agreement.expiry_notices. A sweep claims
a notice by a conditional UPDATE of that list (WHERE it still holds what the sweep read, and the
agreement is still not cancelled), in the transaction that stores the notices and the audit
event; a second worker whose UPDATE then matches no row knows the first sent it. The notices'
own key (agreement:ID:expiry:DAYS, per person) would refuse a second copy even then.

A worker that was stopped for a while does not send every threshold it missed: only the nearest
one passed (20 days before the end, the 30-day notice, which says 20 days are left), and the
earlier ones are marked as passed over without a notice, so people get one message that says how
things stand now, not three old ones at once. After the end date the day-0 notice (saying the
agreement has ended) still goes out for LATE_DAYS days; an agreement that ended before that, or
that was entered after it ended, gets no notice.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from alur.notifications.models import Notification
from alur.notifications.services import notify
from alur.org.selectors import holders_of
from alur.workflow.audit import record_event
from alur.workflow.models import Case

from .models import Agreement

THRESHOLDS = (90, 60, 30, 7, 0)
LATE_DAYS = 7
ACTION = "agreement.expiry_noticed"
RECIPIENT_ROLES = ("kepala_opd", "pengelola")


@dataclass(frozen=True)
class ExpiryNotice:
    """One threshold of one agreement the sweep dealt with: to whom it went, or why to no one."""

    agreement_id: int
    number: str
    threshold: int
    days_left: int
    ends_on: datetime.date
    passed_over: tuple[int, ...] = ()  # earlier thresholds marked without a notice
    recipients: tuple[str, ...] = ()  # user names
    reason: str = ""

    @property
    def sent(self) -> bool:
        return bool(self.recipients)

    def as_dict(self) -> dict:
        return {"agreement": self.agreement_id, "number": self.number, "threshold": self.threshold,
                "days_left": self.days_left, "ends_on": self.ends_on.isoformat(), "passed_over": list(self.passed_over),
                "recipients": list(self.recipients), "sent": self.sent, "reason": self.reason or None}

    def line(self) -> str:
        """One line for the worker's output."""
        what = (f"Pemberitahuan masa berlaku perjanjian {self.number} ({_left_text(self.days_left)}, "
                f"berakhir {self.ends_on:%d-%m-%Y})")
        passed = (f"; ambang {', '.join(str(t) for t in self.passed_over)} hari terlewat, tidak dikirim"
                  if self.passed_over else "")
        if self.sent:
            return f"{what} dikirim kepada {', '.join(self.recipients)}{passed}."
        return f"{what} tidak dikirim: {self.reason}{passed}."


@dataclass
class ExpiryReport:
    today: datetime.date
    notices: list[ExpiryNotice] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), "sent": len([n for n in self.notices if n.sent]),
                "notices": [n.as_dict() for n in self.notices]}


def due_threshold(ends_on: datetime.date, today: datetime.date, dealt_with) -> tuple[int | None, tuple[int, ...]]:
    """The threshold to notice now (None: none) and the earlier ones it passes over."""
    days_left = (ends_on - today).days
    passed = [t for t in THRESHOLDS if days_left <= t and t not in dealt_with]
    if not passed or days_left < -LATE_DAYS:
        return None, ()
    nearest = min(passed)
    return nearest, tuple(t for t in passed if t != nearest)


def sweep_expiring(today: datetime.date | None = None) -> ExpiryReport:
    """Send every expiry notice whose day has come and that no sweep has dealt with yet. Each
    agreement's notice is its own transaction; call it outside one."""
    today = today or timezone.localdate()
    report = ExpiryReport(today=today)
    window = (Agreement.objects
              .filter(number__isnull=False, cancelled_at__isnull=True,
                      ends_on__gte=today - datetime.timedelta(days=LATE_DAYS),
                      ends_on__lte=today + datetime.timedelta(days=max(THRESHOLDS)))
              .exclude(case__status=Case.Status.CANCELLED)
              .select_related("org_unit", "partner").order_by("ends_on", "id"))
    for agreement in window:
        threshold, passed_over = due_threshold(agreement.ends_on, today, agreement.expiry_notices or [])
        if threshold is not None:
            notice = _send(agreement, threshold, passed_over, today)
            if notice is not None:
                report.notices.append(notice)
    return report


def _send(agreement: Agreement, threshold: int, passed_over: tuple[int, ...], today: datetime.date) -> ExpiryNotice | None:
    seen = list(agreement.expiry_notices or [])
    dealt_with = sorted({*seen, threshold, *passed_over}, reverse=True)
    with transaction.atomic():
        # The claim: only the sweep whose UPDATE still finds the list it read sends this notice.
        claimed = Agreement.objects.filter(pk=agreement.pk, expiry_notices=seen, cancelled_at__isnull=True).update(
            expiry_notices=dealt_with)
        if not claimed:
            return None
        days_left = (agreement.ends_on - today).days
        recipients = _recipients(agreement, today)
        reason = "" if recipients else f"tidak ada yang memegang peran Kepala OPD di {agreement.org_unit.name} maupun Pengelola Informasi Kerja Sama"
        if recipients:
            title, body = _texts(agreement, days_left)
            notify(recipients=recipients, key=f"agreement:{agreement.pk}:expiry:{threshold}", kind=ACTION,
                   title=title, body=body, subject=(Notification.Subject.AGREEMENT, agreement.pk))
        usernames = tuple(user.get_username() for user in recipients)
        record_event(action=ACTION, case_id=agreement.case_id, data={
            "agreement": agreement.pk, "number": agreement.number, "threshold": threshold, "days_left": days_left,
            "ends_on": agreement.ends_on.isoformat(), "passed_over": list(passed_over), "recipients": list(usernames),
            "reason": reason or None,
        })
    return ExpiryNotice(agreement_id=agreement.pk, number=agreement.number, threshold=threshold, days_left=days_left,
                        ends_on=agreement.ends_on, passed_over=passed_over, recipients=usernames, reason=reason)


def _recipients(agreement: Agreement, today: datetime.date) -> list:
    """The Kepala OPD of the agreement's OPD and the Pengelola Informasi Kerja Sama, once each."""
    people = {}
    for role_key in RECIPIENT_ROLES:
        unit_id = agreement.org_unit_id if role_key == "kepala_opd" else None
        for user in holders_of(role_key, org_unit_id=unit_id, on=today):
            people.setdefault(user.pk, user)
    return list(people.values())


def _left_text(days_left: int) -> str:
    if days_left > 0:
        return f"{days_left} hari lagi"
    if days_left == 0:
        return "hari ini"
    return f"{-days_left} hari lalu"


def _texts(agreement: Agreement, days_left: int) -> tuple[str, str]:
    ends = f"{agreement.ends_on:%d-%m-%Y}"
    what = f"Perjanjian {agreement.number} \"{agreement.title}\" dengan {agreement.partner.name} ({agreement.org_unit.name})"
    if days_left > 0:
        return (f"Perjanjian {agreement.number} berakhir dalam {days_left} hari",
                f"{what} berlaku sampai {ends}, {days_left} hari lagi. Bila kerja samanya akan dilanjutkan, "
                "siapkan perpanjangan atau addendumnya sebelum tanggal itu.")
    if days_left == 0:
        return (f"Perjanjian {agreement.number} berakhir hari ini",
                f"{what} berakhir hari ini, {ends}. Mulai besok statusnya berakhir.")
    return (f"Perjanjian {agreement.number} telah berakhir",
            f"{what} telah berakhir pada {ends}, {-days_left} hari lalu; statusnya kini berakhir.")
