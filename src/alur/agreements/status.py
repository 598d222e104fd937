"""An agreement's status, computed from its dates and its case, never stored: it turns to
berakhir on its own when the end date passes.

- dibatalkan: cancelled in the register, or its case was cancelled;
- dalam proses: not yet in force (no register number yet, or no end date);
- berakhir: its end date has passed;
- akan berakhir: 90 days or fewer left (EXPIRING_DAYS);
- aktif: otherwise.

`status_of` answers for one agreement; `with_status` annotates a queryset with the same rule in
SQL, so lists can filter and count by status in the database.
"""
from __future__ import annotations

import datetime

from django.db.models import Case as When_, CharField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alur.workflow.models import Case

EXPIRING_DAYS = 90

DIBATALKAN, DALAM_PROSES, BERAKHIR, AKAN_BERAKHIR, AKTIF = "dibatalkan", "dalam_proses", "berakhir", "akan_berakhir", "aktif"
STATUS_LABELS = {
    DALAM_PROSES: _("Dalam proses"),
    AKTIF: _("Aktif"),
    AKAN_BERAKHIR: _("Akan berakhir"),
    BERAKHIR: _("Berakhir"),
    DIBATALKAN: _("Dibatalkan"),
}


def status_of(agreement, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if agreement.cancelled_at is not None or (agreement.case_id and agreement.case.status == Case.Status.CANCELLED):
        return DIBATALKAN
    if not agreement.number or agreement.ends_on is None:
        return DALAM_PROSES
    if agreement.ends_on < today:
        return BERAKHIR
    if agreement.ends_on <= today + datetime.timedelta(days=EXPIRING_DAYS):
        return AKAN_BERAKHIR
    return AKTIF


def with_status(agreements: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """The agreements annotated with `status` (the rule of status_of, in SQL)."""
    today = today or timezone.localdate()
    return agreements.annotate(status=When_(
        When(Q(cancelled_at__isnull=False) | Q(case__status=Case.Status.CANCELLED), then=Value(DIBATALKAN)),
        When(Q(number__isnull=True) | Q(ends_on__isnull=True), then=Value(DALAM_PROSES)),
        When(ends_on__lt=today, then=Value(BERAKHIR)),
        When(ends_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS), then=Value(AKAN_BERAKHIR)),
        default=Value(AKTIF), output_field=CharField(),
    ))
