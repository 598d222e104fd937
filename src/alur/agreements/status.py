"""An agreement's status, computed from its dates and its case, never stored: it turns to
berakhir on its own when the end date passes.

- dibatalkan: cancelled in the register, or its case was cancelled;
- dalam proses: not yet in force (no register number yet, or no end date);
- berakhir: its end date has passed;
- akan berakhir: 90 days or fewer left (EXPIRING_DAYS);
- aktif: otherwise.

`status_of` answers for one agreement; `with_status` annotates a queryset with the same rule in
SQL, so lists can filter by status in the database, and `count_by_status` counts by it there.
"""
from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case as When_, CharField, Count, ExpressionWrapper, Q, QuerySet, Value, When
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


def status_rules(today: datetime.date) -> list[tuple[str, Q]]:
    """The rule of status_of in SQL, as (status, condition) pairs in order: the first condition
    that holds decides, AKTIF when none does. with_status and count_by_status are both built
    from it, so a list and its counts cannot disagree.

    A cancelled case is asked for as `case_id IN (cancelled cases)` rather than by joining the
    cases: PostgreSQL hashes those few ids once, where a join probes the case table for every
    agreement, which is what counting the whole register by status does (bench/register.py)."""
    cancelled_cases = Case.objects.filter(status=Case.Status.CANCELLED).values("pk")
    return [
        (DIBATALKAN, Q(cancelled_at__isnull=False) | Q(case_id__in=cancelled_cases)),
        (DALAM_PROSES, Q(number__isnull=True) | Q(ends_on__isnull=True)),
        (BERAKHIR, Q(ends_on__lt=today)),
        (AKAN_BERAKHIR, Q(ends_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS))),
    ]


def with_status(agreements: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """The agreements annotated with `status` (the rule of status_of, in SQL)."""
    rules = status_rules(today or timezone.localdate())
    return agreements.annotate(status=When_(*(When(condition, then=Value(status)) for status, condition in rules),
                                            default=Value(AKTIF), output_field=CharField()))


def count_by_status(agreements: QuerySet, today: datetime.date | None = None) -> dict[str, int]:
    """How many of the agreements have each status; every status is a key.

    The database groups the agreements by the truth of each rule's condition (at most sixteen
    groups) and the groups are named here by the rule's order. Grouping by the status itself
    costs more than the scan on a large register: the database cannot tell that a CASE has five
    values and plans a hash table for one group per row."""
    rules = status_rules(today or timezone.localdate())
    conditions = {f"rule_{i}": ExpressionWrapper(condition, output_field=BooleanField()) for i, (_, condition) in enumerate(rules)}
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in agreements.order_by().annotate(**conditions).values(*conditions).annotate(n=Count("pk")):
        status = next((status for i, (status, _) in enumerate(rules) if row[f"rule_{i}"]), AKTIF)
        counts[status] += row["n"]
    return counts
