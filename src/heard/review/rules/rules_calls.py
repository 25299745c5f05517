"""Rules over calls and their handling: repeat calls, lowered grades, call-backs, attendance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from heard.review.rules.case import (
    GRADE_RANK,
    SEVERITY_RANK,
    Attendance,
    Call,
    ChangeKind,
    ChangeStatus,
    Grade,
    GradeChange,
    Incident,
)
from heard.review.rules.config import (
    AttendanceSettings,
    CallBackSettings,
    LoweredGradeSettings,
    RepeatDaSettings,
)
from heard.review.rules.findings import Draft, unique
from heard.review.rules.index import CaseIndex

# A rejected or superseded change never stood, so it cannot have been the missed opportunity.
STOOD = frozenset({ChangeStatus.RECORDED, ChangeStatus.PENDING, ChangeStatus.SIGNED_OFF})


def _acted_on(ix: CaseIndex, call: Call, arrest_within: timedelta) -> bool:
    """Positive action: an arrest for the call's incident or of its suspect soon after, or a
    recorded reason for not arresting."""
    incident = ix.call_incident(call)
    if incident and (ix.incident_arrested(incident) or incident.no_arrest_reason):
        return True
    suspects = ix.call_suspects(call)
    return any(
        ix.among(ix.who(arrest.person_id), suspects)
        and call.received_at <= arrest.at <= call.received_at + arrest_within
        for arrest in ix.case.arrests
    )


def repeat_da_no_positive_action(ix: CaseIndex, s: RepeatDaSettings) -> Iterator[Draft]:
    window, arrest_within = timedelta(days=s.window_days), timedelta(hours=s.arrest_within_hours)
    for victim in ix.victims():
        calls = sorted(
            (c for c in ix.case.calls if ix.call_is_da(c) and ix.among(victim, ix.call_victims(c))),
            key=lambda c: (c.received_at, c.id),
        )
        run: list[Call] = []
        for call in calls:
            if _acted_on(ix, call, arrest_within):
                run = []
                continue
            run = [c for c in run if call.received_at - c.received_at <= window] + [call]
            suspects = unique(p for c in run for p in ix.call_suspects(c))
            if len(run) >= s.min_calls and suspects:
                evidence = unique(x for c in run for x in (c.id, c.incident_id))
                yield Draft(
                    at=call.received_at,
                    evidence=evidence,
                    # The ids as recorded, not the one standing for them all (identity.py).
                    about=unique(
                        [v for c in run for v in ix.call_victims(c) if ix.who(v) == victim]
                        + list(suspects)
                    ),
                    summary=f"{len(run)} domestic abuse calls within {s.window_days:g} days with "
                    "no arrest and no recorded reason for not arresting",
                )
                run = []


def _lowered(change: GradeChange) -> bool:
    return (
        change.kind is ChangeKind.SET
        and change.status in STOOD
        and change.grade is not None
        and change.previous_grade is not None
        and GRADE_RANK[change.grade] > GRADE_RANK[change.previous_grade]
    )


def lowered_grade_then_violence(ix: CaseIndex, s: LoweredGradeSettings) -> Iterator[Draft]:
    within = timedelta(hours=s.within_hours)
    for change in sorted(ix.case.grade_changes, key=lambda g: (g.at, g.id)):
        if not _lowered(change):
            continue
        call = ix.calls[change.call_id]
        own = ix.call_incident(call)
        victims = ix.call_victims(call)
        violent: list[Incident] = [own] if own and own.violence else []
        violent += [
            incident
            for victim in victims
            for incident in ix.incidents_of_victim(victim)
            if incident.violence
            and incident is not own
            and change.at <= incident.opened_at <= change.at + within
        ]
        if not violent:
            continue
        signed = "signed off" if change.status is ChangeStatus.SIGNED_OFF else "not signed off"
        yield Draft(
            at=change.at,
            evidence=unique((change.id, call.id, *(i.id for i in violent))),
            about=unique((*victims, *ix.call_suspects(call))),
            summary=f"grade lowered from {change.previous_grade} to {change.grade} ({signed}); "
            "the call turned out to involve violence",
        )


def _promised_at(ix: CaseIndex, call: Call, s: CallBackSettings) -> tuple[datetime, str] | None:
    for change in sorted(ix.changes_by_call.get(call.id, []), key=lambda g: (g.at, g.id)):
        if change.kind is ChangeKind.CALL_BACK and change.status in STOOD:
            return change.at, change.id
    if call.disposition and call.disposition.strip().lower() in s.dispositions:
        return call.closed_at or call.received_at, call.id
    return None


def _attendances(ix: CaseIndex, call: Call) -> list[Attendance]:
    found = [a for a in ix.case.attendances if a.call_id == call.id]
    if call.incident_id:
        found += [a for a in ix.attendances_by_incident.get(call.incident_id, []) if a not in found]
    return found


def call_back_with_risk_signals(ix: CaseIndex, s: CallBackSettings) -> Iterator[Draft]:
    limit = SEVERITY_RANK[s.min_signal_severity]
    within = timedelta(hours=s.attended_within_hours)
    for call in sorted(ix.case.calls, key=lambda c: (c.received_at, c.id)):
        promise = _promised_at(ix, call, s)
        signs = [x for x in ix.signs_by_call.get(call.id, []) if SEVERITY_RANK[x.severity] <= limit]
        if promise is None or not signs:
            continue
        deadline = call.received_at + within
        if ix.as_of <= deadline:
            continue
        arrivals = [a.arrived_at for a in _attendances(ix, call) if a.arrived_at]
        if any(arrived <= deadline for arrived in arrivals):
            continue
        codes = ", ".join(sorted({x.code for x in signs}))
        yield Draft(
            at=promise[0],
            evidence=unique((call.id, promise[1], *(x.id for x in signs), call.incident_id)),
            about=unique((*ix.call_victims(call), *ix.call_suspects(call))),
            summary=f"a call-back was promised instead of attendance on a call showing {codes}",
        )


def _target_minutes(s: AttendanceSettings, grade: Grade | None, rural: bool) -> float | None:
    if grade is Grade.EMERGENCY:
        return s.rural_emergency_minutes if rural else s.emergency_minutes
    if grade is Grade.PRIORITY:
        return s.priority_minutes
    if grade is Grade.SCHEDULED:
        return s.scheduled_minutes
    return None


def attendance_beyond_target(ix: CaseIndex, s: AttendanceSettings) -> Iterator[Draft]:
    for incident in sorted(ix.case.incidents, key=lambda i: (i.opened_at, i.id)):
        sent = ix.attendances_by_incident.get(incident.id, [])
        calls = sorted(ix.calls_by_incident.get(incident.id, []), key=lambda c: c.received_at)
        first = calls[0] if calls else None
        domestic = incident.domestic_abuse or any(c.domestic_abuse for c in calls)
        if not sent or (s.domestic_abuse_only and not domestic):
            continue
        grade = (first.grade if first else None) or incident.grade
        target = _target_minutes(s, grade, any(a.rural for a in sent))
        if target is None:
            continue
        start = first.received_at if first else incident.opened_at
        deadline = start + timedelta(minutes=target * s.factor)
        arrivals = [a.arrived_at for a in sent if a.arrived_at]
        if min(arrivals, default=ix.as_of) <= deadline:
            continue
        took = (min(arrivals) - start) if arrivals else None
        words = f"took {took.total_seconds() / 60:.0f} minutes" if took else "never arrived"
        yield Draft(
            at=deadline,
            evidence=unique((incident.id, first.id if first else None, *(a.id for a in sent))),
            about=unique((*incident.victim_ids, *incident.suspect_ids)),
            summary=f"attendance on a {grade} incident {words}; the target is {target:g} minutes",
        )
