"""Which page shows what a notice is about. The web hands subject_path to the notifications app at
start (apps.py), whose path_of then gives the same link to the bell (notification_views.py) and
to the e-mail."""
from __future__ import annotations

from django.urls import reverse

from alur.agreements.models import Agreement
from alur.notifications.models import Notification

Subject = Notification.Subject


def subject_path(kind: str, pk: int) -> str:
    """The path of the page for a subject, "" for a kind no page shows."""
    if kind == Subject.TASK:
        return reverse("web:task", args=[pk])
    if kind == Subject.CASE:
        return reverse("web:case", args=[pk])
    if kind == Subject.AGREEMENT:
        # An agreement drafted through Alur is shown on its case's page (which holds its register
        # entry too, and where it is worked on); one entered by hand or imported has its own page.
        case_id = Agreement.objects.filter(pk=pk).values_list("case_id", flat=True).first()
        return reverse("web:case", args=[case_id]) if case_id else reverse("web:agreement", args=[pk])
    if kind == Subject.EXPORT:
        # The file, or (failed, expired) the rekapitulasi with the reason.
        return reverse("web:rekapitulasi_export", args=[pk])
    return ""

