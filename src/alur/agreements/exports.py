"""The rekapitulasi as files: XLSX (XlsxWriter) for any number of agreements, PDF (WeasyPrint) for
lists short enough to read on paper. Both are in Indonesian, whatever the reader's language: they
are the office's register.

XLSX: one row per agreement with the rekapitulasi's columns (alur.agreements.rekap.COLUMNS), dates
and values as numbers Excel can sort and sum, the header frozen and filterable, A4 landscape one
page wide when printed. The workbook is written in XlsxWriter's constant_memory mode from rows
streamed out of the database (a server-side cursor on PostgreSQL), into a temporary file the
response then streams: memory stays flat for the province's whole register. The rows themselves
go through `_StreamedWorksheet.write_values`, a narrow fast path that writes a row's XML at once
(XlsxWriter's own per-cell path costs about 4 µs a cell, 9 s for 100,000 agreements of 21
columns; this one is ~5 times faster). Its output is XlsxWriter's to the byte, which a test checks
against XlsxWriter's own write_string/write_number.

PDF: A4 (or F4) landscape, some columns joined to fit the page. Refused above PDF_LIMIT = 300
agreements, with a message to filter or take the XLSX: 300 rows are some 30 pages, and WeasyPrint
lays a table out at 20-50 ms a row (5-15 s for 300 on the 2-CPU test machine), so a longer list
would be a document nobody reads, made in a request that nears gunicorn's 30-second timeout.
"""
from __future__ import annotations

import datetime
import functools
import queue
import re
import tempfile
from threading import Event, Thread
from contextlib import contextmanager

import xlsxwriter
import xlsxwriter.workbook
from django.db import connections, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from .rekap import COLUMNS, export_rows

PDF_LIMIT = 300
TITLE = "Rekapitulasi Nota Kesepakatan / Nota Kesepahaman dan Perjanjian Kerja Sama"
PAPERS = {"a4": ("A4", "297mm 210mm"), "f4": ("F4", "330mm 215mm")}  # landscape: width, height
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


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
        ws = workbook.add_worksheet("Rekapitulasi", worksheet_class=_StreamedWorksheet)
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
        for index, column in enumerate(COLUMNS):
            ws.write_string(row, index, column.title, styles["header"])
        ws.set_row(row, 30)
        ws.set_value_columns([column.kind for column in COLUMNS], [styles[column.kind]._get_xf_index() for column in COLUMNS])
        count = 0
        for values in _read_ahead(agreements, chunk_size=chunk_size):
            row += 1
            count += 1
            ws.write_values(row, values)
        ws.freeze_panes(header + 1, 2)
        ws.autofilter(header, 0, max(row, header + 1), last_col)
        ws.write_string(row + 2, 0, f"Jumlah: {count:,} perjanjian".replace(",", "."), styles["total"])
        ws.repeat_rows(header)
        ws.set_paper(9)  # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&LRekapitulasi perjanjian kerja sama&RHalaman &P dari &N")
        with _zip_level(1):
            workbook.close()
    out.seek(0)
    return out, count


def _read_ahead(agreements, *, chunk_size: int):
    """export_rows(agreements), read on PostgreSQL by a thread with a connection of its own while
    the caller writes the rows before: PostgreSQL's work on the query and the network then
    overlaps the writing instead of adding to it. The thread reads inside a transaction of its
    own: outside one, Django declares its server-side cursor WITH HOLD, which PostgreSQL
    answers by running the whole query (for 100,000 agreements some 2-3 s of joins and
    correlated subqueries: the last report, the distribution, the addenda) before it returns
    the first row, while the writer waits; inside one, each chunk is computed as it is fetched,
    while the writer writes the chunk before. Inside the caller's transaction (where another
    connection would not see its rows, as in tests) and on SQLite (in-process, nothing to
    overlap) the rows are read here, in order, as they are written."""
    connection = connections[agreements.db]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield from export_rows(agreements, chunk_size=chunk_size)
        return
    batches: queue.Queue = queue.Queue(maxsize=4)
    stop = Event()
    language = translation.get_language()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            with translation.override(language), transaction.atomic(using=agreements.db):
                batch = []
                for values in export_rows(agreements, chunk_size=chunk_size):
                    batch.append(values)
                    if len(batch) == chunk_size:
                        if not put(batch):
                            return
                        batch = []
                put(batch) and put(_DONE)
        except BaseException as error:  # handed to the caller, raised there
            put(error)
        finally:
            connections[agreements.db].close()  # this thread's own connection

    reader = Thread(target=read, name="alur-rekap-xlsx", daemon=True)
    reader.start()
    try:
        while (item := batches.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        reader.join()


_DONE = object()


@contextmanager
def _zip_level(level: int):
    """XlsxWriter zips its files at zlib's default level 6, which took a quarter of the time of
    100,000 agreements; level 1 takes a third of that for a file ~25% larger (10 MB, not 8).
    XlsxWriter has no option for it, so its module's ZipFile is given the level while the
    workbook closes. (Another thread's workbook closing at that very moment would be zipped at
    level 1 too: the same file, a little larger.)"""
    original = xlsxwriter.workbook.ZipFile
    xlsxwriter.workbook.ZipFile = functools.partial(original, compresslevel=level)
    try:
        yield
    finally:
        xlsxwriter.workbook.ZipFile = original


# What XlsxWriter's inline-string path changes: control characters and the escapes that look like
# them (_x0041_), XML's special characters. Nearly every row has none, which one search of a
# character class and one of "_x" per row find out (a third of the time of one pattern with both:
# the alternation is tried at every character); a row with "_x" and no escape after it is only
# written the careful way, which is XlsxWriter's own, to the same bytes.
_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]")
_LONG = 16383  # below half of Excel's 32,767 UTF-16 units no string can exceed them


def _text_xml(value: str) -> str:
    if value[0].isspace() or value[-1].isspace():
        return f' xml:space="preserve">{value}</t></is></c>'
    return f">{value}</t></is></c>"


def _date_xml(value: datetime.date) -> str:
    return f"{(value - _EXCEL_EPOCH).days}</v></c>"


def _number_xml(value) -> str:
    return f"{float(value):.16G}</v></c>"


def _count_xml(value: int) -> str:
    return f"{value:.16G}</v></c>"


_CELL_XML = {"text": _text_xml, "date": _date_xml, "number": _number_xml, "count": _count_xml}


class _StreamedWorksheet(Worksheet):
    """XlsxWriter's worksheet with one more way in, for long lists: set_value_columns once, then
    write_values a whole row at a time."""

    def set_value_columns(self, kinds, xfs) -> None:
        """Each column's kind ("text", "count", "number" or "date") and the index of its format
        (Format._get_xf_index())."""
        self._value_cells = [
            (_CELL_XML[kind], f'<c r="{xl_col_to_name(col)}',
             f'" s="{xf}" t="inlineStr"><is><t' if kind == "text" else f'" s="{xf}"><v>')
            for col, (kind, xf) in enumerate(zip(kinds, xfs))]
        self._text_columns = [col for col, kind in enumerate(kinds) if kind == "text"]

    def write_values(self, row: int, values) -> None:
        """Write one row at once, in constant_memory mode, below the rows written before it: text
        as inline strings, numbers, dates (datetime.date) as Excel serial numbers; None and ""
        leave the cell out. The XML is what XlsxWriter's write_string and write_number write."""
        if not self.constant_memory or row <= self.previous_row:
            raise ValueError("write_values writes rows in order, in constant_memory mode")
        cells = self._value_cells
        self._write_single_row(row)  # the row XlsxWriter holds (the header), if any
        if self._check_dimensions(row, 0) or self._check_dimensions(row, len(cells) - 1):
            raise ValueError(f"row {row} is outside the worksheet")
        texts = [values[col] for col in self._text_columns if values[col]]
        joined = "\t".join(texts)
        if _SPECIAL.search(joined) or "_x" in joined or (len(joined) > _LONG and any(len(text) > _LONG for text in texts)):
            values = list(values)
            for col in self._text_columns:
                if values[col]:
                    values[col] = self._careful(values[col])
        number = str(row + 1)
        self.fh.write("".join([f'<row r="{number}">',
                               *[f"{head}{number}{tail}{xml(value)}" for value, (xml, head, tail) in zip(values, cells)
                                 if value is not None and value != ""],
                               "</row>"]))

    def _careful(self, text: str) -> str:
        """A string as XlsxWriter's write_string and _write_cell leave it: cut to Excel's
        length, control characters escaped, then XML's characters."""
        if len(text) > _LONG and _utf16_len(text) > self.xls_strmax:
            text = _utf16_truncate(text, self.xls_strmax)
        return self._escape_data(self._escape_control_characters(text))


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
