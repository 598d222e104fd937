"""The register number of an agreement: written from a pattern the office configures, around a
running number (urut) counted per year and kind of agreement.

The pattern (ALUR_REGISTER_PATTERN) knows these placeholders:

    {klasifikasi}   the archive classification code, ALUR_REGISTER_KLASIFIKASI (default 119)
    {urut}          the running number of the year and kind: 1, 2, ... 123, written unpadded;
                    {urut:03} pads it with zeros to three digits (001 ... 999, then 1000)
    {jenis}         the kind: PKS, MoU or ADD (addendum)
    {bulan_romawi}  the month of registration in Roman numerals: I ... XII
    {bulan}         the month as a number: 1 ... 12 ({bulan:02} for 01 ... 12)
    {tahun}         the year of registration: 2026

The default, `{klasifikasi}/{urut}/{jenis}/B.PEM/{bulan_romawi}/{tahun}`, gives
119/7/PKS/B.PEM/XI/2026. A pattern must hold {urut}, {jenis} and {tahun}: the running number
starts again each year and counts each kind apart, so without all three two agreements would get
the same number. The pattern is checked when Alur starts (`check_settings`, from the app's
ready()); a wrong one stops the start with a message naming the variable and what is wrong.

Never repeats, never skips: `take_number` takes the next running number with one conditional
UPDATE ... RETURNING of the year's and kind's counter row, inside the registration's own
transaction. The row stays locked until that transaction ends, so a second registration at the
same moment waits for it and gets the next number; a registration that is refused afterwards
rolls its UPDATE back with everything else, and its number is the next one given.
"""
from __future__ import annotations

import datetime
import string

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from .models import Agreement, RegisterCounter

PLACEHOLDERS = ("klasifikasi", "urut", "jenis", "bulan_romawi", "bulan", "tahun")
REQUIRED = ("urut", "jenis", "tahun")
KIND_CODES = {Agreement.Kind.PKS: "PKS", Agreement.Kind.MOU: "MoU", Agreement.Kind.ADDENDUM: "ADD"}
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
NUMBER_LENGTH = Agreement._meta.get_field("number").max_length
# The largest running number the length check assumes: far more than a province signs in a year.
LARGEST_RUNNING = 99999

TABLE = RegisterCounter._meta.db_table


def format_number(*, kind: str, running: int, on_date: datetime.date, pattern: str | None = None,
                  klasifikasi: str | None = None) -> str:
    """The register number for the running number of a kind, registered on a date."""
    pattern = settings.ALUR_REGISTER_PATTERN if pattern is None else pattern
    klasifikasi = settings.ALUR_REGISTER_KLASIFIKASI if klasifikasi is None else klasifikasi
    return pattern.format(klasifikasi=klasifikasi, urut=running, jenis=KIND_CODES[kind],
                          bulan_romawi=ROMAN_MONTHS[on_date.month - 1], bulan=on_date.month, tahun=on_date.year)


def pattern_problem(pattern: str, *, klasifikasi: str = "119") -> str:
    """What is wrong with a pattern, in words ('' when nothing is)."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:  # a lone { or }
        return f"tidak dapat dibaca ({exc}); tulis kurung kurawal hanya di sekitar nama isian, misalnya {{urut}}"
    for name in fields:
        if name not in PLACEHOLDERS:
            shown = "{" + name + "}" if name else "{}"
            return f"isian {shown} tidak dikenal; yang dikenal: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        return (f"harus memuat {', '.join('{' + m + '}' for m in missing)}: nomor urut dihitung per tahun dan per "
                "jenis perjanjian, jadi tanpa {urut}, {jenis} dan {tahun} dua perjanjian akan bernomor sama")
    longest = ""
    for kind in KIND_CODES:
        for month in range(1, 13):
            try:
                number = format_number(kind=kind, running=LARGEST_RUNNING, on_date=datetime.date(2026, month, 1),
                                       pattern=pattern, klasifikasi=klasifikasi)
            except (ValueError, TypeError) as exc:  # a format the value cannot take, e.g. {jenis:03}
                return f"tidak dapat ditulis: {exc}"
            longest = max(longest, number, key=len)
    if len(longest) > NUMBER_LENGTH:
        return f"menghasilkan nomor sepanjang {len(longest)} karakter ({longest}); paling panjang {NUMBER_LENGTH}"
    return ""


def check_settings() -> None:
    """Refuse to start with a pattern or classification that cannot make register numbers."""
    klasifikasi = settings.ALUR_REGISTER_KLASIFIKASI
    if not klasifikasi.strip():
        raise ImproperlyConfigured("ALUR_REGISTER_KLASIFIKASI tidak boleh kosong.")
    problem = pattern_problem(settings.ALUR_REGISTER_PATTERN, klasifikasi=klasifikasi)
    if problem:
        raise ImproperlyConfigured(f"ALUR_REGISTER_PATTERN={settings.ALUR_REGISTER_PATTERN!r}: {problem}.")


def take_number(*, kind: str, on_date: datetime.date) -> str:
    """The next register number of the kind in the year of `on_date`, taken in the caller's
    transaction (it must be in one: the number is given back if that transaction rolls back)."""
    if kind not in KIND_CODES:
        raise ValueError(f"unknown kind of agreement: {kind!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction of the registration it numbers")
    return format_number(kind=kind, running=_next_running(year=on_date.year, kind=kind), on_date=on_date)


def _next_running(*, year: int, kind: str) -> int:
    last = connection.ops.quote_name("last")
    with connection.cursor() as cursor:
        for _ in range(2):
            # Locks the counter row until the transaction ends: a concurrent registration of the
            # same year and kind waits here, then counts on from the committed value.
            cursor.execute(f"UPDATE {TABLE} SET {last} = {last} + 1 WHERE year = %s AND kind = %s RETURNING {last}",
                           [year, kind])
            row = cursor.fetchone()
            if row is not None:
                return row[0]
            # The year's first number of this kind: create its counter once, whoever gets there
            # first (a racer waits for the other's insert and then finds the row).
            cursor.execute(f"INSERT INTO {TABLE} (year, kind, {last}) VALUES (%s, %s, 0) ON CONFLICT (year, kind) DO NOTHING",
                           [year, kind])
    raise RuntimeError(f"the register counter of {year} {kind} could not be created")
