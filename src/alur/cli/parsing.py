"""Small parsers and formatters the CLI commands share."""
from __future__ import annotations

import datetime

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
        attachments.append(Attachment.from_path(kind.strip(), path.strip()))
    return attachments


def format_dt(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else ""


def format_minutes(minutes: float) -> str:
    minutes = int(round(minutes))
    if minutes < 60:
        return f"{minutes} menit"
    hours, rest = divmod(minutes, 60)
    return f"{hours} jam {rest} menit" if rest else f"{hours} jam"
