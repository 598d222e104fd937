"""The SOP AP document's two tables, as data: the identity part and the activity table.

Every output (HTML, PDF, DOCX) is drawn from these rows, so they say the same thing. Values our
reading of the source inferred or added carry a footnote number; empty source fields stay empty.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from alur.sop.model import OUTCOME_LABELS, SopDefinition, Step

PAGE_SIZES_MM = {"A4": (297, 210), "F4": (330, 215)}  # landscape: width, height


@dataclass
class Footnotes:
    """Numbered notes for what the reading inferred or added; one number per distinct text."""

    texts: list[str] = field(default_factory=list)

    def mark(self, text: str) -> int:
        if text not in self.texts:
            self.texts.append(text)
        return self.texts.index(text) + 1


@dataclass(frozen=True)
class IdentityRow:
    label: str
    lines: tuple[str, ...]  # one line per item of a list field; () when the source left it empty


@dataclass(frozen=True)
class ActivityRow:
    step: Step
    number: str  # as the document prints it: the product's number, with the source's when it differs
    activity: str
    actor: str  # role key: the swimlane holding the symbol
    kelengkapan: str
    waktu: str
    output: str
    keterangan: str
    notes: tuple[int, ...]  # footnote numbers for this row


def identity_rows(definition: SopDefinition) -> list[IdentityRow]:
    """The identity part in the order of the SOP AP form."""
    i = definition.identity
    single = [
        ("Nomor SOP", i.nomor), ("Tanggal Pembuatan", i.tanggal_pembuatan), ("Tanggal Revisi", i.tanggal_revisi),
        ("Tanggal Efektif", i.tanggal_efektif), ("Disahkan oleh", i.disahkan_oleh), ("Nama SOP", i.nama),
    ]
    lists = [
        ("Dasar Hukum", i.dasar_hukum), ("Kualifikasi Pelaksana", i.kualifikasi_pelaksana),
        ("Keterkaitan", i.keterkaitan), ("Peralatan/Perlengkapan", i.peralatan_perlengkapan),
    ]
    rows = [IdentityRow(label, (value,) if value else ()) for label, value in single]
    rows += [IdentityRow(label, tuple(f"{n}. {item}" for n, item in enumerate(items, 1))) for label, items in lists]
    rows += [IdentityRow("Peringatan", (i.peringatan,) if i.peringatan else ()),
             IdentityRow("Pencatatan dan Pendataan", (i.pencatatan_pendataan,) if i.pencatatan_pendataan else ())]
    return rows


def activity_rows(definition: SopDefinition, footnotes: Footnotes) -> list[ActivityRow]:
    rows = []
    for step in definition.steps:
        notes = []
        if step.marks.added:
            notes.append(footnotes.mark(step.marks.reading or "Langkah ini tidak tertulis di SOP sumber; ditambahkan menurut pembacaannya."))
        elif step.marks.inferred:
            fields = ", ".join(_FIELD_NAMES.get(f, f) for f in step.marks.inferred)
            text = f"Disimpulkan dari bunyi aktivitas (tidak tertulis di SOP sumber): {fields}."
            if step.marks.reading:
                text += f" {step.marks.reading}"
            notes.append(footnotes.mark(text))
        number = str(step.number)
        if step.source_number and step.source_number != number:
            number += f" ({step.source_number})"
        rows.append(ActivityRow(
            step=step, number=number, activity=step.activity, actor=step.actor,
            kelengkapan=", ".join(definition.document(k).name for k in step.kelengkapan),
            waktu=str(step.waktu), output=step.output, keterangan=_keterangan(definition, step), notes=tuple(notes),
        ))
    return rows


_FIELD_NAMES = {"actor": "pelaksana", "produces": "dokumen yang dihasilkan", "record": "isian yang dicatat",
                "reports_to": "atasan", "waktu": "waktu", "kelengkapan": "kelengkapan"}


def _keterangan(definition: SopDefinition, step: Step) -> str:
    """Where a decision leads, in words, and the step's own remark."""
    parts = []
    if step.is_decision:
        for outcome, target in step.outcomes:
            where = f"ke langkah {definition.step(target).number}" if definition.is_step(target) else definition.end(target).name.lower()
            parts.append(f"{OUTCOME_LABELS[outcome]}: {where}")
    if step.keterangan:
        parts.append(step.keterangan)
    return "; ".join(parts)


NUMBERING_NOTE = ("Nomor langkah diurutkan 1 sampai {last}; nomor dalam kurung adalah nomor pada SOP sumber "
                  "bila berbeda.")
