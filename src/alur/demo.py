"""Demo data: the Biro, two OPDs and one user per role, so every path of the PKS SOP can be walked;
and a few weeks of history (`load_demo_history`), so that the monitoring page has figures.

Idempotent: running it again adds nothing and never resets a password someone has changed.
"""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alur.agreements.models import Agreement, Partner
from alur.agreements.lifecycle import register_draft
from alur.agreements.validity import add_years
from alur.org.models import OrgUnit, Role, RoleAssignment
from alur.workflow.deadlines import deadlines_for, standard_minutes
from alur.workflow.definitions import definition_of
from alur.workflow.models import Case, Document, Task
from alur.workflow.services import Attachment, complete_task, load_shipped_sops, resubmit_case
from alur.worktime.selectors import working_calendar

DEFAULT_PASSWORD = "alur-demo"

UNITS = [
    ("pemprov", "Gubernur Kepulauan Bangka Belitung", OrgUnit.Kind.PIMPINAN),
    ("tkksd", "Tim Koordinasi Kerja Sama Daerah (TKKSD)", OrgUnit.Kind.TIM),
    ("biro-pemerintahan", "Biro Pemerintahan Setda Provinsi Kepulauan Bangka Belitung", OrgUnit.Kind.BIRO),
    ("dispar", "Dinas Pariwisata", OrgUnit.Kind.OPD),
    ("dkp", "Dinas Kelautan dan Perikanan", OrgUnit.Kind.OPD),
]

PARTNERS = [
    ("PT Pesona Wisata Serumpun", Partner.Kind.BADAN_USAHA, "Jl. Jenderal Sudirman No. 10, Pangkalpinang"),
    ("Universitas Bangka Belitung", Partner.Kind.PERGURUAN_TINGGI, "Balunijuk, Merawang, Kabupaten Bangka"),
    ("PT Timah Tbk", Partner.Kind.BUMN_BUMD, "Jl. Jenderal Sudirman No. 51, Pangkalpinang"),
]

# username, full name, role, unit code
USERS = [
    ("gubernur", "Staf Gubernur (atas nama Gubernur)", "gubernur", "pemprov"),
    ("tkksd", "Sekretariat TKKSD", "tkksd", "tkksd"),
    ("karo", "Kepala Biro Pemerintahan", "karo", "biro-pemerintahan"),
    ("kabag", "Kabag Kerja Sama", "kabag", "biro-pemerintahan"),
    ("kasubbag", "Kasubbag Kerja Sama Swasta dan LN", "kasubbag", "biro-pemerintahan"),
    ("analis", "Analis Kerja Sama Lintas Sektor", "analis", "biro-pemerintahan"),
    ("pengelola", "Pengelola Informasi Kerja Sama", "pengelola", "biro-pemerintahan"),
    # The roles of the related SOPs (the offer's Sekda paraf, the letters' agenda and drafting).
    ("sekda", "Sekretaris Daerah", "sekda", "pemprov"),
    ("kasubbag_tu", "Kasubbag Tata Usaha Biro Pemerintahan", "kasubbag_tu", "biro-pemerintahan"),
    ("agendaris", "Pengadministrasi Umum (Agendaris)", "agendaris", "biro-pemerintahan"),
    ("pelaksana", "Pelaksana Biro Pemerintahan", "pelaksana", "biro-pemerintahan"),
    ("kepala_dispar", "Kepala Dinas Pariwisata", "kepala_opd", "dispar"),
    ("kepala_dkp", "Kepala Dinas Kelautan dan Perikanan", "kepala_opd", "dkp"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit: str
    created: bool


def demo_password() -> str:
    return os.environ.get("ALUR_DEMO_PASSWORD", DEFAULT_PASSWORD)


@transaction.atomic
def load_demo() -> list[DemoUser]:
    load_shipped_sops()
    units = {}
    for code, name, kind in UNITS:
        units[code], _ = OrgUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    for name, kind, address in PARTNERS:
        Partner.objects.get_or_create(name=name, defaults={"kind": kind, "address": address})
    User = get_user_model()
    result = []
    for username, full_name, role_key, unit_code in USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        if created:
            user.set_password(demo_password())
            user.save(update_fields=["password"])
        role = Role.objects.get(key=role_key)
        RoleAssignment.objects.get_or_create(user=user, role=role, org_unit=units[unit_code])
        result.append(DemoUser(username, full_name, role.name, units[unit_code].name, created))
    return result


# --- history ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PastCase:
    """A PKS draft of the demo's past: when it came in, its decisions off the straight path (in
    order, per step) and whether a returned draft came back, and how briskly its people worked
    (1.0: each step at its usual pace below)."""

    title: str
    opd: str
    partner: str
    days_ago: int
    against: dict[str, tuple[str, ...]] = field(default_factory=dict)
    resubmitted: bool = False
    pace: float = 1.0


HISTORY = [
    PastCase("PKS Promosi Wisata Bahari Belitung", "dispar", "PT Pesona Wisata Serumpun", 45, pace=0.8),
    PastCase("PKS Pelatihan Pemandu Wisata", "dispar", "Universitas Bangka Belitung", 43,
             against={"periksa_karo": ("tidak_setuju",)}, resubmitted=True),
    PastCase("PKS Pengelolaan Sampah Pesisir", "dkp", "PT Timah Tbk", 38, pace=1.3),
    PastCase("PKS Riset Perikanan Tangkap", "dkp", "Universitas Bangka Belitung", 35,
             against={"keputusan_gubernur": ("tidak_setuju",)}, pace=1.1),
    PastCase("PKS Festival Serumpun Sebalai", "dispar", "PT Pesona Wisata Serumpun", 30,
             against={"bahas_tkksd": ("tidak_setuju",)}, pace=0.9),
    PastCase("PKS Rehabilitasi Terumbu Karang", "dkp", "PT Timah Tbk", 27, pace=0.7),
    PastCase("PKS Pengembangan Desa Wisata", "dispar", "Universitas Bangka Belitung", 22, pace=1.5),
    PastCase("PKS Budidaya Rumput Laut", "dkp", "PT Timah Tbk", 16, pace=1.0),
    PastCase("PKS Pemasaran Produk Perikanan", "dkp", "PT Pesona Wisata Serumpun", 10,
             against={"periksa_karo": ("tidak_setuju",)}, pace=1.2),
    PastCase("PKS Kalender Event Pariwisata 2027", "dispar", "PT Pesona Wisata Serumpun", 7, pace=2.5),
    PastCase("PKS Sertifikasi Homestay", "dispar", "Universitas Bangka Belitung", 2, pace=1.2),
    PastCase("PKS Pelabuhan Perikanan Nusantara", "dkp", "PT Timah Tbk", 1, pace=0.9),
]

# How long each step usually takes, as a multiple of its time standard: a forum must be convened
# and the Governor's desk is busy, while registering is quick.
STEP_PACE = {
    "terima_disposisi": 0.8, "tugaskan_kasubbag": 0.7, "perintahkan_telaah": 1.0, "analisa_draft": 1.3,
    "koreksi_kasubbag": 0.9, "koreksi_kabag": 1.1, "periksa_karo": 2.0, "bahas_tkksd": 3.0,
    "keputusan_gubernur": 5.0, "finalisasi_draft": 0.9, "koordinasi_penandatanganan": 1.5,
    "penandatanganan": 2.5, "registrasi": 0.6, "teruskan_pengembalian": 1.0, "kembalikan_ke_opd": 1.2,
}
# Working days an OPD takes to send a corrected draft after a return.
RESUBMIT_DAYS = 3
FORUM_MEMBERS = "Sekda (ketua), Asisten Pemerintahan, Karo Pemerintahan, Kepala Bappeda"


def load_demo_history() -> int:
    """Walk the demo's past cases through the engine (the services a person's clicks call), then
    move each one's times back to when it happened: tasks with their working-time deadlines and
    the working minutes they took, the case, its agreement and its documents. A case whose work
    would reach past now stays open at that step. The audit trail keeps the moment the demo was
    loaded: it records when rows were written, and is never rewritten.

    Runs after `load_demo`; adds only the cases not there yet (by title). Returns how many it added."""
    return _add_missing(HISTORY, _walk_past_case)


def _pdf(kind: str, title: str) -> Attachment:
    return Attachment(kind=kind, name=f"{kind}.pdf", content=f"%PDF-1.4\n% {kind}: {title}\n%%EOF\n".encode(),
                      content_type="application/pdf")


def _walk_past_case(past: PastCase) -> None:
    calendar = working_calendar()
    now = timezone.now()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[u[0] for u in USERS])}
    actors = {role: users[name] for name, _, role, _ in USERS if role != "kepala_opd"}
    actors["kepala_opd"] = users[f"kepala_{past.opd}"]
    day = timezone.localdate() - datetime.timedelta(days=past.days_ago)
    started = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=timezone.get_default_timezone())
    agreement = register_draft(
        actor=users["pengelola"], title=past.title, org_unit=OrgUnit.objects.get(code=past.opd),
        partner=Partner.objects.get(name=past.partner), object=past.title.removeprefix("PKS "),
        scope=f"{past.title.removeprefix('PKS ')}: perencanaan, pelaksanaan bersama dan pelaporan", duration_months=24,
        disposition_number=f"B/{100 + past.days_ago}/SETDA/{day.year}", disposition_date=day - datetime.timedelta(days=2),
        disposition_from=Agreement.DispositionFrom.SEKDA, draft=_pdf("draft_pks", past.title),
    )
    case = agreement.case
    definition = definition_of(case.sop_version)
    against = {key: list(outcomes) for key, outcomes in past.against.items()}
    clock, last_done, round_started = started, started, {1: started}
    while True:
        task = Task.objects.filter(case=case, status=Task.Status.OPEN).first()
        if task is None:
            case.refresh_from_db()
            if case.status != Case.Status.RETURNED or not past.resubmitted or case.round > 1:
                break
            clock = calendar.add(clock, RESUBMIT_DAYS * calendar.workday_minutes)
            if clock > now:
                break  # the corrected draft is not back yet
            case = resubmit_case(case_id=case.pk, actor=users["pengelola"], attachments=[_pdf("draft_pks", past.title)],
                                 note="Draf diperbaiki sesuai catatan.")
            round_started[case.round] = clock
            continue
        step = definition.step(task.step_key)
        _move(task, step, clock)
        ended = calendar.add(clock, max(1, round(standard_minutes(step, calendar) * STEP_PACE.get(step.key, 1.0) * past.pace)))
        if ended > now:
            break  # still being worked on
        outcome = None
        if step.is_decision:
            pending = against.get(step.key)
            outcome = pending.pop(0) if pending else "setuju"
        record, documents = _record(step, outcome, ended, past)
        complete_task(task_id=task.pk, actor=actors[task.role_key], outcome=outcome,
                      note="Perlu perbaikan pasal ruang lingkup." if outcome == "tidak_setuju" else "",
                      record=record, attachments=[_pdf(kind, past.title) for kind in (*step.produces, *documents)])
        _move(task, step, clock, ended)
        clock = last_done = ended
    case.refresh_from_db()
    Case.objects.filter(pk=case.pk).update(started_at=started, ended_at=last_done if case.ended_at else None)
    Agreement.objects.filter(pk=agreement.pk).update(registered_at=started)
    for document in Document.objects.filter(case=case).select_related("task"):
        moment = document.task.completed_at if document.task else round_started[document.round]
        Document.objects.filter(pk=document.pk).update(uploaded_at=moment)


def _move(task: Task, step, started: datetime.datetime, ended: datetime.datetime | None = None) -> None:
    """The task's times as if it had opened at `started` (and been done at `ended`), with the
    deadlines and working minutes the engine would have given it then."""
    deadlines = deadlines_for(step, started)
    changes = {"created_at": started, "due_at": deadlines.due_at, "remind_at": deadlines.remind_at,
               "escalate_at": deadlines.escalate_at}
    if ended is not None:
        changes |= {"completed_at": ended, "working_minutes": round(working_calendar().between(started, ended))}
    Task.objects.filter(pk=task.pk).update(**changes)


def _record(step, outcome: str | None, when: datetime.datetime, past: PastCase) -> tuple[dict[str, str], tuple[str, ...]]:
    """What the step records as its people would fill it in (the first choice of each choice
    field; the signed PKS runs two years from its signing day), and the documents those choices
    call for. Optional fields are left empty."""
    day = timezone.localtime(when).date()
    texts = {"tempat_tanda_tangan": "Pangkalpinang", "tempat_arsip": "Lemari arsip Bagian Kerja Sama, rak 2",
             "distribusi": f"{dict((code, name) for code, name, _ in UNITS)[past.opd]}\n{past.partner}"}
    record, documents = {}, ()
    for record_field in step.record:
        if not record_field.applies_to(outcome or "") or not record_field.required:
            continue
        if record_field.type == "choice":
            value = record_field.choices[0][0]
            documents += dict(record_field.documents).get(value, ())
        elif record_field.key == "tanggal_berakhir":
            value = (add_years(day, 2) - datetime.timedelta(days=1)).isoformat()
        elif record_field.type == "date":
            value = day.isoformat()
        else:
            value = texts.get(record_field.key, FORUM_MEMBERS)
        record[record_field.key] = value
    return record, documents


# --- the related SOPs ----------------------------------------------------------------------------

@dataclass(frozen=True)
class RelatedCase:
    """A current case of one of the PKS SOP's related SOPs: its SOP, title, what its intake
    records, how many steps have been done (None: to its end), and the case it follows (by title)."""

    sop: str
    title: str
    record: dict[str, str] = field(default_factory=dict)
    steps_done: int | None = None
    follows: str = ""
    agreement_partner: str = ""


RELATED = [
    RelatedCase("penawaran-kerja-sama-pihak-ketiga", "Penawaran Kerja Sama Pengelolaan Wisata Tanjung Kelayang",
                {"nama_pihak_ketiga": "PT Pesona Wisata Serumpun", "perihal": "Pengelolaan kawasan wisata Tanjung Kelayang",
                 "nomor_surat": "021/PWS/X/2026"}),
    RelatedCase("penawaran-kerja-sama-pihak-ketiga", "Penawaran Kerja Sama Pembangkit Listrik Tenaga Surya",
                {"nama_pihak_ketiga": "PT Timah Tbk", "perihal": "PLTS atap gedung perkantoran",
                 "nomor_surat": "118/TIMAH/XI/2026"}, steps_done=4),
    RelatedCase("mou-pihak-ketiga", "Kesepakatan Bersama Pengembangan Wisata Tanjung Kelayang", steps_done=3,
                follows="Penawaran Kerja Sama Pengelolaan Wisata Tanjung Kelayang",
                agreement_partner="PT Pesona Wisata Serumpun"),
    RelatedCase("surat-masuk", "Undangan Rapat Koordinasi Kerja Sama Daerah",
                {"nomor_surat": "005/123/KEMENDAGRI/2026", "asal_surat": "Kementerian Dalam Negeri",
                 "perihal": "Undangan rapat koordinasi kerja sama daerah"}),
    RelatedCase("surat-masuk", "Permohonan Data Kerja Sama Daerah",
                {"nomor_surat": "070/88/BAPPEDA/2026", "asal_surat": "Bappeda Provinsi",
                 "perihal": "Permohonan data kerja sama daerah tahun berjalan"}, steps_done=3),
    RelatedCase("surat-keluar", "Konfirmasi Kehadiran Rapat Koordinasi Kerja Sama Daerah",
                {"perihal": "Konfirmasi kehadiran rapat koordinasi", "tujuan": "Kementerian Dalam Negeri"},
                steps_done=1, follows="Undangan Rapat Koordinasi Kerja Sama Daerah"),
]


def load_demo_related() -> int:
    """A few current cases of each related SOP (the offer, the MoU that follows the approved offer,
    incoming and outgoing letters), walked through the engine by the demo people. Runs after
    `load_demo`; adds only the cases not there yet (by title). Returns how many it added."""
    return _add_missing(RELATED, _walk_related)


def _add_missing(cases, walk) -> int:
    """Walk each demo case whose title is not there yet, each in its own transaction."""
    existing = set(Case.objects.filter(title__in=[c.title for c in cases]).values_list("title", flat=True))
    added = 0
    for case in cases:
        if case.title not in existing:
            with transaction.atomic():
                walk(case)
            added += 1
    return added


def _holder(role_key: str, unit_id: int | None):
    assignments = RoleAssignment.objects.filter(role_id=role_key).select_related("user").order_by("pk")
    return (assignments.filter(org_unit_id=unit_id) if unit_id else assignments).first().user


def _walk_related(related: RelatedCase) -> None:
    from alur.workflow.services import newest_version, start_case

    definition = definition_of(newest_version(related.sop))
    starter = _holder(definition.starting_roles[0], None)
    follows = Case.objects.get(title=related.follows) if related.follows else None
    opd = OrgUnit.objects.get(code="dispar") if definition.intake_org_unit else None
    papers = [_pdf(kind, related.title) for kind in definition.intake_kelengkapan]
    if definition.intake_subject == "agreement":
        case = register_draft(
            actor=starter, title=related.title, org_unit=opd, partner=Partner.objects.get(name=related.agreement_partner),
            object=related.title, scope="Perencanaan, pelaksanaan bersama dan pelaporan", duration_months=24,
            disposition_number="B/210/SETDA/2026", disposition_date=timezone.localdate(),
            disposition_from=Agreement.DispositionFrom.SEKDA, draft=papers[0], sop_key=related.sop,
            follows=follows, record=related.record).case
    else:
        record = dict(related.record)
        for intake_field in definition.intake_record:  # the letter's date today, its first kind
            if intake_field.type == "date" and intake_field.required:
                record.setdefault(intake_field.key, timezone.localdate().isoformat())
            elif intake_field.type == "choice" and intake_field.required:
                record.setdefault(intake_field.key, intake_field.choices[0][0])
        case = start_case(sop_key=related.sop, title=related.title, actor=starter, org_unit=opd, record=record,
                          follows=follows, attachments=papers)
    done = 0
    while related.steps_done is None or done < related.steps_done:
        task = Task.objects.filter(case=case, status=Task.Status.OPEN).first()
        if task is None:
            break
        step = definition.step(task.step_key)
        outcome = "setuju" if step.is_decision else None
        record, documents = _record(step, outcome, timezone.now(), PastCase(related.title, "dispar", "", 0))
        complete_task(task_id=task.pk, actor=_holder(task.role_key, task.org_unit_id), outcome=outcome, record=record,
                      attachments=[_pdf(kind, related.title) for kind in (*step.produces, *documents)])
        done += 1
