"""The rekapitulasi as files: XLSX (XlsxWriter) for any number of agreements, PDF (WeasyPrint) for
lists short enough to read on paper. Both are in Indonesian, whatever the reader's language: they
are the office's register.

XLSX: one row per agreement with the rekapitulasi's columns (alur.agreements.rekap.COLUMNS), dates
and values as numbers Excel can sort and sum, the header frozen and filterable, A4 landscape one
page wide when printed. The workbook is written through XlsxWriter's public API in its
constant_memory mode, from rows streamed out of the database (a server-side cursor on
PostgreSQL), into a temporary file the response then streams: memory stays flat for the
province's whole register.

PDF: A4 (or F4) landscape, some columns joined to fit the page. Refused above PDF_LIMIT = 300
agreements, with a message to filter or take the XLSX: 300 rows are some 30 pages, and WeasyPrint
lays a table out at 20-50 ms a row (5-15 s for 300 on the 2-CPU test machine), so a longer list
would be a document nobody reads, made in a request that nears gunicorn's 30-second timeout.
"""
from __future__ import annotations

import datetime
import tempfile

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .rekap import COLUMNS, export_rows

PDF_LIMIT = 300
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
