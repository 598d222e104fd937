"""The rekapitulasi as files: XLSX (XlsxWriter) for any number of agreements, PDF (WeasyPrint) for
lists short enough to read on paper. Both are in Indonesian, whatever the reader's language: they
are the office's register.

XLSX: one row per agreement with the rekapitulasi's columns (alur.agreements.rekap.COLUMNS), dates
and values as numbers Excel can sort and sum, the header frozen and filterable, A4 landscape one
page wide when printed. The workbook is written through XlsxWriter's public API in its
constant_memory mode, from rows streamed out of the database (a server-side cursor on
PostgreSQL), into a temporary file the response then streams: memory stays flat for the
province's whole register.

A list of more than XLSX_IN_REQUEST_LIMIT = 5,000 agreements is not made while the person waits.
The public API writes cell by cell: `make bench` measured 100,000 agreements at 61-73 s (reading
them 9-11 s of it) and 10,000 at 7 s, some 0.7 ms a row, on the shared 2-CPU test machine while
it was loaded (its searches took 1.5-3 times their usual time): never the 5 s a download may take
for the whole register, and 5,000 rows are some 3.5 s there. A province's register holds a few
thousand agreements, so nearly every download is still made at once. Longer, the person asks for
it (request_xlsx, one waiting at a time per person), the worker makes it (build_requested_xlsx:
claimed by a conditional UPDATE, made again when its worker stopped, failed with a notice when it
cannot be made) and a notice links to it; only they may download it (export_for), for KEPT_FOR,
after which the worker removes it.

PDF: A4 (or F4) landscape, some columns joined to fit the page. Refused above PDF_LIMIT = 300
agreements, with a message to filter or take the XLSX: 300 rows are some 30 pages, and WeasyPrint
lays a table out at 20-50 ms a row (5-15 s for 300 on the 2-CPU test machine), so a longer list
would be a document nobody reads, made in a request that nears gunicorn's 30-second timeout.
"""
from __future__ import annotations

import dataclasses
import datetime
import logging
import secrets
import tempfile
from dataclasses import dataclass, field

import xlsxwriter
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from alur.notifications.models import Notification
from alur.notifications.services import notify
from alur.org.models import OrgUnit

from .models import RekapExport
from .rekap import COLUMNS, RekapFilters, export_rows, rekap

log = logging.getLogger(__name__)

PDF_LIMIT = 300
XLSX_IN_REQUEST_LIMIT = 5_000
EXPORTS_PER_PASS = 1  # of the worker: a file takes up to a minute, and reminders and mail wait for the pass
KEPT_FOR = datetime.timedelta(days=7)
BUILDING_STALE_AFTER = datetime.timedelta(minutes=30)  # a build takes a minute at most; longer, its worker stopped
NOTICE_KIND = "rekap_export"
TITLE = "Rekapitulasi Nota Kesepakatan / Nota Kesepahaman dan Perjanjian Kerja Sama"
PAPERS = {"a4": ("A4", "297mm 210mm"), "f4": ("F4", "330mm 215mm")}  # landscape: width, height


class TooManyForPdf(Exception):
    """The list is longer than a PDF is worth reading."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count

    @property
    def message(self) -> str:
        return _("Daftar ini berisi %(count)s perjanjian; PDF dibuat untuk paling banyak %(limit)s. Persempit dengan filter "
                 "atau pencarian, atau unduh XLSX yang memuat semuanya.") % {
            "count": formats.number_format(self.count, force_grouping=True),
            "limit": formats.number_format(PDF_LIMIT, force_grouping=True)}


def day(value: datetime.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


# --- XLSX --------------------------------------------------------------------------------------------

def write_xlsx(agreements, *, filters_text: str = "", instansi: tuple[str, ...] = (), out=None, chunk_size: int = 2000):
    """Write the rekapitulasi of `agreements` (a rekap() queryset) as XLSX into `out` (a file
    opened for binary writing; a new temporary file when None). Returns (file, rows written),
    the file rewound to its start."""
    out = out if out is not None else tempfile.TemporaryFile()
    with translation.override("id"):
        workbook = xlsxwriter.Workbook(out, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
        workbook.set_properties({"title": TITLE, "comments": filters_text})
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        styles = {
            "instansi": workbook.add_format({**base, "bold": True}),
            "title": workbook.add_format({**base, "bold": True, "font_size": 12}),
            "note": workbook.add_format({**base, "italic": True}),
            "header": workbook.add_format({**base, "bold": True, "text_wrap": True, "valign": "vcenter", "border": 1,
                                           "bg_color": "#EEF2F7"}),
            "text": workbook.add_format(base),
            "count": workbook.add_format({**base, "num_format": "0"}),
            "number": workbook.add_format({**base, "num_format": "#,##0"}),
            "date": workbook.add_format({**base, "num_format": "dd-mm-yyyy"}),
            "total": workbook.add_format({**base, "bold": True}),
        }
        ws = workbook.add_worksheet("Rekapitulasi")
        last_col = len(COLUMNS) - 1
        for index, column in enumerate(COLUMNS):
            ws.set_column(index, index, column.width)
        row = 0
        for line in instansi:
            ws.write_string(row, 0, line, styles["instansi"])
            row += 1
        ws.write_string(row, 0, TITLE.upper(), styles["title"])
        row += 1
        generated = timezone.localtime().strftime("%d-%m-%Y %H:%M")
        ws.write_string(row, 0, f"Keadaan per {generated} WIB" + (f"; {filters_text}" if filters_text else ""), styles["note"])
        row += 2
        header = row
        ws.write_row(row, 0, [column.title for column in COLUMNS], styles["header"])
        ws.set_row(row, 30)
        # Each column's writer is chosen once by its kind, not guessed from each value as write()
        # would: a title that begins with "=" or holds an address stays text, not a formula or a link.
        writers = {"text": ws.write_string, "count": ws.write_number, "number": ws.write_number, "date": ws.write_datetime}
        cells = [(writers[column.kind], styles[column.kind]) for column in COLUMNS]
        count = 0
        for values in export_rows(agreements, chunk_size=chunk_size):
            row += 1
            count += 1
            for col, (value, (write, style)) in enumerate(zip(values, cells)):
                if value is not None and value != "":
                    write(row, col, value, style)
        ws.freeze_panes(header + 1, 2)
        ws.autofilter(header, 0, max(row, header + 1), last_col)
        ws.write_string(row + 2, 0, f"Jumlah: {count:,} perjanjian".replace(",", "."), styles["total"])
        ws.repeat_rows(header)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&LRekapitulasi perjanjian kerja sama&RHalaman &P dari &N")
        workbook.close()
    out.seek(0)
    return out, count


# --- long lists: the XLSX made by the worker -----------------------------------------------------

def filters_as_data(filters: RekapFilters) -> dict:
    """The filters as JSON, the OPD by its id (filters_from_data reads them back)."""
    data = {field.name: getattr(filters, field.name) for field in dataclasses.fields(RekapFilters)}
    return data | {"org_unit": filters.org_unit.pk if filters.org_unit is not None else None}


def filters_from_data(data: dict) -> RekapFilters:
    # An OPD removed since the request fails the export (OrgUnit.DoesNotExist), not widens it to all.
    org_unit = OrgUnit.objects.get(pk=data["org_unit"]) if data.get("org_unit") is not None else None
    return RekapFilters(**data | {"org_unit": org_unit})


def request_xlsx(*, user, filters: RekapFilters, ordering: str, filters_text: str = "",
                 instansi: tuple[str, ...] = ()) -> tuple[RekapExport, bool]:
    """Ask the worker for the XLSX of a long list. One waits at a time per person: while one is
    waiting or being made, that one is returned and nothing is queued. Returns (export, queued now)."""
    try:
        with transaction.atomic():
            export = RekapExport.objects.create(requested_by=user, requested_at=timezone.now(), filters=filters_as_data(filters),
                                                ordering=ordering, filters_text=filters_text, instansi=list(instansi))
        return export, True
    except IntegrityError:  # the unique constraint: one is already waiting
        return RekapExport.objects.get(requested_by=user, state__in=_WAITING), False


_WAITING = (RekapExport.State.PENDING, RekapExport.State.BUILDING)


@dataclass
class ExportReport:
    ready: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)  # left in 'building' by a worker that stopped
    removed: int = 0  # files older than KEPT_FOR

    @property
    def anything(self) -> bool:
        return bool(self.ready or self.failed or self.requeued or self.removed)

    def as_dict(self) -> dict:
        return {"ready": self.ready, "failed": self.failed, "requeued": self.requeued, "removed": self.removed}


def build_requested_xlsx(*, now: datetime.datetime | None = None, limit: int = EXPORTS_PER_PASS) -> ExportReport:
    """The worker's step: make the XLSX files people asked for, oldest first, and tell each person
    by a notice whose link downloads it. Call it outside a transaction: each claim is committed
    before its file is made, so no other worker makes it too."""
    now = now or timezone.now()
    report = ExportReport(requeued=_requeue_stale(now), removed=_remove_old(now))
    waiting = list(RekapExport.objects.filter(state=RekapExport.State.PENDING).order_by("id").values_list("id", flat=True)[:limit])
    for export_id in waiting:
        claimed = RekapExport.objects.filter(pk=export_id, state=RekapExport.State.PENDING).update(
            state=RekapExport.State.BUILDING, claimed_at=now)
        if not claimed:
            continue  # another worker took it between our read and our claim
        export = RekapExport.objects.select_related("requested_by").get(pk=export_id)
        if _build(export):
            report.ready.append(export_id)
        else:
            report.failed.append(export_id)
    return report


def _build(export: RekapExport) -> bool:
    try:
        agreements = rekap(export.requested_by, filters_from_data(export.filters), ordering=export.ordering)
        file, rows = write_xlsx(agreements, filters_text=export.filters_text, instansi=tuple(export.instansi))
        with file:  # a name nobody guesses, though only the person who asked may download it anyway
            export.file.save(f"rekapitulasi-{secrets.token_hex(8)}.xlsx", File(file), save=False)
    except Exception as exc:  # whatever broke, the person is told and may ask again
        log.exception("rekapitulasi export #%s failed", export.pk)
        with transaction.atomic():
            if _finish(export, state=RekapExport.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]):
                notify(recipients=[export.requested_by], key=f"rekap-export:{export.pk}", kind=NOTICE_KIND,
                       title="Rekapitulasi XLSX gagal dibuat",
                       body="Berkas XLSX rekapitulasi yang Anda minta gagal dibuat. Mintalah sekali lagi dari halaman "
                            "rekapitulasi; bila gagal lagi, hubungi pengelola Alur.",
                       subject=(Notification.Subject.EXPORT, export.pk))
        return False
    with transaction.atomic():
        if not _finish(export, state=RekapExport.State.READY, file=export.file.name, rows=rows):
            export.file.delete(save=False)  # taken for stopped and queued again meanwhile: that claim makes its own
            return False
        count = f"{rows:,}".replace(",", ".")
        notify(recipients=[export.requested_by], key=f"rekap-export:{export.pk}", kind=NOTICE_KIND,
               title="Rekapitulasi XLSX siap diunduh",
               body=f"Berkas XLSX rekapitulasi yang Anda minta ({export.filters_text}; {count} perjanjian) "
                    f"siap diunduh selama {KEPT_FOR.days} hari.",
               subject=(Notification.Subject.EXPORT, export.pk))
    return True


def _finish(export: RekapExport, *, state: str, **fields) -> bool:
    # Only the claim we hold is finished: a row queued again meanwhile carries a newer claim time.
    return bool(RekapExport.objects.filter(pk=export.pk, state=RekapExport.State.BUILDING, claimed_at=export.claimed_at).update(
        state=state, finished_at=timezone.now(), **fields))


def _requeue_stale(now: datetime.datetime) -> list[int]:
    stale = RekapExport.objects.filter(state=RekapExport.State.BUILDING, claimed_at__lt=now - BUILDING_STALE_AFTER)
    ids = list(stale.values_list("id", flat=True))
    stale.filter(pk__in=ids).update(state=RekapExport.State.PENDING, claimed_at=None)
    return ids


def _remove_old(now: datetime.datetime) -> int:
    old = list(RekapExport.objects.filter(state__in=(RekapExport.State.READY, RekapExport.State.FAILED),
                                          finished_at__lt=now - KEPT_FOR))
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)


def export_for(user, export_id: int) -> RekapExport | None:
    """The ready export `export_id` when `user` asked for it; None otherwise (another person's is
    as unknown as one that does not exist)."""
    return RekapExport.objects.filter(pk=export_id, requested_by=user, state=RekapExport.State.READY).first()


# --- PDF ---------------------------------------------------------------------------------------------

def pdf_rows(agreements) -> list[dict]:
    """The rows of the PDF, some columns joined to fit a landscape page; PDF_LIMIT at most
    (TooManyForPdf above it, counted before anything is rendered).

    What the PDF leaves out of COLUMNS: the distribution. Its recipients with their dates, often
    several per agreement, would be the longest cell of rows already set at 6.5 pt across 15
    columns of a landscape page, and they tell a reader of the printed register least; the XLSX
    has them. The signer comes with the surat kuasa's number, the registration with the archive
    place, the agreement's addenda under what it implements or amends."""
    count = agreements.count()
    if count > PDF_LIMIT:
        raise TooManyForPdf(count)
    rows = []
    with translation.override("id"):
        for (no, number, partner_number, kind, title, partner, partner_kind, org_unit, object_, scope, urusan, value,
             signed_on, signed_place, signer, starts_on, ends_on, status, registered_on, archive_place, _distribution,
             parent, addenda, report_on, report_progress) in export_rows(agreements):
            rows.append({
                "no": no, "number": number or "—", "partner_number": partner_number or "", "kind": kind, "title": title,
                "partner": partner, "partner_kind": partner_kind, "org_unit": org_unit,
                "object": object_ or "", "scope": scope or "", "urusan": urusan or "",
                "value": formats.number_format(value, 0, force_grouping=True) if value is not None else "",
                "signed": ", ".join(part for part in (day(signed_on), signed_place or "") if part), "signer": signer or "",
                "period": f"{day(starts_on)} s.d. {day(ends_on)}" if starts_on or ends_on else "",
                "status": status, "registered": day(registered_on), "archive_place": archive_place or "",
                "parent": parent or "", "addenda": addenda or "",
                "report": f"{day(report_on)}: {report_progress}" if report_on else "",
            })
    return rows


def render_html(agreements, *, filters_text: str = "", instansi: tuple[str, ...] = (), paper: str = "a4") -> str:
    """The page the PDF is printed from. Raises TooManyForPdf above PDF_LIMIT agreements."""
    rows = pdf_rows(agreements)
    name, size = PAPERS.get(paper, PAPERS["a4"])
    with translation.override("id"):
        return render_to_string("agreements/rekap_print.html", {
            "title": TITLE, "instansi": instansi, "filters_text": filters_text, "rows": rows, "size": size, "paper": name,
            "generated": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
        })


def render_pdf(agreements, *, filters_text: str = "", instansi: tuple[str, ...] = (), paper: str = "a4") -> bytes:
    """The rekapitulasi as a PDF (A4 or F4 landscape). Raises TooManyForPdf above PDF_LIMIT agreements."""
    from weasyprint import HTML  # imported here: only the download needs it

    return HTML(string=render_html(agreements, filters_text=filters_text, instansi=instansi, paper=paper)).write_pdf()
