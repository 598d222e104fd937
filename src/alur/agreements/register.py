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
119/7/PKS/B.PEM/XI/2026. An office that writes a kind's numbers its own way gives that kind its
own pattern (ALUR_REGISTER_PATTERN_PKS, _MOU, _ADDENDUM), for example
`{klasifikasi}/{urut}/PKS/B.PEM/{bulan_romawi}/{tahun}`. Every pattern holds {urut} and {tahun}
(the running number starts again each year); a pattern several kinds share also holds {jenis};
and no number of one kind may read as a number of another, since each kind counts apart. The
patterns are checked when Alur starts (`check_settings`, from the app's ready()); a wrong one
stops the start with a message naming the variable and what is wrong.

Never repeats, never skips: `take_number` takes the next running number with one conditional
UPDATE ... RETURNING of the year's and kind's counter row, inside the registration's own
transaction. The row stays locked until that transaction ends, so a second registration at the
same moment waits for it and gets the next number; a registration that is refused afterwards
rolls its UPDATE back with everything else, and its number is the next one given. An agreement
entered by hand or imported with a number of the series (`count_past`) moves the counter past
its running number, so the register counts on from the numbers the office already gave.
"""
from __future__ import annotations

import datetime
import re
import string
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from .models import Agreement, RegisterCounter

PLACEHOLDERS = ("klasifikasi", "urut", "jenis", "bulan_romawi", "bulan", "tahun")
REQUIRED = ("urut", "tahun")
KIND_CODES = {Agreement.Kind.PKS: "PKS", Agreement.Kind.MOU: "MoU", Agreement.Kind.ADDENDUM: "ADD"}
KIND_SETTINGS = {Agreement.Kind.PKS: "ALUR_REGISTER_PATTERN_PKS", Agreement.Kind.MOU: "ALUR_REGISTER_PATTERN_MOU",
                 Agreement.Kind.ADDENDUM: "ALUR_REGISTER_PATTERN_ADDENDUM"}
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
NUMBER_LENGTH = Agreement._meta.get_field("number").max_length
# The largest running number the length check assumes: far more than a province signs in a year.
LARGEST_RUNNING = 99999

TABLE = RegisterCounter._meta.db_table


def pattern_setting(kind: str) -> str:
    """The name of the setting the kind's pattern comes from."""
    return KIND_SETTINGS[kind] if getattr(settings, KIND_SETTINGS[kind], "") else "ALUR_REGISTER_PATTERN"


def pattern_for(kind: str) -> str:
    """The pattern the kind's numbers are written in: its own, else the shared one."""
    return getattr(settings, KIND_SETTINGS[kind], "") or settings.ALUR_REGISTER_PATTERN


def format_number(*, kind: str, running: int, on_date: datetime.date, pattern: str | None = None,
                  klasifikasi: str | None = None) -> str:
    """The register number for the running number of a kind, registered on a date."""
    pattern = pattern_for(kind) if pattern is None else pattern
    klasifikasi = settings.ALUR_REGISTER_KLASIFIKASI if klasifikasi is None else klasifikasi
    return pattern.format(klasifikasi=klasifikasi, urut=running, jenis=KIND_CODES[kind],
                          bulan_romawi=ROMAN_MONTHS[on_date.month - 1], bulan=on_date.month, tahun=on_date.year)


def pattern_problem(pattern: str, *, klasifikasi: str = "119", shared: bool = True) -> str:
    """What is wrong with a pattern, in words ('' when nothing is). `shared`: several kinds'
    numbers are written with it, so it must name the kind."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:  # a lone { or }
        return f"tidak dapat dibaca ({exc}); tulis kurung kurawal hanya di sekitar nama isian, misalnya {{urut}}"
    for name in fields:
        if name not in PLACEHOLDERS:
            shown = "{" + name + "}" if name else "{}"
            return f"isian {shown} tidak dikenal; yang dikenal: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
    missing = [name for name in REQUIRED + (("jenis",) if shared else ()) if name not in fields]
    if missing:
        why = "nomor urut dihitung per tahun dan per jenis perjanjian, jadi tanpa {urut} dan {tahun}"
        if "jenis" in missing and not set(missing) & set(REQUIRED):
            why = ("pola ini dipakai lebih dari satu jenis perjanjian dan tiap jenis dihitung sendiri, jadi tanpa {jenis} "
                   "(atau pola sendiri per jenis, ALUR_REGISTER_PATTERN_PKS/_MOU/_ADDENDUM)")
        return f"harus memuat {', '.join('{' + m + '}' for m in missing)}: {why} dua perjanjian akan bernomor sama"
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
    """Refuse to start with patterns or a classification that cannot make register numbers."""
    klasifikasi = settings.ALUR_REGISTER_KLASIFIKASI
    if not klasifikasi.strip():
        raise ImproperlyConfigured("ALUR_REGISTER_KLASIFIKASI tidak boleh kosong.")
    users = {}  # setting -> the kinds whose numbers it writes
    for kind in KIND_CODES:
        users.setdefault(pattern_setting(kind), []).append(kind)
    for setting, kinds in users.items():
        pattern = getattr(settings, setting)
        problem = pattern_problem(pattern, klasifikasi=klasifikasi, shared=len(kinds) > 1)
        if problem:
            raise ImproperlyConfigured(f"{setting}={pattern!r}: {problem}.")
    for kind in KIND_CODES:
        for other in KIND_CODES:
            if other != kind and (sample := _reads_as(kind, other)):
                raise ImproperlyConfigured(
                    f"{pattern_setting(kind)}={pattern_for(kind)!r} dan {pattern_setting(other)}={pattern_for(other)!r}: "
                    f"nomor {KIND_CODES[kind]} {sample} terbaca juga sebagai nomor {KIND_CODES[other]}; "
                    "bedakan polanya, misalnya dengan {jenis}.")


def _reads_as(kind: str, other: str) -> str:
    """A number of `kind` that `other`'s pattern also reads ('' when none of the samples does)."""
    for running in (1, 7, 12, 123, 2026):
        for day in (datetime.date(2026, 1, 5), datetime.date(2026, 11, 26), datetime.date(2031, 12, 1)):
            number = format_number(kind=kind, running=running, on_date=day)
            if running_of(number, other) is not None:
                return number
    return ""


# --- reading a number back ----------------------------------------------------------------------------

_FIELD_PATTERNS = {
    "urut": r"(?P<urut>\d+)",
    "tahun": r"(?P<tahun>\d{4})",
    "bulan": r"\d{1,2}",
    # Longest first, so that XII is not read as XI followed by I.
    "bulan_romawi": "(?:" + "|".join(sorted(ROMAN_MONTHS, key=len, reverse=True)) + ")",
}


@cache
def _number_regex(pattern: str, klasifikasi: str, code: str) -> re.Pattern:
    parts, seen = [], set()
    for literal, name, _spec, _conversion in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name in seen and name in ("urut", "tahun"):
            parts.append(f"(?P={name})")  # written twice, the same both times
        elif name == "klasifikasi":
            parts.append(re.escape(klasifikasi))
        elif name == "jenis":
            parts.append(re.escape(code))
        else:
            parts.append(_FIELD_PATTERNS[name])
        seen.add(name)
    return re.compile("".join(parts), re.IGNORECASE)


def running_of(number: str, kind: str) -> tuple[int, int] | None:
    """(year, running number) of a number written in the kind's pattern; None for a number that
    is not (an older scheme, another office's)."""
    match = _number_regex(pattern_for(kind), settings.ALUR_REGISTER_KLASIFIKASI, KIND_CODES[kind]).fullmatch(number.strip())
    return (int(match["tahun"]), int(match["urut"])) if match else None


def count_past(*, kind: str, number: str) -> None:
    """Move the year's and kind's counter past the running number of a number entered by hand or
    imported, when the number is one of the series; run in the transaction that writes it."""
    found = running_of(number, kind) if kind in KIND_CODES and number else None
    if found is None:
        return
    year, running = found
    last = connection.ops.quote_name("last")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (year, kind, {last}) VALUES (%s, %s, %s) ON CONFLICT (year, kind) DO UPDATE"
                       f" SET {last} = CASE WHEN excluded.{last} > {TABLE}.{last} THEN excluded.{last} ELSE {TABLE}.{last} END",
                       [year, kind, running])


def count_back(*, kind: str, number: str) -> None:
    """A number of the series corrected away (a typing mistake such as 119/900/... for
    119/9/...): when it was the counter's last, bring the counter back to the highest running
    number the register still holds or registration ever gave in that year and kind, so the
    mistake makes the register skip nothing. Registration's own numbers are read from its audit
    events, since one of them may have been corrected away too and must never be given again."""
    from alur.workflow.models import AuditEvent

    found = running_of(number, kind) if kind in KIND_CODES and number else None
    if found is None:
        return
    year, running = found
    last = connection.ops.quote_name("last")
    with connection.cursor() as cursor:
        # Under the counter's lock, as registration takes it: nobody counts on meanwhile.
        cursor.execute(f"UPDATE {TABLE} SET {last} = {last} WHERE year = %s AND kind = %s RETURNING {last}", [year, kind])
        row = cursor.fetchone()
        if row is None or row[0] != running:
            return
        held = Agreement.objects.filter(kind=kind, number__isnull=False).values_list("number", flat=True)
        given = (event["number"] for event in AuditEvent.objects.filter(action="agreement.registered")
                 .values_list("data", flat=True) if event.get("kind") == kind and event.get("number"))
        highest = max((r for y, r in filter(None, (running_of(n, kind) for n in (*held, *given))) if y == year), default=0)
        cursor.execute(f"UPDATE {TABLE} SET {last} = %s WHERE year = %s AND kind = %s", [highest, year, kind])


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
