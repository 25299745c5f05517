"""The pilot statistics of one force over a range of months, and their export as a decision."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.audit.service import Actor
from heard.metrics import queries_calls, queries_records
from heard.metrics.measures import MEASURES_BY_ID, Figure
from heard.metrics.periods import MonthRange
from heard.metrics.sql import Scope

QUERIES: tuple[Callable[[Scope], list[Figure]], ...] = (
    queries_calls.da_calls,
    queries_calls.warning_signs,
    queries_calls.grades_lowered,
    queries_calls.repeat_calls,
    queries_records.referrals,
    queries_records.marac,
    queries_records.orders,
    queries_records.breaches,
    queries_records.findings,
)
MEASURE_ORDER = {measure: n for n, measure in enumerate(MEASURES_BY_ID)}


def pilot_statistics(session: Session, *, force_id: int, months: MonthRange) -> list[Figure]:
    """Every figure of every measure for the force, by month; a month with nothing is absent.

    Aggregates only: no person's record is named, so reading them is not audited as a read of
    person data (an export is still recorded as a decision, see `record_export`)."""
    scope = Scope(session, force_id, months)
    found = [figure for query in QUERIES for figure in query(scope)]
    return sorted(found, key=lambda f: (f.month, MEASURE_ORDER[f.measure], f.group))


def record_export(
    session: Session,
    *,
    actor: Actor,
    force_id: int,
    months: MonthRange,
    form: str,
    figures: int,
    reason: str | None,
) -> None:
    """Who took the force's figures out of Heard, which, in what format and why."""
    audit.record(
        session,
        actor=actor,
        action="statistics.export",
        force_id=force_id,
        record_type="force",
        record_id=force_id,
        reason=reason,
        details={
            "format": form,
            "from": str(months.first),
            "to": str(months.last),
            "figures": figures,
        },
    )
