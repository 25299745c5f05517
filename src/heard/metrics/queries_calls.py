"""Calls: domestic abuse calls, specialist review, warning signs, grades lowered, repeat calls."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from heard.incidents.models import Call, Incident, Involvement, Role
from heard.metrics.measures import Figure
from heard.metrics.sql import Scope, medians
from heard.people.models import PersonRecord
from heard.review.models import DaReview
from heard.signals.grading import GRADE_RANK
from heard.signals.models import (
    AckAction,
    Acknowledgement,
    CallSignalState,
    ChangeKind,
    ChangeStatus,
    GradeChange,
    WarningSign,
)

REPEAT_WINDOW = timedelta(days=365)


def _is_domestic_abuse() -> ColumnElement[bool]:
    return or_(Incident.is_domestic_abuse.is_(True), CallSignalState.domestic_abuse.is_(True))


def da_calls(scope: Scope) -> list[Figure]:
    """Calls, the share a specialist reviewed, and how long review took."""
    month = scope.month(Call.received_at)
    base = (
        select(
            month,
            func.count(Call.id),
            func.count(DaReview.reviewed_at),
        )
        .outerjoin(Incident, Incident.id == Call.incident_id)
        .outerjoin(CallSignalState, CallSignalState.call_id == Call.id)
        .outerjoin(DaReview, DaReview.call_id == Call.id)
        .where(Call.force_id == scope.force_id, scope.within(Call.received_at))
        .where(_is_domestic_abuse())
        .group_by(month)
    )
    found: list[Figure] = []
    for key, calls, reviewed in scope.session.execute(base):
        found.append(Figure(key, "da_calls", "", float(calls)))
        found.append(Figure(key, "da_calls_reviewed", "", float(reviewed)))
        found.append(
            Figure(key, "da_calls_reviewed_percent", "", round(100.0 * reviewed / calls, 1))
        )
    times = (
        select(Call.received_at, DaReview.reviewed_at)
        .join(DaReview, DaReview.call_id == Call.id)
        .where(Call.force_id == scope.force_id, scope.within(Call.received_at))
        .where(DaReview.reviewed_at.is_not(None))
    )
    found += medians(
        scope.session.execute(times).all(), measure="review_minutes_median", unit_seconds=60
    )
    return found


def warning_signs(scope: Scope) -> list[Figure]:
    month = scope.month(WarningSign.raised_at)
    query = (
        select(
            month,
            func.count(WarningSign.id),
            func.count(Acknowledgement.id),
            func.count(case((Acknowledgement.action == AckAction.NOT_RELEVANT, 1))),
        )
        .outerjoin(Acknowledgement, Acknowledgement.warning_sign_id == WarningSign.id)
        .where(WarningSign.force_id == scope.force_id, scope.within(WarningSign.raised_at))
        .group_by(month)
    )
    found: list[Figure] = []
    for key, raised, acknowledged, not_relevant in scope.session.execute(query):
        found.append(Figure(key, "warning_signs_raised", "", float(raised)))
        found.append(Figure(key, "warning_signs_acknowledged", "", float(acknowledged)))
        found.append(Figure(key, "warning_signs_not_relevant", "", float(not_relevant)))
    times = (
        select(WarningSign.raised_at, Acknowledgement.acknowledged_at)
        .join(Acknowledgement, Acknowledgement.warning_sign_id == WarningSign.id)
        .where(WarningSign.force_id == scope.force_id, scope.within(WarningSign.raised_at))
    )
    found += medians(
        scope.session.execute(times).all(), measure="acknowledge_seconds_median", unit_seconds=1
    )
    return found


def grades_lowered(scope: Scope) -> list[Figure]:
    """A person's grade below the one before; a call-back is counted by its own rule, not here."""
    rank_now = case({g.value: r for g, r in GRADE_RANK.items()}, value=GradeChange.grade)
    rank_before = case(
        {g.value: r for g, r in GRADE_RANK.items()}, value=GradeChange.previous_grade
    )
    month = scope.month(GradeChange.at)
    signed_off = case((GradeChange.status == ChangeStatus.SIGNED_OFF, 1))
    query = (
        select(month, func.count(GradeChange.id), func.count(signed_off))
        .where(GradeChange.force_id == scope.force_id, scope.within(GradeChange.at))
        .where(GradeChange.kind == ChangeKind.SET, GradeChange.previous_grade.is_not(None))
        .where(rank_now < rank_before)
        .group_by(month)
    )
    found: list[Figure] = []
    for key, lowered, signed in scope.session.execute(query):
        found.append(Figure(key, "grades_lowered", "", float(lowered)))
        found.append(Figure(key, "grades_lowered_signed_off", "", float(signed)))
    return found


def _repeats(calls: list[tuple[datetime, int, int | None]]) -> dict[int, datetime]:
    """Calls (time, call, incident) of one victim that had a call about another incident within
    the window before them; a second call about the same incident is the same event."""
    calls.sort()
    found: dict[int, datetime] = {}
    for index, (at, call_id, incident_id) in enumerate(calls):
        for earlier, _, earlier_incident in reversed(calls[:index]):
            if at - earlier > REPEAT_WINDOW:
                break
            if earlier_incident != incident_id:
                found[call_id] = at
                break
    return found


def repeat_calls(scope: Scope) -> list[Figure]:
    """Calls about a victim who was the victim of another domestic abuse incident (not this one)
    in the year before.

    A victim is the force's resolved person (the subject), or the record when it is not linked,
    so two records of one linked person count as one victim."""
    victim = func.coalesce(PersonRecord.subject_id * 2, PersonRecord.id * 2 + 1)
    query = (
        select(Call.id, Call.received_at, Call.incident_id, victim)
        .outerjoin(Incident, Incident.id == Call.incident_id)
        .outerjoin(CallSignalState, CallSignalState.call_id == Call.id)
        .join(
            Involvement,
            and_(Involvement.incident_id == Call.incident_id, Involvement.role == Role.VICTIM),
        )
        .join(PersonRecord, PersonRecord.id == Involvement.person_record_id)
        .where(Call.force_id == scope.force_id, _is_domestic_abuse())
        .where(Call.received_at >= scope.months.start - REPEAT_WINDOW)
        .where(Call.received_at < scope.months.end)
    )
    calls_of: dict[int | None, set[tuple[datetime, int, int | None]]] = defaultdict(set)
    for call_id, received_at, incident_id, person in scope.session.execute(query):
        calls_of[person].add((received_at, call_id, incident_id))
    repeats: dict[int, datetime] = {}
    for calls in calls_of.values():
        repeats.update(_repeats(sorted(calls)))
    by_month: dict[str, int] = defaultdict(int)
    for at in repeats.values():
        if scope.months.start <= at < scope.months.end:
            by_month[f"{at.year:04d}-{at.month:02d}"] += 1
    return [Figure(m, "repeat_da_calls_12m", "", float(n)) for m, n in sorted(by_month.items())]
