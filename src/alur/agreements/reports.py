"""Implementation reports of an agreement (laporan pelaksanaan / monitoring): how it is carried
out, and by whom they may be written. Who may read an agreement at all is access.py's."""
from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.utils import timezone

from alur.org.selectors import holds_role
from alur.workflow.audit import record_event
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound
# The engine's rollback of written files: a refused report leaves no file behind.
from alur.workflow.services import Attachment, _files_written, atomic_with_files
from alur.workflow.uploads import ALLOWED, check_upload

from .models import Agreement, ImplementationReport
from .selectors import keeps_register


def may_report_on(user, agreement: Agreement) -> bool:
    """Who writes implementation reports: those who keep the register, and the Kepala OPD of the
    OPD carrying the agreement out."""
    return keeps_register(user) or holds_role(user, "kepala_opd", org_unit_id=agreement.org_unit_id)


def _stored_name(name: str, content_type: str) -> str:
    """A safe file name whose extension is the one the content shows, whatever the sender typed."""
    stem = re.sub(r"[^0-9A-Za-z._-]+", "-", PurePath(name or "lampiran").stem).strip("-._")[:80] or "lampiran"
    extension = next(kind.extensions[0] for kind in ALLOWED if kind.content_type == content_type)
    return f"{stem}{extension}"


def attachment_type(report: ImplementationReport) -> str:
    """The content type of a report's stored attachment (named by what its content showed)."""
    extension = PurePath(report.attachment.name).suffix.lower()
    return next((kind.content_type for kind in ALLOWED if extension in kind.extensions), "application/octet-stream")


@atomic_with_files
def add_implementation_report(*, actor, agreement_id: int, reported_on: datetime.date, progress: str,
                              obstacles: str = "", follow_up: str = "",
                              attachment: Attachment | None = None) -> ImplementationReport:
    """Record a report on how an agreement is carried out, with an optional file (PDF, DOCX or an
    image, judged by its content)."""
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None:
        raise NotFound(f"Perjanjian #{agreement_id} tidak ditemukan.")
    if not may_report_on(actor, agreement):
        raise NotAllowed("Laporan pelaksanaan dicatat oleh pengelola register atau Kepala OPD pelaksana perjanjian ini.")
    if reported_on is None:
        raise InvalidInput("Tanggal laporan wajib diisi.")
    if reported_on > timezone.localdate():
        raise InvalidInput(f"Tanggal laporan ({reported_on:%d-%m-%Y}) tidak boleh di masa depan.")
    progress = (progress or "").strip()
    if not progress:
        raise InvalidInput("Kemajuan pelaksanaan wajib diisi.")
    report = ImplementationReport(agreement=agreement, reported_on=reported_on, reporter=actor, progress=progress,
                                  obstacles=(obstacles or "").strip(), follow_up=(follow_up or "").strip())
    file_data = {}
    if attachment is not None:
        content_type = check_upload(name=attachment.name, content=attachment.content)
        report.attachment.save(_stored_name(attachment.name, content_type), ContentFile(attachment.content), save=False)
        written = _files_written.get()
        if written is not None:
            written.append(report.attachment.name)
        file_data = {"attachment": {"name": attachment.name, "stored": report.attachment.name,
                                    "size": len(attachment.content), "sha256": hashlib.sha256(attachment.content).hexdigest(),
                                    "content_type": content_type}}
    report.save()
    record_event(action="agreement.reported", actor=actor, case_id=agreement.case_id, data={
        "agreement": agreement.pk, "report": report.pk, "reported_on": reported_on.isoformat(),
        "progress": report.progress, "obstacles": report.obstacles, "follow_up": report.follow_up, **file_data})
    return report
