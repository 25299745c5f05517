"""Loading the records that landed after the first loader: warning signs, acknowledgements,
grade changes and the call's own decisions (heard.signals); order duties and breaches
(heard.orders). Each is filed under its call's incident or its order, and goes into a case with
them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.orders.records import Breach, BreachStatus, OrderAlert, OrderDuty
from heard.signals.models import (
    Acknowledgement,
    CallCue,
    CallSignalState,
    GradeChange,
    WarningSign,
)

if TYPE_CHECKING:
    from heard.review.findings.loader import ForceRecords

OUTCOMES = frozenset({BreachStatus.ARRESTED, BreachStatus.CHARGED, BreachStatus.NO_FURTHER_ACTION})
# Cues that say violence happened on this occasion (the detector keeps history and hypotheticals
# out of scope): the incident "involved violence" for the rules.
VIOLENT_CUES = frozenset({"INJURY", "STRANGULATION", "ONGOING_ASSAULT", "SEXUAL_ABUSE"})


def violent_cues(session: Session, force_id: int, out: ForceRecords) -> None:
    query = select(CallCue.call_id).where(
        CallCue.force_id == force_id,
        CallCue.code.in_(sorted(VIOLENT_CUES)),
        *_calls_of(out, CallCue.call_id),
    )
    for call_id in session.scalars(query):
        incident = out.call_incident.get(call_id)
        if incident is not None:
            out.incidents[incident]["violence"] = True


def call_states(session: Session, force_id: int, out: ForceRecords) -> None:
    """The grade a person set and whether the call was decided to be domestic abuse."""
    columns = (CallSignalState.call_id, CallSignalState.grade, CallSignalState.domestic_abuse)
    for call_id, grade, domestic in session.execute(
        select(*columns).where(
            CallSignalState.force_id == force_id, *_calls_of(out, CallSignalState.call_id)
        )
    ):
        doc = out.call_docs.get(call_id)
        if doc is not None:
            doc["grade"] = grade.value if grade else None
            doc["domestic_abuse"] = bool(domestic)


def signals(session: Session, force_id: int, out: ForceRecords) -> None:
    signs = select(
        WarningSign.id,
        WarningSign.call_id,
        WarningSign.code,
        WarningSign.severity,
        WarningSign.raised_at,
        WarningSign.subject_id,
    ).where(WarningSign.force_id == force_id, *_calls_of(out, WarningSign.call_id))
    known: dict[int, int] = {}
    for sid, call_id, code, severity, raised, subject in session.execute(signs):
        incident = out.call_incident.get(call_id)
        if incident is None:
            continue
        person = f"subject:{subject}" if subject is not None else None
        doc: dict[str, Any] = {"id": f"sign:{sid}", "call_id": f"call:{call_id}", "code": code[:64]}
        doc |= {"severity": severity.value, "raised_at": raised}
        doc["person_id"] = person if person in out.people else None
        out.by_incident[incident].append(("warning_signs", doc))
        known[sid] = incident
    acks = select(
        Acknowledgement.id,
        Acknowledgement.warning_sign_id,
        Acknowledgement.acknowledged_at,
        Acknowledgement.action,
        Acknowledgement.reason,
        Acknowledgement.role,
    ).where(Acknowledgement.force_id == force_id, *_calls_of(out, Acknowledgement.call_id))
    for aid, sid, at, action, reason, role in session.execute(acks):
        if sid in known:
            ack = {"id": f"ack:{aid}", "warning_sign_id": f"sign:{sid}", "at": at}
            ack |= {"action": action.value, "reason": _text(reason), "by": role}
            out.by_incident[known[sid]].append(("acknowledgements", ack))
    _grade_changes(session, force_id, out)


def _grade_changes(session: Session, force_id: int, out: ForceRecords) -> None:
    columns = (
        GradeChange.id,
        GradeChange.call_id,
        GradeChange.at,
        GradeChange.kind,
        GradeChange.grade,
        GradeChange.previous_grade,
        GradeChange.status,
        GradeChange.reason,
        GradeChange.by_name,
        GradeChange.decided_by_name,
        GradeChange.decided_at,
    )
    query = select(*columns).where(
        GradeChange.force_id == force_id, *_calls_of(out, GradeChange.call_id)
    )
    for row in session.execute(query):
        gid, call_id, at, kind, grade, previous, status, reason, by, decider, decided = row
        incident = out.call_incident.get(call_id)
        if incident is None:
            continue
        signed = status.value == "signed_off"
        doc: dict[str, Any] = {
            "id": f"grade:{gid}",
            "call_id": f"call:{call_id}",
            "at": at,
            "kind": kind.value,
        }
        doc |= {"grade": grade.value if grade else None, "status": status.value}
        doc |= {"previous_grade": previous.value if previous else None}
        doc |= {"reason": _text(reason), "by": by}
        doc |= {"signed_off_by": decider if signed else None}
        doc |= {"signed_off_at": decided if signed else None}
        out.by_incident[incident].append(("grade_changes", doc))


def order_records(session: Session, force_id: int, out: ForceRecords) -> None:
    """Duties and breaches; a duty's action is someone acting on its alert or its breach."""
    acted: dict[int, datetime] = {}
    alerts = select(OrderAlert.duty_id, OrderAlert.acknowledged_at).where(
        OrderAlert.force_id == force_id,
        OrderAlert.duty_id.is_not(None),
        *_orders_of(out, OrderAlert.order_id),
    )
    for duty_id, at in session.execute(alerts):
        if at is not None and duty_id is not None:
            acted[duty_id] = min(at, acted.get(duty_id, at))
    breaches = select(Breach).where(Breach.force_id == force_id, *_orders_of(out, Breach.order_id))
    for row in session.scalars(breaches):
        _breach(row, out, acted)
    duties = select(
        OrderDuty.id, OrderDuty.order_id, OrderDuty.kind, OrderDuty.due_at, OrderDuty.done_at
    ).where(OrderDuty.force_id == force_id, *_orders_of(out, OrderDuty.order_id))
    for did, order_id, kind, due, done in session.execute(duties):
        doc: dict[str, Any] = {
            "id": f"duty:{did}",
            "order_id": f"order:{order_id}",
            "kind": kind.value,
        }
        doc |= {"due_at": due, "done_at": done, "action_at": acted.get(did)}
        out.by_order[f"order:{order_id}"].append(("order_duties", doc))


def _breach(row: Breach, out: ForceRecords, acted: dict[int, datetime]) -> None:
    outcome_at = row.arrested_at or row.charged_at or row.closed_at
    doc: dict[str, Any] = {"id": f"breach:{row.id}", "order_id": f"order:{row.order_id}"}
    doc |= {"alert_at": row.raised_at, "kind": row.kind.value, "grade": row.grade.value}
    doc |= {"attended_at": row.attended_at}
    doc |= {"outcome": row.status.value if row.status in OUTCOMES else None}
    doc |= {"outcome_at": outcome_at if row.status in OUTCOMES else None}
    out.by_order[f"order:{row.order_id}"].append(("breaches", doc))
    if row.episode_key and row.episode_key.startswith("duty:"):
        # The breach recorded for a missed notification: attending to it is acting on the duty.
        firsts = [t for t in (row.attended_at, row.arrested_at, row.closed_at) if t is not None]
        duty_id = int(row.episode_key.split(":", 1)[1])
        if firsts:
            acted[duty_id] = min(min(firsts), acted.get(duty_id, min(firsts)))


def _calls_of(out: ForceRecords, column: Any) -> list[Any]:
    """A chronology loads the calls of its incidents only; a sweep, every call."""
    return [] if out.scope is None else [column.in_(sorted(out.call_docs))]


def _orders_of(out: ForceRecords, column: Any) -> list[Any]:
    return [] if out.scope is None else [column.in_(sorted(out.scope.orders))]


def _text(value: str | None) -> str | None:
    return value[:2000] if value else value
