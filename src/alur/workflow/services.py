"""The engine's actions. Each is one transaction: it checks, changes, and writes its audit event,
or refuses with a WorkflowError and changes nothing.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from alur.org.models import OrgUnit, Role
from alur.org.selectors import holds_role, roles_held
from alur.sop import DECISION_OUTCOMES, SopDefinition, load_definition_text, shipped_definition_paths
from alur.sop.model import OUTCOME_LABELS

from . import sql
from alur.worktime.selectors import working_calendar

from .audit import display_name, record_event
from .deadlines import deadlines_for
from .definitions import definition_for, definition_of
from .errors import InvalidInput, MissingDocuments, NotAllowed, NotFound, TaskNotOpen
from .models import Case, Document, Sop, SopVersion, Task
from .hooks import hooks_for
from .uploads import check_upload


# The files written by the service call under way, so a refused call can take them back.
_files_written: ContextVar[list[str] | None] = ContextVar("files_written", default=None)


def atomic_with_files(service):
    """transaction.atomic for a service that stores files: when it fails, the rows roll back and
    the files it wrote are deleted, so a refusal leaves nothing behind, on disk either."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        written: list[str] = []
        token = _files_written.set(written)
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        finally:
            _files_written.reset(token)

    return run


@dataclass(frozen=True)
class Attachment:
    """A file handed to the engine: its document kind, file name and bytes."""

    kind: str
    name: str
    content: bytes
    content_type: str = ""


# --- SOP definitions ----------------------------------------------------------------------------

@transaction.atomic
def load_sop(*, text: str, source_name: str) -> tuple[SopVersion, bool]:
    """Store a definition: a new SOP, or a new version of a known one. Loading the text the newest
    version already has changes nothing. Returns (version, created). Raises DefinitionError."""
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    # The text a stored version already has was checked when it was stored: `alur migrate` and
    # `alur demo` load every shipped definition each time, and parsing is most of what that costs.
    latest = SopVersion.objects.filter(sha256=sha256).order_by("-version").first()
    if latest is not None and latest == latest.sop.versions.order_by("-version").first():
        return latest, False
    definition = load_definition_text(text, source=source_name)
    sop, _ = Sop.objects.select_for_update().get_or_create(key=definition.key, defaults={"name": definition.name})
    latest = sop.versions.order_by("-version").first()
    if latest is not None and latest.sha256 == sha256:
        return latest, False
    if sop.name != definition.name:
        sop.name = definition.name
        sop.save(update_fields=["name"])
    version = SopVersion.objects.create(
        sop=sop, version=(latest.version + 1) if latest else 1, source_name=source_name,
        source_text=text, sha256=sha256,
    )
    # A role's name and description belong to the SOP that declares it (its cases show the name
    # their definition gives); the table only makes the key assignable, named as first declared.
    for role in definition.roles:
        Role.objects.get_or_create(key=role.key, defaults={"name": role.name})
    record_event(action="sop.loaded", data={"sop": sop.key, "version": version.version, "sha256": sha256, "source": source_name})
    return version, True


def load_shipped_sops() -> list[tuple[SopVersion, bool]]:
    return [load_sop(text=path.read_text(encoding="utf-8"), source_name=path.name) for path in shipped_definition_paths()]


def newest_version(sop_key: str) -> SopVersion:
    version = SopVersion.objects.filter(sop__key=sop_key).select_related("sop").order_by("-version").first()
    if version is None:
        known = ", ".join(Sop.objects.values_list("key", flat=True)) or "belum ada"
        raise NotFound(f"SOP '{sop_key}' belum dimuat (SOP yang dikenal: {known}).")
    return version


# --- cases ----------------------------------------------------------------------------------------

@atomic_with_files
def start_case(*, sop_key: str, title: str, actor, org_unit: OrgUnit | None = None, record: dict | None = None,
               follows: Case | None = None, attachments: Sequence[Attachment] = ()) -> Case:
    """Register an incoming case (the intake) and open the SOP's first step.

    What the intake asks is the definition's: the proposing OPD where it says `org_unit`, the
    values of its intake `record`, and the case it `follows` (an approved offer for an MoU)."""
    version = newest_version(sop_key)
    definition = definition_of(version)
    _ensure_active(actor)
    if not any(definition.may_start(role_key) for role_key, _ in roles_held(actor)):
        names = ", ".join(definition.role(k).name for k in definition.starting_roles)
        raise NotAllowed(f"{display_name(actor)} tidak berwenang mendaftarkan perkara {definition.name}; "
                         f"yang berwenang: {names}.")
    title = " ".join((title or "").split())
    if not title:
        raise InvalidInput("Judul tidak boleh kosong.")
    # Required where the definition asks for it; any case may name the OPD it comes from.
    if (definition.intake_org_unit or org_unit is not None) and (org_unit is None or org_unit.kind != OrgUnit.Kind.OPD):
        raise InvalidInput("Perangkat Daerah pengusul harus sebuah OPD.")
    recorded, _ = _checked_fields(definition.intake_record, "", record or {}, where="pendaftaran")
    _check_follows(definition, follows)
    now = timezone.now()
    case = Case.objects.create(sop_version=version, title=title, org_unit=org_unit, started_by=actor, started_at=now,
                               data=recorded, follows=follows)
    for attachment in attachments:
        _store_document(case=case, task=None, attachment=attachment, actor=actor, definition=definition, now=now)
    _require_documents(case, definition.intake_kelengkapan, definition, when="pendaftaran perkara")
    first = _open_task(case=case, definition=definition, step_key=definition.start, now=now)
    data = {"sop": sop_key, "version": version.version, "title": title,
            "org_unit": org_unit.code if org_unit else None,
            "opened": {"task": first.pk, "step": first.step_key, "role": first.role_key}}
    if recorded:
        data["record"] = recorded
    if follows is not None:
        data["follows"] = follows.pk
    record_event(action="case.started", actor=actor, case_id=case.pk, task_id=first.pk, at=now, data=data)
    return case


def _check_follows(definition: SopDefinition, follows: Case | None) -> None:
    if follows is None:
        return
    wanted = definition.intake_follows
    if wanted is None:
        raise InvalidInput(f"{definition.name} tidak dimulai dari perkara lain; kosongkan isian perkara asal.")
    if follows.sop_version.sop.key != wanted.sop or follows.end_key != wanted.end:
        raise InvalidInput(f"Perkara #{follows.pk} tidak dapat menjadi asal: yang dapat hanya perkara SOP "
                           f"'{wanted.sop}' yang berakhir '{wanted.end}'.")


def may_resubmit(user, case: Case, definition: SopDefinition) -> bool:
    """Whether the user may send the returned case back corrected: a role of the definition's
    `resubmit` section (held in the case's own OPD for a role scoped to it) or a starting role."""
    for role_key in definition.resubmitting_roles:
        scoped = definition.role(role_key).scope == "opd"
        if holds_role(user, role_key, org_unit_id=case.org_unit_id if scoped else None):
            return True
    return False


@atomic_with_files
def resubmit_case(*, case_id: int, actor, attachments: Sequence[Attachment] = (), note: str = "") -> Case:
    """A returned draft comes back corrected: a new round of the same case, from the first step."""
    case = _get_case(case_id, lock=True)
    definition = definition_of(case.sop_version)
    if case.status != Case.Status.RETURNED or not definition.end(case.end_key).resubmittable:
        raise InvalidInput(f"Perkara #{case.pk} tidak sedang dikembalikan, jadi tidak dapat diajukan ulang.")
    _ensure_active(actor)
    if not may_resubmit(actor, case, definition):
        raise NotAllowed(f"{display_name(actor)} tidak berwenang mengajukan ulang perkara #{case.pk}.")
    kinds = {a.kind for a in attachments}
    missing = [k for k in definition.intake_kelengkapan if k not in kinds]
    if missing:
        names = ", ".join(definition.document(k).name for k in missing)
        raise MissingDocuments(f"Pengajuan ulang harus disertai versi baru: {names}.", missing)
    now = timezone.now()
    case.round += 1
    case.status, case.end_key, case.ended_at = Case.Status.RUNNING, "", None
    case.save(update_fields=["round", "status", "end_key", "ended_at"])
    for attachment in attachments:
        _store_document(case=case, task=None, attachment=attachment, actor=actor, definition=definition, now=now)
    first = _open_task(case=case, definition=definition, step_key=definition.start, now=now)
    record_event(action="case.resubmitted", actor=actor, case_id=case.pk, task_id=first.pk, at=now,
                 data={"round": case.round, "note": note,
                       "opened": {"task": first.pk, "step": first.step_key, "role": first.role_key}})
    return case


# --- tasks ----------------------------------------------------------------------------------------

@transaction.atomic
def claim_task(*, task_id: int, actor) -> Task:
    """Take an open task so others holding the role see that someone is on it."""
    task = _get_task(task_id)
    _ensure_open(task)
    _ensure_may_act(task, actor)
    if task.assignee_id == actor.pk:
        return task
    now = timezone.now()
    claimed = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN, assignee_id=task.assignee_id).update(assignee=actor, claimed_at=now)
    if not claimed:  # someone else changed it while we checked
        task.refresh_from_db()
        _ensure_open(task)
        _ensure_may_act(task, actor)
        if task.assignee_id == actor.pk:
            return task
        raise NotAllowed(f"Tugas #{task.pk} berubah ketika sedang diambil; muat ulang lalu coba lagi.")
    record_event(action="task.claimed", actor=actor, case_id=task.case_id, task_id=task.pk, at=now, data={"step": task.step_key})
    task.assignee, task.claimed_at = actor, now
    return task


@transaction.atomic
def release_task(*, task_id: int, actor) -> Task:
    """Give a claimed task back to everyone holding its role."""
    task = _get_task(task_id)
    _ensure_open(task)
    if task.assignee_id != actor.pk:
        raise NotAllowed("Hanya pemegang tugas yang dapat melepaskannya.")
    released = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN, assignee_id=actor.pk).update(assignee=None, claimed_at=None)
    if not released:  # completed or taken over while we checked
        task.refresh_from_db()
        _ensure_open(task)
        raise NotAllowed("Hanya pemegang tugas yang dapat melepaskannya.")
    record_event(action="task.released", actor=actor, case_id=task.case_id, task_id=task.pk, data={"step": task.step_key})
    task.assignee, task.claimed_at = None, None
    return task


@atomic_with_files
def attach_document(*, task_id: int, actor, attachment: Attachment) -> Document:
    """Upload a document while working on an open task (it becomes part of the case)."""
    task = _get_task(task_id, lock=True)
    _ensure_open(task)
    _ensure_may_act(task, actor)
    definition = definition_of(task.case.sop_version)
    return _store_document(case=task.case, task=task, attachment=attachment, actor=actor, definition=definition, now=timezone.now())


@atomic_with_files
def complete_task(*, task_id: int, actor, outcome: str | None = None, note: str = "",
                  record: dict[str, str] | None = None, attachments: Sequence[Attachment] = ()) -> Task:
    """Finish a step: check who acts, the documents and the decision, then move the case on.

    The hot path of the engine: every person of every SOP does this all day, so its reads and
    writes are the hand-written statements of sql.py, on one cursor. Refusals fall back to the
    ORM to say exactly why. When the SOP's cases carry a subject (an agreement), its domain's
    hooks (hooks.py) check the move before anything is written and act on it after, in this
    transaction.
    """
    _ensure_active(actor)
    now = timezone.now()
    with connection.cursor() as cursor:
        row = sql.task_row(cursor, task_id, actor_id=actor.pk, today=timezone.localtime(now).date())
        if row is None:
            raise NotFound(f"Tugas #{task_id} tidak ditemukan.")
        definition = definition_for(row.sop_version_id, row.sop_sha256)
        step = definition.step(row.step_key)
        claimed_by_other = row.assignee_id is not None and row.assignee_id != actor.pk
        if row.status != Task.Status.OPEN or claimed_by_other or not row.actor_holds_role:
            task = _get_task(task_id)
            _ensure_open(task)
            _ensure_may_act(task, actor)
        outcome, note = _checked_decision(step, outcome, note)
        recorded, chosen_products = _checked_record(step, outcome, record or {})
        hooks = hooks_for(definition)
        if hooks is not None:
            hooks.check_step(definition=definition, case_id=row.case_id, step=step, outcome=outcome,
                             record=recorded, actor=actor)
        documents = row.documents
        if attachments:
            task = _get_task(task_id, lock=True)
            _ensure_open(task)  # re-read under the lock: another finisher may have been first
            for attachment in attachments:
                _store_document(case=task.case, task=task, attachment=attachment, actor=actor, definition=definition, now=now)
            documents += tuple((a.kind, row.id) for a in attachments)
        _require_step_documents(step, definition, documents, task_id=row.id, also_produced=chosen_products)

        at = sql.db_datetime(cursor, now)
        calendar = working_calendar()
        took = round(calendar.between(row.created_at, now))
        if not sql.close_task(cursor, row.id, actor_id=actor.pk, at=at, outcome=outcome, note=note, data=recorded,
                              assignee_id=row.assignee_id, working_minutes=took):
            task = _get_task(task_id)  # someone finished, claimed or released it while we checked
            _ensure_open(task)
            _ensure_may_act(task, actor)
            raise NotAllowed(f"Tugas #{task_id} berubah ketika sedang diselesaikan; muat ulang lalu coba lagi.")
        target = step.target(outcome)
        data = {"step": step.key, "number": step.number, "outcome": outcome, "note": note}
        if recorded:
            data["record"] = recorded
        if definition.is_step(target):
            following = definition.step(target)
            role = definition.role(following.actor)
            unit_id = row.case_org_unit_id if role.scope == "opd" else None
            opened = sql.insert_task(cursor, case_id=row.case_id, round=row.round, step_key=following.key,
                                     role_key=role.key, org_unit_id=unit_id, at=at,
                                     deadlines=deadlines_for(following, now, calendar))
            data["opened"] = {"task": opened, "step": following.key, "role": role.key}
        else:
            status = _status_at_end(definition, target)
            sql.end_case(cursor, row.case_id, status=status, end_key=target, at=at)
            data["ended"] = {"end": target, "status": status}
        # One event records the whole move: the step closed and what it led to.
        record_event(action="task.completed", actor=actor, case_id=row.case_id, task_id=row.id, at=now, data=data,
                     cursor=cursor)
    if hooks is not None:
        hooks.step_completed(definition=definition, case_id=row.case_id, step=step, outcome=outcome, record=recorded,
                             end_key=target if "ended" in data else "", actor=actor, at=now)
    return Task(
        id=row.id, case_id=row.case_id, round=row.round, step_key=row.step_key, role_key=row.role_key,
        org_unit_id=row.org_unit_id, status=Task.Status.DONE, assignee_id=actor.pk, completed_by_id=actor.pk,
        completed_at=now, outcome=outcome, note=note, data=recorded,
    )


# --- internals ------------------------------------------------------------------------------------

def _get_case(case_id: int, *, lock: bool = False) -> Case:
    cases = Case.objects.select_related("sop_version", "org_unit")
    if lock:
        cases = cases.select_for_update(of=("self",))
    case = cases.filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"Perkara #{case_id} tidak ditemukan.")
    return case


def _get_task(task_id: int, *, lock: bool = False) -> Task:
    if lock:
        # Writes that come before the task's own update (uploads) must not race another finisher.
        # The read below is a statement of its own, so after a wait it sees what the other
        # finisher committed (on PostgreSQL a locking read re-checks only the locked row).
        list(Task.objects.select_for_update().filter(pk=task_id).values_list("pk", flat=True))
    task = Task.objects.select_related("case__sop_version", "assignee", "completed_by").filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"Tugas #{task_id} tidak ditemukan.")
    return task


def _ensure_open(task: Task) -> None:
    if task.status == Task.Status.DONE:
        when = timezone.localtime(task.completed_at).strftime("%d-%m-%Y %H:%M")
        raise TaskNotOpen(f"Tugas #{task.pk} sudah diselesaikan oleh {display_name(task.completed_by)} pada {when}.")
    if task.status != Task.Status.OPEN:
        raise TaskNotOpen(f"Tugas #{task.pk} tidak lagi terbuka ({task.get_status_display().lower()}).")


def _ensure_active(actor) -> None:
    if actor is None or not actor.is_active:
        raise NotAllowed(f"Akun {display_name(actor)} tidak aktif; pengguna tidak aktif tidak dapat bertindak.")


def _ensure_may_act(task: Task, actor) -> None:
    _ensure_active(actor)
    definition = definition_of(task.case.sop_version)
    role = definition.role(task.role_key)
    if not holds_role(actor, task.role_key, org_unit_id=task.org_unit_id):
        where = f" pada {task.org_unit}" if task.org_unit_id else ""
        raise NotAllowed(f"Tugas #{task.pk} untuk peran {role.name}{where}; {display_name(actor)} tidak memegang peran itu.")
    # A claim lapses when its holder no longer holds the role (moved, retired, deactivated):
    # the task must not wait forever for someone who cannot act on it.
    if task.assignee_id not in (None, actor.pk) and holds_role(task.assignee, task.role_key, org_unit_id=task.org_unit_id):
        raise NotAllowed(f"Tugas #{task.pk} sedang dipegang oleh {display_name(task.assignee)}.")


def _checked_decision(step, outcome: str | None, note: str) -> tuple[str, str]:
    note = (note or "").strip()
    outcome = (outcome or "").strip()
    if not step.is_decision:
        if outcome:
            raise InvalidInput(f"Langkah {step.number} bukan langkah keputusan; jangan isi keputusan.")
        return "", note
    if outcome not in DECISION_OUTCOMES:
        choices = " atau ".join(DECISION_OUTCOMES)
        given = f" ('{outcome}' tidak dikenal)" if outcome else ""
        raise InvalidInput(f"Langkah {step.number} adalah keputusan: pilih {choices}{given}.")
    if outcome == "tidak_setuju" and not note:
        raise InvalidInput(f"Keputusan '{OUTCOME_LABELS[outcome]}' pada langkah {step.number} wajib disertai catatan alasannya.")
    return outcome, note


def _require_documents(case: Case, kinds: Sequence[str], definition: SopDefinition, *, when: str) -> None:
    """Refuse unless the case holds a document of every required kind."""
    present = set(Document.objects.filter(case=case, kind__in=kinds).values_list("kind", flat=True))
    _refuse_missing([k for k in kinds if k not in present], definition, when=when)


def _checked_record(step, outcome: str, record: dict[str, str]) -> tuple[dict[str, str], tuple[str, ...]]:
    """Check what the step records besides its decision. Returns the cleaned values and the
    documents the chosen values make this step yield (a surat kuasa when the Kepala OPD signs)."""
    return _checked_fields(step.record, outcome, record, where=f"langkah {step.number}")


def _checked_fields(record_fields, outcome: str, record: dict[str, str], *, where: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Check values against record fields (a step's, or the intake's); `where` names the form."""
    fields = {f.key: f for f in record_fields}
    for key in record:
        if key not in fields:
            known = ", ".join(fields) or "tidak ada"
            raise InvalidInput(f"{where[0].upper()}{where[1:]} tidak mengenal isian '{key}' (isiannya: {known}).")
    cleaned, products = {}, []
    for field in record_fields:
        raw = record.get(field.key)
        if field.type == "lines":  # one entry per line: the line breaks are the value's own
            value = "\n".join(field.entries(str(raw))) if raw is not None else ""
        else:
            value = " ".join(str(raw).split()) if raw is not None else ""
        if not field.applies_to(outcome):
            if value:
                raise InvalidInput(f"Isian '{field.label}' hanya diisi bila keputusannya {OUTCOME_LABELS[field.when].lower()}.")
            continue
        if not value:
            if field.required:
                raise InvalidInput(f"Isian '{field.label}' pada {where} wajib diisi.")
            continue
        if field.type == "date":
            try:
                value = datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                raise InvalidInput(f"Isian '{field.label}': '{value}' bukan tanggal; tulis TTTT-BB-HH, misalnya 2026-11-26.") from None
        elif field.type == "choice":
            choices = dict(field.choices)
            if value not in choices:
                raise InvalidInput(f"Isian '{field.label}': pilih salah satu dari {', '.join(choices)} (bukan '{value}').")
            products += dict(field.documents).get(value, ())
        cleaned[field.key] = value
    return cleaned, tuple(products)


def _require_step_documents(step, definition: SopDefinition, documents, *, task_id: int,
                            also_produced: tuple[str, ...] = ()) -> None:
    """The step's kelengkapan must be on the case; its own products (and those its recorded
    choices call for) must come from this task. `documents` are (kind, task uploaded in) pairs."""
    on_case = {kind for kind, _ in documents}
    from_this_task = {kind for kind, made_in in documents if made_in == task_id}
    missing = [k for k in step.kelengkapan if k not in on_case]
    for kind in (*step.produces, *also_produced):
        if kind not in from_this_task and kind not in missing:
            missing.append(kind)
    _refuse_missing(missing, definition, when=f"langkah {step.number}")


def _refuse_missing(missing: list[str], definition: SopDefinition, *, when: str) -> None:
    if missing:
        names = ", ".join(definition.document(k).name for k in missing)
        raise MissingDocuments(f"Kelengkapan {when} belum lengkap: {names} belum dilampirkan.", missing)


def _store_document(*, case: Case, task: Task | None, attachment: Attachment, actor, definition: SopDefinition, now) -> Document:
    try:
        kind = definition.document(attachment.kind)
    except KeyError:
        known = ", ".join(d.key for d in definition.documents)
        raise InvalidInput(f"Jenis dokumen '{attachment.kind}' tidak dikenal SOP ini; yang dikenal: {known}.") from None
    name = Path(attachment.name or kind.key).name[:200]
    # Whatever brought the file (a page, the CLI, a script), only PDF, DOCX and images of an
    # accepted size are stored, and the type is what the bytes are, not what the name says.
    content_type = check_upload(name=name, content=attachment.content)
    # The case row's lock makes concurrent uploads of one kind take version numbers in turn.
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
    latest = Document.objects.filter(case=case, kind=kind.key).aggregate(v=Max("version"))["v"] or 0
    document = Document(
        case=case, task=task, round=case.round, kind=kind.key, version=latest + 1, original_name=name,
        content_type=content_type,
        size=len(attachment.content), sha256=hashlib.sha256(attachment.content).hexdigest(),
        uploaded_by=actor, uploaded_at=now,
    )
    document.file.save(name, ContentFile(attachment.content), save=False)
    written = _files_written.get()
    if written is not None:
        written.append(document.file.name)
    document.save(force_insert=True)
    record_event(action="document.attached", actor=actor, case_id=case.pk, task_id=task.pk if task else None, at=now,
                 data={"kind": kind.key, "version": document.version, "name": name, "sha256": document.sha256, "size": document.size})
    return document


def _open_task(*, case: Case, definition: SopDefinition, step_key: str, now) -> Task:
    step = definition.step(step_key)
    role = definition.role(step.actor)
    deadlines = deadlines_for(step, now)
    task = Task.objects.create(
        case=case, round=case.round, step_key=step.key, role_key=role.key,
        org_unit_id=case.org_unit_id if role.scope == "opd" else None, created_at=now,
        due_at=deadlines.due_at, remind_at=deadlines.remind_at, escalate_at=deadlines.escalate_at,
    )
    return task


def recompute_open_deadlines(*, only_missing: bool = False) -> int:
    """Set the deadlines of open tasks again from their start, after the working calendar changed
    (or, with only_missing, for tasks opened before deadlines were kept). Notices already sent
    stay sent. Returns how many tasks changed."""
    calendar = working_calendar()
    tasks = Task.objects.filter(status=Task.Status.OPEN).select_related("case__sop_version")
    if only_missing:
        tasks = tasks.filter(due_at__isnull=True)
    changed = []
    for task in tasks:
        deadlines = deadlines_for(definition_of(task.case.sop_version).step(task.step_key), task.created_at, calendar)
        if (task.due_at, task.remind_at, task.escalate_at) != (deadlines.due_at, deadlines.remind_at, deadlines.escalate_at):
            task.due_at, task.remind_at, task.escalate_at = deadlines.due_at, deadlines.remind_at, deadlines.escalate_at
            changed.append(task)
    Task.objects.bulk_update(changed, ["due_at", "remind_at", "escalate_at"], batch_size=500)
    return len(changed)


def fill_missing_working_minutes() -> int:
    """Working minutes for done tasks completed before they were kept (monitoring reads them)."""
    calendar = working_calendar()
    tasks = list(Task.objects.filter(status=Task.Status.DONE, working_minutes__isnull=True, completed_at__isnull=False))
    for task in tasks:
        task.working_minutes = round(calendar.between(task.created_at, task.completed_at))
    Task.objects.bulk_update(tasks, ["working_minutes"], batch_size=500)
    return len(tasks)


def _status_at_end(definition: SopDefinition, end_key: str) -> str:
    """A case that ends where the proposer may resubmit is returned; any other end completes it."""
    return Case.Status.RETURNED if definition.end(end_key).resubmittable else Case.Status.COMPLETED
