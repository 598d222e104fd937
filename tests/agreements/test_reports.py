"""Implementation reports (laporan pelaksanaan / monitoring) and who reads an agreement."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from alur.agreements.entry import record_signed_agreement
from alur.agreements.models import Agreement, ImplementationReport, Partner
from alur.agreements.access import agreements_visible_to
from alur.agreements.reports import add_implementation_report, attachment_type, may_report_on
from alur.org.models import OrgUnit
from alur.workflow.errors import InvalidInput, NotAllowed, NotFound
from alur.workflow.models import AuditEvent
from alur.workflow.services import Attachment

TODAY = datetime.date.today()


@pytest.fixture
def agreement(users) -> Agreement:
    return record_signed_agreement(
        actor=users["pengelola"], kind="pks", number="180/1/PEM/2024", title="PKS Promosi Wisata Bahari",
        partner=Partner.objects.get(name="PT Pesona Wisata Serumpun"), org_unit=OrgUnit.objects.get(code="dispar"),
        object="Promosi pariwisata", scope="Promosi bersama", signed_on=datetime.date(2024, 3, 12),
        starts_on=datetime.date(2024, 3, 15), ends_on=datetime.date(2026, 3, 14))


def report(users, agreement, *, by="kepala_dispar", **overrides) -> ImplementationReport:
    values = dict(reported_on=TODAY, progress="Dua festival terlaksana", obstacles="Anggaran terlambat",
                  follow_up="Usulkan perubahan jadwal")
    values.update(overrides)
    return add_implementation_report(actor=users[by], agreement_id=agreement.pk, **values)


def stored(settings_root) -> list[Path]:
    root = Path(settings_root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_kepala_opd_of_the_agreement_reports_with_an_attachment(users, agreement):
    done = report(users, agreement, attachment=Attachment(kind="laporan", name="Laporan Triwulan I.PDF",
                                                          content=b"%PDF-1.4 laporan"))

    assert (done.reporter, done.progress, done.obstacles, done.follow_up) == (
        users["kepala_dispar"], "Dua festival terlaksana", "Anggaran terlambat", "Usulkan perubahan jadwal")
    assert done.attachment.name == f"agreements/{agreement.pk}/laporan/Laporan-Triwulan-I.pdf"
    assert done.attachment.read() == b"%PDF-1.4 laporan"
    assert attachment_type(done) == "application/pdf"


def test_a_report_is_audited_with_its_file(users, agreement):
    done = report(users, agreement, attachment=Attachment(kind="laporan", name="foto.png", content=b"\x89PNG\r\n\x1a\n..."))

    event = AuditEvent.objects.get(action="agreement.reported")
    assert event.actor == users["kepala_dispar"]
    assert (event.data["report"], event.data["progress"]) == (done.pk, "Dua festival terlaksana")
    assert event.data["attachment"]["content_type"] == "image/png" and len(event.data["attachment"]["sha256"]) == 64


def test_the_file_is_named_by_its_content_not_by_what_the_sender_typed(users, agreement):
    done = report(users, agreement, attachment=Attachment(kind="laporan", name="laporan.exe", content=b"%PDF-1.4 x"))

    assert done.attachment.name.endswith("/laporan.pdf")


def test_a_file_of_another_kind_is_refused_and_nothing_is_kept(users, agreement):
    with pytest.raises(InvalidInput, match="Yang diterima: PDF, DOCX"):
        report(users, agreement, attachment=Attachment(kind="laporan", name="data.csv", content=b"a;b\n1;2\n"))

    assert ImplementationReport.objects.count() == 0 and stored(settings.MEDIA_ROOT) == []


def test_those_who_keep_the_register_report_too(users, agreement):
    report(users, agreement, by="pengelola")
    report(users, agreement, by="karo")

    assert agreement.reports.count() == 2


def test_others_may_not_report(users, agreement):
    assert not may_report_on(users["kepala_dkp"], agreement)
    with pytest.raises(NotAllowed, match="Kepala OPD pelaksana"):
        report(users, agreement, by="kepala_dkp")
    with pytest.raises(NotAllowed):
        report(users, agreement, by="analis")
    assert ImplementationReport.objects.count() == 0


def test_a_report_needs_its_progress_and_a_date_not_ahead(users, agreement):
    with pytest.raises(InvalidInput, match="Kemajuan pelaksanaan wajib diisi"):
        report(users, agreement, progress="  ")
    with pytest.raises(InvalidInput, match="tidak boleh di masa depan"):
        report(users, agreement, reported_on=TODAY + datetime.timedelta(days=1))


def test_an_unknown_agreement_is_not_found(users):
    with pytest.raises(NotFound):
        add_implementation_report(actor=users["pengelola"], agreement_id=999, reported_on=TODAY, progress="x")


def test_reports_come_newest_first(users, agreement):
    old = report(users, agreement, reported_on=TODAY - datetime.timedelta(days=90))
    new = report(users, agreement)

    assert list(agreement.reports.all()) == [new, old]


def test_who_reads_an_agreement(users, agreement):
    assert list(agreements_visible_to(users["analis"])) == [agreement]
    assert list(agreements_visible_to(users["tkksd"])) == [agreement]
    assert list(agreements_visible_to(users["kepala_dispar"])) == [agreement]
    assert list(agreements_visible_to(users["kepala_dkp"])) == []
