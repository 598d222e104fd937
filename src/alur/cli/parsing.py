"""Small parsers and formatters the CLI commands share."""
from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from alur.cli.base import Refused
from alur.workflow.services import Attachment


def attachments_from(values: list[str]) -> list[Attachment]:
    """`--attach KIND=PATH` arguments, read from disk; a malformed one is refused by name."""
    attachments = []
    for value in values:
        kind, sep, path = value.partition("=")
        if not sep or not kind.strip() or not path.strip():
            raise Refused(f"--attach '{value}' tidak dapat dibaca; tulis JENIS=PATH, misalnya draft_pks=draf.pdf.")
        attachments.append(_read_attachment(kind.strip(), Path(path.strip())))
    return attachments


def record_from(values: list[str]) -> dict[str, str]:
    """`--record KEY=VALUE` arguments, what a step records besides its decision (the forum's date,
    who signs). Only their form is checked here; the engine checks them against the step."""
    record: dict[str, str] = {}
    for value in values:
        key, sep, text = value.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or not key:
            raise Refused(f"--record '{value}' tidak dapat dibaca; tulis KUNCI=NILAI, misalnya tanggal_rapat=2026-11-20.")
        if not text:
            raise Refused(f"--record '{value}': nilai isian '{key}' kosong; tulis KUNCI=NILAI, misalnya tanggal_rapat=2026-11-20.")
        if key in record:
            raise Refused(f"--record: isian '{key}' diberikan dua kali ('{record[key]}' dan '{text}'); berikan sekali saja.")
        record[key] = text
    return record


def ordered_record(record: dict | None, step) -> dict:
    """A task's recorded values in the order its step declares them. (PostgreSQL's jsonb keeps
    no key order, so the stored order is not the order the SOP writes.)"""
    record = record or {}
    order = [f.key for f in step.record]
    return dict(sorted(record.items(), key=lambda item: (order.index(item[0]) if item[0] in order else len(order), item[0])))


def format_record(record: dict | None) -> str:
    """Recorded values as the timeline shows them: "tanggal_rapat=2026-11-20; anggota_hadir=...".
    A list kept one entry per line (distribusi) is written on the table's one line with " / "."""
    return "; ".join(f"{key}={' / '.join(str(value).splitlines())}" for key, value in (record or {}).items())


def _read_attachment(kind: str, path: Path) -> Attachment:
    if not path.exists():
        raise Refused(f"--attach {kind}={path}: berkas tidak ditemukan.", "not_found")
    if not path.is_file():
        raise Refused(f"--attach {kind}={path}: bukan berkas biasa.")
    try:
        return Attachment(kind=kind, name=path.name, content=path.read_bytes())
    except PermissionError:
        raise Refused(f"--attach {kind}={path}: tidak ada izin membaca berkas ini.") from None
    except OSError as exc:
        raise Refused(f"--attach {kind}={path}: berkas tidak dapat dibaca ({exc.strerror or exc}).") from None


def format_dt(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else ""
