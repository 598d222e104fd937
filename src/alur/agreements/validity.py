"""How long an agreement may run: at most five years, ending after it starts, unless an
authorised person records the legal basis for the exception (who: `may_record_legal_basis`)."""
from __future__ import annotations

import datetime

from alur.workflow.errors import InvalidInput, NotAllowed

from .selectors import may_record_legal_basis

MAX_YEARS = 5


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def check_validity(*, starts_on: datetime.date, ends_on: datetime.date, legal_basis: str = "", actor=None) -> str:
    """Refuse a period that is too long or inverted, unless a legal basis is given by someone who
    may record it. Returns the legal basis to keep ('' when none was needed)."""
    problems = []
    if ends_on < starts_on:
        problems.append(f"tanggal berakhir ({ends_on:%d-%m-%Y}) sebelum tanggal mulai ({starts_on:%d-%m-%Y})")
    elif ends_on > add_years(starts_on, MAX_YEARS):
        problems.append(f"jangka waktu {starts_on:%d-%m-%Y} sampai {ends_on:%d-%m-%Y} melebihi {MAX_YEARS} tahun")
    legal_basis = " ".join((legal_basis or "").split())
    if not problems:
        return ""
    if not legal_basis:
        raise InvalidInput(f"Jangka waktu tidak dapat diterima: {problems[0]}. Catat dasar hukum pengecualiannya "
                           "(oleh Karo Pemerintahan) atau perbaiki tanggalnya.")
    if not may_record_legal_basis(actor):
        raise NotAllowed(f"Jangka waktu di luar ketentuan ({problems[0]}) hanya dapat dicatat oleh Karo Pemerintahan "
                         "dengan dasar hukumnya.")
    return legal_basis
