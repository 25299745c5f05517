"""Dates of birth as recorded: parsed leniently and compared for the usual slips.

A date of birth given over the phone is often written day-first by one person and month-first by
another, or has one digit of the year wrong; a caller may give only an age. A value that is not a
calendar date (31 June) is still evidence, so parts are kept as numbers rather than forced into a
`date`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from heard.clock import utcnow

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
EARLIEST_YEAR = 1880


class Dob(NamedTuple):
    year: int
    month: int
    day: int

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _plausible(year: int, month: int, day: int) -> bool:
    # Month may exceed 12 when day and month were swapped on entry; keep it as evidence.
    return EARLIEST_YEAR <= year <= 2100 and 1 <= month <= 31 and 1 <= day <= 31


def parse_dob(raw: str | date | None) -> Dob | None:
    """YYYY-MM-DD, YYYYMMDD or DD/MM/YYYY as parts; None for anything else."""
    if raw is None:
        return None
    if isinstance(raw, date):
        return Dob(raw.year, raw.month, raw.day)
    for pattern, order in ((_ISO, (0, 1, 2)), (_COMPACT, (0, 1, 2)), (_DAY_FIRST, (2, 1, 0))):
        found = pattern.match(raw)
        if found:
            parts = [int(found.group(i + 1)) for i in range(3)]
            year, month, day = (parts[i] for i in order)
            return Dob(year, month, day) if _plausible(year, month, day) else None
    return None


def day_month_swapped(left: Dob, right: Dob) -> bool:
    return (
        left.year == right.year
        and left.day != left.month
        and left.day == right.month
        and left.month == right.day
    )


def one_part_differs(left: Dob, right: Dob) -> bool:
    """Exactly one of year, month and day differs: a slip in one field."""
    same = (left.year == right.year) + (left.month == right.month) + (left.day == right.day)
    return same == 2


def birth_year_from_age(age: int | None, on: date | None) -> int | None:
    """The likelier birth year for someone who gave an age on a date (today when unknown)."""
    if age is None or not 0 <= age <= 120:
        return None
    when = on or utcnow().date()
    # Early in the year most people have not yet had this year's birthday.
    return when.year - age - 1 if when.month < 7 else when.year - age


def ages_compatible(year: int, estimate: int, tolerance: int = 2) -> bool:
    return abs(year - estimate) <= tolerance
