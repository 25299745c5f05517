"""What every query of the pilot statistics shares: the month of a row, counts, medians."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, and_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from heard.metrics.measures import Figure
from heard.metrics.periods import MonthRange, month_key


@dataclass(frozen=True)
class Scope:
    """One force over one range of months, on one kind of database."""

    session: Session
    force_id: int
    months: MonthRange

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def month(self, column: Any) -> ColumnElement[str]:
        return month_key(column, self.dialect)

    def within(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.months.start, column < self.months.end)


def counted(scope: Scope, query: Executable, measure: str) -> list[Figure]:
    """Rows of (month, group, count) from a GROUP BY query, as figures."""
    return [
        Figure(str(month), measure, str(group or ""), float(n))
        for month, group, n in scope.session.execute(query)
        if n
    ]


def medians(
    rows: Iterable[tuple[datetime, datetime | None]], *, measure: str, unit_seconds: float
) -> list[Figure]:
    """The median time from the first to the second moment, per month of the first.

    Medians, not means: a handful of cases left open for days would otherwise hide how long
    most took. Pairs with no second moment (not done yet) do not count."""
    by_month: dict[str, list[float]] = defaultdict(list)
    for start, end in rows:
        if end is not None and end >= start:
            by_month[f"{start.year:04d}-{start.month:02d}"].append(
                (end - start).total_seconds() / unit_seconds
            )
    return [
        Figure(month, measure, "", round(statistics.median(values), 1))
        for month, values in sorted(by_month.items())
    ]
