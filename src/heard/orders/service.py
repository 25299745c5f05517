"""The register: create, read, update and move orders through their one status machine.

Keyword-only use cases taking the session; nothing here commits. Every change is written to the
order's history and the audit log in the caller's transaction; reads are audited by the views.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Incident
from heard.orders import duties
from heard.orders.events import MonitoredOrdersChanged
from heard.orders.models import (
    Order,
    OrderProtectedPerson,
    OrderStatus,
    OrderType,
)
from heard.orders.records import ORDER_TRANSITIONS, OrderEvent, OrderEventKind
from heard.orders.schemas import (
    AppealIn,
    OrderIn,
    OrderPatch,
    PartyIn,
    ServiceIn,
    StatusIn,
)
from heard.people.models import PersonRecord


def find_order(session: Session, *, force_id: int, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None or order.force_id != force_id:
        raise errors.NotFound(f"no order {order_id} in your force; check the order number")
    return order


def parties(session: Session, *, order: Order) -> list[OrderProtectedPerson]:
    query = select(OrderProtectedPerson).where(OrderProtectedPerson.order_id == order.id)
    return list(session.scalars(query.order_by(OrderProtectedPerson.id)))


def _record_in_force(session: Session, force_id: int, record_id: int, what: str) -> None:
    record = session.get(PersonRecord, record_id)
    if record is None or record.force_id != force_id:
        raise errors.NotFound(f"no person record {record_id} ({what}) in your force")


def _check_parties(
    session: Session, *, force_id: int, subject_record_id: int, protected: list[PartyIn]
) -> None:
    _record_in_force(session, force_id, subject_record_id, "the subject")
    for party in protected:
        _record_in_force(session, force_id, party.person_record_id, party.party.value)
        if party.person_record_id == subject_record_id:
            raise errors.Invalid("the subject cannot also be a protected person on the order")


def _check_references(session: Session, *, force_id: int, body: OrderIn) -> None:
    _check_parties(
        session,
        force_id=force_id,
        subject_record_id=body.subject_record_id,
        protected=body.protected,
    )
    if body.incident_id is not None:
        incident = session.get(Incident, body.incident_id)
        if incident is None or incident.force_id != force_id:
            raise errors.NotFound(f"no incident {body.incident_id} in your force")
    if body.follows_order_id is not None:
        find_order(session, force_id=force_id, order_id=body.follows_order_id)


def _history(
    session: Session,
    *,
    order: Order,
    kind: OrderEventKind,
    actor: Actor,
    at: datetime | None = None,
    court: str | None = None,
    reason: str | None = None,
    from_status: OrderStatus | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        OrderEvent(
            force_id=order.force_id,
            order_id=order.id,
            kind=kind,
            at=at or utcnow(),
            recorded_at=utcnow(),
            recorded_by=actor.username,
            court=court,
            reason=reason,
            from_status=from_status.value if from_status else None,
            to_status=order.status.value,
            details=details or {},
        )
    )


def _set_parties(session: Session, *, order: Order, protected: list[PartyIn]) -> None:
    for existing in parties(session, order=order):
        session.delete(existing)
    session.flush()
    for party in protected:
        session.add(
            OrderProtectedPerson(
                force_id=order.force_id,
                order_id=order.id,
                person_record_id=party.person_record_id,
                party=party.party,
                device_id=party.device_id,
            )
        )


def _monitoring_changed(session: Session, order: Order) -> None:
    record_event(session, MonitoredOrdersChanged(force_id=order.force_id, order_id=order.id))


def create_order(session: Session, *, force_id: int, body: OrderIn, actor: Actor) -> Order:
    _check_references(session, force_id=force_id, body=body)
    order = Order(
        force_id=force_id,
        order_type=body.order_type,
        status=OrderStatus(body.status),
        subject_record_id=body.subject_record_id,
        incident_id=body.incident_id,
        issued_by=body.issued_by,
        made_at=body.made_at,
        served_at=body.served_at,
        expires_at=body.expires_at,
        conditions=body.conditions.document(),
        applicant_type=body.applicant_type,
        applicant_name=body.applicant_name,
        basis=body.basis,
        served_by=body.served_by,
        service_address=body.service_address,
        follows_order_id=body.follows_order_id,
    )
    session.add(order)
    session.flush()
    _set_parties(session, order=order, protected=body.protected)
    _history(session, order=order, kind=OrderEventKind.CREATED, actor=actor, at=body.made_at)
    if order.status is OrderStatus.ACTIVE:
        duties.open_for_order(session, order=order)
        _supersede_notice(session, order=order, actor=actor)
    _monitoring_changed(session, order)
    audit.record(
        session,
        actor=actor,
        action="order.create",
        record_type="order",
        record_id=order.id,
        details={"order_type": order.order_type.value, "status": order.status.value},
    )
    return order


def _supersede_notice(session: Session, *, order: Order, actor: Actor) -> None:
    """A DAPO made after a DAPN: the hearing happened, and the notice ends with it."""
    if order.order_type is not OrderType.DAPO or order.follows_order_id is None:
        return
    notice = session.get_one(Order, order.follows_order_id)
    if notice.order_type is not OrderType.DAPN:
        return
    duties.hearing_held(session, notice=notice, held_at=order.made_at)
    if ORDER_TRANSITIONS.allowed(notice.status, OrderStatus.EXPIRED):
        before = notice.status
        notice.status = OrderStatus.EXPIRED
        _history(
            session,
            order=notice,
            kind=OrderEventKind.STATUS,
            actor=actor,
            at=order.made_at,
            from_status=before,
            reason=f"DAPO {order.id} made at the hearing",
        )
        _monitoring_changed(session, notice)


def _check_version(order: Order, version: int) -> None:
    if version != order.version:
        raise errors.Conflict(
            f"order {order.id} was changed by someone else (you sent version {version}, it is "
            f"now {order.version}); reload it and make your change again"
        )


def update_order(session: Session, *, order: Order, body: OrderPatch, actor: Actor) -> Order:
    _check_version(order, body.version)
    changed = sorted(body.model_fields_set - {"version", "court", "reason"})
    varied = "conditions" in changed and order.status is OrderStatus.ACTIVE
    if varied and not (body.court and body.reason):
        raise errors.Invalid(
            "changing the conditions of an order in force is a variation: give the court and "
            "the reason"
        )
    if "protected" in changed and body.protected is not None:
        _check_parties(
            session,
            force_id=order.force_id,
            subject_record_id=order.subject_record_id,
            protected=body.protected,
        )
        _set_parties(session, order=order, protected=body.protected)
    for name in ("issued_by", "applicant_name", "expires_at"):
        if name in changed:
            setattr(order, name, getattr(body, name))
    if order.expires_at is not None and order.expires_at <= order.made_at:
        raise errors.Invalid("expires_at must be after made_at (send null for no end date)")
    if "conditions" in changed and body.conditions is not None:
        order.conditions = body.conditions.document()
        if order.status is OrderStatus.ACTIVE:
            duties.replan_requirements(session, order=order)
    kind = OrderEventKind.VARIED if varied else OrderEventKind.UPDATED
    _history(
        session,
        order=order,
        kind=kind,
        actor=actor,
        court=body.court,
        reason=body.reason,
        details={"fields": changed},
    )
    # Party changes touch other rows only: mark the order changed so its version still moves.
    flag_modified(order, "conditions")
    session.flush()
    _monitoring_changed(session, order)
    audit.record(
        session,
        actor=actor,
        action=f"order.{kind.value}",
        record_type="order",
        record_id=order.id,
        reason=body.reason,
        details={"fields": changed},
    )
    return order


def change_status(session: Session, *, order: Order, body: StatusIn, actor: Actor) -> Order:
    _check_version(order, body.version)
    if body.status is OrderStatus.DISCHARGED and not body.reason:
        raise errors.Invalid("give the reason the order was discharged")
    before = order.status
    order.status = ORDER_TRANSITIONS.check(before, body.status)
    at = body.at or utcnow()
    if before is OrderStatus.APPLIED and order.status is OrderStatus.ACTIVE:
        order.made_at = at
        duties.open_for_order(session, order=order)
        _supersede_notice(session, order=order, actor=actor)
    if order.status in (OrderStatus.DISCHARGED, OrderStatus.EXPIRED):
        duties.cancel_open(session, order=order, reason=f"order {order.status.value}")
    _history(
        session,
        order=order,
        kind=OrderEventKind.STATUS,
        actor=actor,
        at=at,
        court=body.court,
        reason=body.reason,
        from_status=before,
    )
    session.flush()
    _monitoring_changed(session, order)
    audit.record(
        session,
        actor=actor,
        action="order.status",
        record_type="order",
        record_id=order.id,
        reason=body.reason,
        details={"from": before.value, "to": order.status.value},
    )
    return order


def record_service(session: Session, *, order: Order, body: ServiceIn, actor: Actor) -> Order:
    _check_version(order, body.version)
    if body.served_at < order.made_at:
        raise errors.Invalid("served_at cannot be before the order was made")
    order.served_at, order.served_by = body.served_at, body.served_by
    order.service_address = body.service_address
    _history(session, order=order, kind=OrderEventKind.SERVED, actor=actor, at=body.served_at)
    if order.status is OrderStatus.ACTIVE:
        duties.served(session, order=order)
    session.flush()
    audit.record(
        session, actor=actor, action="order.served", record_type="order", record_id=order.id
    )
    return order


APPEAL_KINDS = {
    "lodged": OrderEventKind.APPEAL_LODGED,
    "allowed": OrderEventKind.APPEAL_ALLOWED,
    "dismissed": OrderEventKind.APPEAL_DISMISSED,
}


def appeal(session: Session, *, order: Order, body: AppealIn, actor: Actor) -> Order:
    """Record an appeal. One allowed against an order in force discharges it; one allowed
    against a discharge or a refusal puts the order in force."""
    _check_version(order, body.version)
    before = order.status
    if body.event == "allowed":
        target = OrderStatus.DISCHARGED if before is OrderStatus.ACTIVE else OrderStatus.ACTIVE
        order.status = ORDER_TRANSITIONS.check(before, target)
        if target is OrderStatus.DISCHARGED:
            duties.cancel_open(session, order=order, reason="appeal allowed")
    _history(
        session,
        order=order,
        kind=APPEAL_KINDS[body.event],
        actor=actor,
        at=body.at,
        court=body.court,
        reason=body.reason,
        from_status=before,
    )
    flag_modified(
        order, "conditions"
    )  # every change to an order, its history too, moves its version
    session.flush()
    _monitoring_changed(session, order)
    audit.record(
        session,
        actor=actor,
        action=f"order.appeal_{body.event}",
        record_type="order",
        record_id=order.id,
        reason=body.reason,
    )
    return order


def history(session: Session, *, order: Order) -> list[OrderEvent]:
    query = select(OrderEvent).where(OrderEvent.order_id == order.id)
    return list(session.scalars(query.order_by(OrderEvent.at, OrderEvent.id)))


def list_orders(
    session: Session,
    *,
    force_id: int,
    status: OrderStatus | None = None,
    order_type: OrderType | None = None,
    subject_record_id: int | None = None,
    limit: int = 100,
) -> list[Order]:
    query = select(Order).where(Order.force_id == force_id)
    if status is not None:
        query = query.where(Order.status == status)
    if order_type is not None:
        query = query.where(Order.order_type == order_type)
    if subject_record_id is not None:
        query = query.where(Order.subject_record_id == subject_record_id)
    return list(session.scalars(query.order_by(Order.id.desc()).limit(limit)))
