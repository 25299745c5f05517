"""Clocks and duties on orders: DAPN deadlines, DAPO notification, positive requirements.

Each duty is a row with its deadline from `heard.orders.clocks`, and a durable job enqueued in the
same transaction to run at that deadline (`orders.duty_due`, handled in `heard.orders.jobs`): a
duty still open then becomes overdue, the order manager is alerted, and a missed notification is
recorded as a breach. A restart loses nothing, because the job is in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.jobs import service as jobs
from heard.orders import alerts, clocks
from heard.orders import conditions as conds
from heard.orders.models import Order, OrderType
from heard.orders.records import (
    DUTY_TRANSITIONS,
    ComplianceReport,
    DutyKind,
    DutyStatus,
    OrderAlertKind,
    OrderDuty,
)
from heard.orders.schemas import ComplianceReportIn, DutyDoneIn, NotificationChangeIn

DUTY_DUE_JOB = "orders.duty_due"
CHANGE_TRIGGERS = {
    "new_name": "a new name used",
    "address_change": "a change of home address",
    "homeless": "ceasing to have a home address",
}


def _add(
    session: Session,
    *,
    order: Order,
    kind: DutyKind,
    trigger: str,
    triggered_at: datetime,
    due_at: datetime,
    requirement_id: str | None = None,
) -> OrderDuty:
    duty = OrderDuty(
        force_id=order.force_id,
        order_id=order.id,
        kind=kind,
        trigger=trigger,
        triggered_at=triggered_at,
        due_at=due_at,
        status=DutyStatus.OPEN,
        requirement_id=requirement_id,
    )
    session.add(duty)
    session.flush()
    jobs.enqueue(
        session,
        force_id=order.force_id,
        kind=DUTY_DUE_JOB,
        payload={"duty_id": duty.id},
        run_after=due_at,
        dedupe_key=f"duty:{duty.id}",
    )
    return duty


def open_for_order(session: Session, *, order: Order) -> None:
    """The duties an order brings when it comes into force."""
    if order.order_type is OrderType.DAPN:
        _add(
            session,
            order=order,
            kind=DutyKind.DAPN_HEARING,
            trigger="DAPN given: the DAPO application must be heard",
            triggered_at=order.made_at,
            due_at=clocks.dapn_hearing_deadline(order.made_at),
        )
    conditions = order.conditions or {}
    if order.order_type is OrderType.DAPO:
        _add(
            session,
            order=order,
            kind=DutyKind.NOTIFICATION_INITIAL,
            trigger="DAPO made: every name used and the home address",
            triggered_at=order.made_at,
            due_at=clocks.dapo_initial_notification_deadline(order.made_at),
        )
    elif conditions.get("notification_duty") and order.served_at is not None:
        _initial_after_service(session, order=order)
    replan_requirements(session, order=order)


def _initial_after_service(session: Session, *, order: Order) -> None:
    assert order.served_at is not None
    _add(
        session,
        order=order,
        kind=DutyKind.NOTIFICATION_INITIAL,
        trigger="order served: name and home address",
        triggered_at=order.served_at,
        due_at=clocks.notification_deadline(order.served_at),
    )


def served(session: Session, *, order: Order) -> None:
    """Orders other than DAPOs whose notification duty runs from service (e.g. an SPO)."""
    if order.order_type is OrderType.DAPO or not (order.conditions or {}).get("notification_duty"):
        return
    if not any(d.kind is DutyKind.NOTIFICATION_INITIAL for d in for_order(session, order=order)):
        _initial_after_service(session, order=order)


def replan_requirements(session: Session, *, order: Order) -> None:
    """One duty per positive-requirement due date; dates dropped by a variation are cancelled."""
    wanted = set(conds.due_dates(order.conditions or {}))
    existing = [
        d for d in for_order(session, order=order) if d.kind is DutyKind.POSITIVE_REQUIREMENT
    ]
    have = {(d.requirement_id, d.due_at): d for d in existing}
    for (requirement_id, due), duty in have.items():
        if (requirement_id, due) not in wanted and duty.status is DutyStatus.OPEN:
            duty.status = DUTY_TRANSITIONS.check(duty.status, DutyStatus.CANCELLED)
            duty.note = "no longer required after a variation"
    for requirement_id, due in sorted(wanted - set(have), key=lambda w: w[1]):
        _add(
            session,
            order=order,
            kind=DutyKind.POSITIVE_REQUIREMENT,
            trigger=f"positive requirement {requirement_id}: appointment due",
            triggered_at=order.made_at,
            due_at=due,
            requirement_id=requirement_id,
        )


def notification_change(
    session: Session, *, order: Order, body: NotificationChangeIn, actor: Actor
) -> OrderDuty:
    """A new name, a change of address or homelessness starts a new 3-day notification duty."""
    if order.order_type is not OrderType.DAPO and not (order.conditions or {}).get(
        "notification_duty"
    ):
        raise errors.Invalid(f"order {order.id} has no notification requirements")
    duty = _add(
        session,
        order=order,
        kind=DutyKind.NOTIFICATION_CHANGE,
        trigger=CHANGE_TRIGGERS[body.event] + (f" ({body.detail})" if body.detail else ""),
        triggered_at=body.occurred_at,
        due_at=clocks.dapo_change_notification_deadline(body.occurred_at),
    )
    audit.record(
        session,
        actor=actor,
        action="order.notification_change",
        record_type="order",
        record_id=order.id,
        details={"event": body.event, "duty_id": duty.id},
    )
    return duty


def arrested_for_breach(session: Session, *, order: Order, arrested_at: datetime) -> None:
    """A DAPN breach arrest: before the court within 24 counted hours (s26)."""
    if order.order_type is OrderType.DAPN:
        _add(
            session,
            order=order,
            kind=DutyKind.DAPN_BREACH_COURT,
            trigger="arrested for breaching the DAPN: must be brought before the court",
            triggered_at=arrested_at,
            due_at=clocks.dapn_breach_court_deadline(arrested_at),
        )


def hearing_held(session: Session, *, notice: Order, held_at: datetime) -> None:
    for duty in for_order(session, order=notice):
        if duty.kind is DutyKind.DAPN_HEARING and duty.status is not DutyStatus.DONE:
            _finish(duty, done_at=held_at, note="DAPO hearing held")


def _finish(duty: OrderDuty, *, done_at: datetime, note: str | None) -> None:
    duty.status = DUTY_TRANSITIONS.check(duty.status, DutyStatus.DONE)
    duty.done_at, duty.note = done_at, note


def complete(session: Session, *, duty: OrderDuty, body: DutyDoneIn, actor: Actor) -> OrderDuty:
    if body.version != duty.version:
        raise errors.Conflict(
            f"duty {duty.id} was changed by someone else; reload it and try again"
        )
    _finish(duty, done_at=body.done_at, note=body.note)
    late = clocks.is_overdue(duty.due_at, body.done_at, done_at=body.done_at)
    audit.record(
        session,
        actor=actor,
        action="order_duty.done",
        record_type="order_duty",
        record_id=duty.id,
        details={"order_id": duty.order_id, "kind": duty.kind.value, "late": late},
    )
    return duty


def cancel_open(session: Session, *, order: Order, reason: str) -> None:
    for duty in for_order(session, order=order):
        if DUTY_TRANSITIONS.allowed(duty.status, DutyStatus.CANCELLED):
            duty.status = DutyStatus.CANCELLED
            duty.note = reason


def mark_overdue(session: Session, *, duty: OrderDuty, now: datetime) -> bool:
    """True when the duty has just become overdue (still open at its deadline)."""
    if duty.status is not DutyStatus.OPEN or not clocks.is_overdue(duty.due_at, now):
        return False
    duty.status = DUTY_TRANSITIONS.check(duty.status, DutyStatus.OVERDUE)
    return True


def find_duty(session: Session, *, force_id: int, duty_id: int) -> OrderDuty:
    duty = session.get(OrderDuty, duty_id)
    if duty is None or duty.force_id != force_id:
        raise errors.NotFound(f"no duty {duty_id} in your force")
    return duty


def for_order(session: Session, *, order: Order) -> list[OrderDuty]:
    query = select(OrderDuty).where(OrderDuty.order_id == order.id)
    return list(session.scalars(query.order_by(OrderDuty.due_at, OrderDuty.id)))


def overdue_counts(session: Session, *, order_ids: list[int], now: datetime) -> dict[int, int]:
    """How many duties of each listed order are overdue now (open past the deadline or marked)."""
    if not order_ids:
        return {}
    query = select(OrderDuty).where(
        OrderDuty.order_id.in_(order_ids),
        OrderDuty.status.in_([DutyStatus.OPEN, DutyStatus.OVERDUE]),
    )
    found: dict[int, int] = {}
    for duty in session.scalars(query):
        if duty.status is DutyStatus.OVERDUE or clocks.is_overdue(duty.due_at, now):
            found[duty.order_id] = found.get(duty.order_id, 0) + 1
    return found


def report_compliance(
    session: Session, *, order: Order, body: ComplianceReportIn, actor: Actor
) -> ComplianceReport:
    """A supervisor's report on an appointment; a missed one is a compliance alert."""
    known = {rid for rid, _ in conds.due_dates(order.conditions or {})} | {
        str(r.get("requirement_id"))
        for r in (order.conditions or {}).get("positive_requirements", [])
    }
    if body.requirement_id not in known:
        raise errors.Invalid(
            f"order {order.id} has no positive requirement {body.requirement_id!r}; "
            f"known: {', '.join(sorted(known)) or 'none'}"
        )
    report = ComplianceReport(
        force_id=order.force_id,
        order_id=order.id,
        requirement_id=body.requirement_id,
        appointment_at=body.appointment_at,
        attended=body.attended,
        supervisor=body.supervisor,
        note=body.note,
        reported_at=utcnow(),
        recorded_by=actor.username,
    )
    session.add(report)
    session.flush()
    duty = _appointment_duty(session, order=order, body=body)
    if body.attended and duty is not None:
        _finish(duty, done_at=body.appointment_at, note=f"attended; reported by {body.supervisor}")
    elif not body.attended:
        if duty is not None and duty.status is DutyStatus.OPEN:
            duty.status = DUTY_TRANSITIONS.check(duty.status, DutyStatus.OVERDUE)
        alerts.raise_alert(
            session,
            force_id=order.force_id,
            order_id=order.id,
            kind=OrderAlertKind.COMPLIANCE,
            message=(
                f"missed appointment for requirement {body.requirement_id} at "
                f"{body.appointment_at.isoformat()}, reported by {body.supervisor}"
            ),
            started_at=body.appointment_at,
            duty_id=duty.id if duty else None,
        )
    audit.record(
        session,
        actor=actor,
        action="order.compliance_report",
        record_type="order",
        record_id=order.id,
        details={"requirement_id": body.requirement_id, "attended": body.attended},
    )
    return report


def _appointment_duty(
    session: Session, *, order: Order, body: ComplianceReportIn
) -> OrderDuty | None:
    for duty in for_order(session, order=order):
        if (
            duty.kind is DutyKind.POSITIVE_REQUIREMENT
            and duty.requirement_id == body.requirement_id
            and duty.due_at == body.appointment_at
            and duty.status in (DutyStatus.OPEN, DutyStatus.OVERDUE)
        ):
            return duty
    return None
