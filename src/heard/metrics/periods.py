"""Calendar months (UTC), the unit of the pilot statistics, and the SQL naming a row's month."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

from heard import errors

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
LONGEST_RANGE_MONTHS = 240  # twenty years: a pilot's whole history, never an unbounded scan


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, *, field: str = "month") -> Month:
        found = MONTH_PATTERN.match(text.strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise errors.Invalid(
                f"{field} must be a month written YYYY-MM, not {text!r}",
                errors=[{"field": field, "message": "expected YYYY-MM"}],
            )
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, moment: datetime) -> Month:
        at = moment.astimezone(UTC)
        return cls(at.year, at.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def minus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)

    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class MonthRange:
    """From the first day of `first` to the end of `last`, both included."""

    first: Month
    last: Month

    @classmethod
    def parse(cls, first: str, last: str) -> MonthRange:
        found = cls(Month.parse(first, field="from"), Month.parse(last, field="to"))
        months = len(found.months())
        if found.last < found.first or months > LONGEST_RANGE_MONTHS:
            raise errors.Invalid(
                f"the range must run forwards and cover at most {LONGEST_RANGE_MONTHS} months",
                errors=[{"field": "to", "message": "range too long or backwards"}],
            )
        return found

    @property
    def start(self) -> datetime:
        return self.first.start()

    @property
    def end(self) -> datetime:
        return self.last.next().start()

    def months(self) -> list[Month]:
        found: list[Month] = []
        month = self.first
        while month <= self.last and len(found) <= LONGEST_RANGE_MONTHS:
            found.append(month)
            month = month.next()
        return found


def month_key(column: Any, dialect: str) -> ColumnElement[str]:
    """`YYYY-MM` of a UTC timestamp column, in the database's own words.

    SQLite holds the UTC time as text; PostgreSQL's timestamptz is turned to UTC first, so the
    month never depends on the session's time zone."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(func.timezone("UTC", column), "YYYY-MM")
