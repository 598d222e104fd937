"""Agreements carried through the real engine: drafted at the intake, walked to the signing and
the registration by the demo people, with what each step records changed where a test needs."""
from __future__ import annotations

import datetime

from django.utils import timezone

from alur.agreements.models import Agreement, Partner
from alur.agreements.lifecycle import register_draft
from alur.org.models import OrgUnit
from alur.workflow.models import Task
from alur.workflow.services import complete_task
from tests.conftest import PRODUCTS, RECORDS, Walker, pdf


def drafted(users, *, opd: str = "dispar", title: str = "PKS Promosi Wisata Bahari",
            partner: str = "PT Pesona Wisata Serumpun") -> tuple[Agreement, Walker]:
    """An incoming draft registered at the intake, and a walker for its case."""
    agreement = register_draft(
        actor=users["pengelola"], title=title, org_unit=OrgUnit.objects.get(code=opd),
        partner=Partner.objects.get(name=partner), object="Promosi pariwisata bersama",
        scope="Promosi dan pelatihan pemandu wisata", duration_months=24, disposition_number="B/123/SETDA/2026",
        disposition_date=timezone.localdate() - datetime.timedelta(days=3),
        disposition_from=Agreement.DispositionFrom.SEKDA, draft=pdf("draft_pks"),
    )
    return agreement, Walker(users, case=agreement.case)


def to_signing(walker: Walker) -> Task:
    """The straight path up to step 12, the Kepala OPD's report of the signed PKS."""
    walker.steps(6)
    walker.step("setuju")  # Karo
    walker.step("setuju")  # TKKSD
    walker.step("setuju")  # Gubernur
    walker.steps(2)
    task = walker.open_task
    assert task.step_key == "penandatanganan"
    return task


def complete(walker: Walker, *, actor=None, attachments=None, **changes) -> Task:
    """Complete the open step recording RECORDS with the given changes (None leaves a field out)."""
    task = walker.open_task
    record = {**RECORDS.get(task.step_key, {}), **changes}
    record = {key: value for key, value in record.items() if value is not None}
    if attachments is None:
        attachments = [pdf(kind) for kind in PRODUCTS.get(task.step_key, [])]
    done = complete_task(task_id=task.pk, actor=actor or walker.actor_for(task), record=record, attachments=attachments)
    walker.case.refresh_from_db()
    return done


def registered(users, **kwargs) -> Agreement:
    """An agreement walked all the way to its registration."""
    agreement, walker = drafted(users, **kwargs)
    to_signing(walker)
    walker.steps(2)
    agreement.refresh_from_db()
    assert agreement.number
    return agreement
