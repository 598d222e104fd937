"""Plain helpers of the web tests: files as browsers send them, agreements registered the way
the intake does, cases moved on as the people of the SOP would, and a look at one form field's
part of a page."""
from __future__ import annotations

import datetime
import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alur.agreements.models import Agreement, Partner
from alur.agreements.entry import PartnerDetails
from alur.agreements.lifecycle import register_draft
from alur.org.models import OrgUnit
from alur.workflow.models import Case, Task
from alur.workflow.services import complete_task
from tests.conftest import PRODUCTS, pdf, record_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DOCX_BYTES = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX_BYTES = _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


def pdf_upload(name: str = "draft.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_upload(name: str = "draft.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DOCX_BYTES, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def xlsx_upload(name: str = "anggaran.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, XLSX_BYTES, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def register(users, *, title: str = "PKS Promosi Wisata Bahari", opd: str = "dispar",
             partner: str = "PT Pesona Wisata Serumpun", by: str = "pengelola") -> Agreement:
    """An incoming draft registered through the intake service (the web form's own test posts it)."""
    existing = Partner.objects.filter(name=partner).first()
    return register_draft(
        actor=users[by], title=title, org_unit=OrgUnit.objects.get(code=opd),
        partner=existing or PartnerDetails(name=partner, kind=Partner.Kind.BADAN_USAHA),
        object="Promosi pariwisata bersama", scope="Promosi, pelatihan pemandu wisata", duration_months=24,
        disposition_number="B/123/SETDA/2026", disposition_date=timezone.localdate() - datetime.timedelta(days=3),
        disposition_from=Agreement.DispositionFrom.SEKDA, draft=pdf("draft_pks"),
    )


def open_task(case: Case) -> Task:
    return Task.objects.get(case=case, status=Task.Status.OPEN)


def actor_of(task: Task, users):
    if task.role_key == "kepala_opd":
        return users[f"kepala_{task.org_unit.code}"]
    return users[task.role_key]


def advance(case: Case, users, outcome: str | None = None, note: str = "") -> Task:
    """Complete the case's open step as its demo actor would, with the files and values it needs."""
    task = open_task(case)
    if outcome == "tidak_setuju" and not note:
        note = "Pasal jangka waktu perlu diperbaiki."
    complete_task(task_id=task.pk, actor=actor_of(task, users), outcome=outcome, note=note,
                  record=record_for(task.step_key, outcome),
                  attachments=[pdf(kind) for kind in PRODUCTS.get(task.step_key, [])])
    case.refresh_from_db()
    return task


def advance_to(case: Case, users, step_key: str) -> Task:
    """Walk the straight path until the open step is `step_key`; returns that open task."""
    for _ in range(20):
        task = open_task(case)
        if task.step_key == step_key:
            return task
        advance(case, users, "setuju" if task.step_key in DECISIONS else None)
    raise AssertionError(f"step {step_key} not reached")


DECISIONS = {"periksa_karo", "bahas_tkksd", "keputusan_gubernur"}


def text(response) -> str:
    return response.content.decode()


def field_block(html: str, name: str) -> str:
    """The part of a page that renders one form field: its label, widget, help and errors."""
    blocks = re.split(r'(?=<div class="mb-3">)', html)
    found = [b for b in blocks if f'name="{name}"' in b]
    assert found, f"no field named {name} on the page"
    return found[0]


def errors_of(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))
