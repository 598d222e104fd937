"""XLSX registers as the office would send them, built in the tests."""
from __future__ import annotations

import datetime
import io

from openpyxl import Workbook

HEADERS = ["Nomor", "Nomor Pihak Ketiga", "Jenis", "Judul", "Pihak Ketiga", "Jenis Pihak Ketiga", "Alamat", "OPD",
           "Objek", "Ruang Lingkup", "Urusan", "Nilai", "Tanggal Tanda Tangan", "Tempat", "Penandatangan", "Mulai",
           "Berakhir", "Nomor MoU Induk", "Addendum Atas", "Dasar Hukum"]


def row(**values) -> dict:
    """One agreement's cells by header; a valid PKS unless told otherwise."""
    base = {
        "Nomor": "180/1/PEM/2024", "Jenis": "PKS", "Judul": "PKS Promosi Wisata Bahari",
        "Pihak Ketiga": "PT Pesona Wisata Serumpun", "OPD": "dispar", "Objek": "Promosi pariwisata",
        "Ruang Lingkup": "Promosi bersama", "Urusan": "Pariwisata", "Nilai": 150000000,
        "Tanggal Tanda Tangan": datetime.datetime(2024, 3, 12), "Tempat": "Pangkalpinang", "Penandatangan": "Gubernur",
        "Mulai": datetime.datetime(2024, 3, 15), "Berakhir": datetime.datetime(2026, 3, 14),
    }
    base.update(values)
    return base


def xlsx(rows: list[dict], *, headers: list[str] | None = None, above: list[list] | None = None, sheet: str = "Register") -> bytes:
    """A workbook whose sheet holds `above` (title rows), the header row, then the rows."""
    headers = headers or HEADERS
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for line in above or []:
        worksheet.append(line)
    worksheet.append(headers)
    for values in rows:
        worksheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
