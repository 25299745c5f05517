"""Risk grades, MARAC referrals, orders and markers that follow a scenario's earlier incidents."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from heard.incidents.models import Incident
from heard.orders.models import Order, OrderProtectedPerson, OrderStatus
from heard.people.models import Marker, PersonRecord
from heard.risk.models import MaracOutcome, MaracReferral, RiskAssessment, RiskGrade
from heard.sim.live.schema import (
    EarlierMarac,
    EarlierMarker,
    EarlierOrder,
    EarlierRisk,
    History,
)

if TYPE_CHECKING:
    from heard.sim.live.backstory import Appearance, Builder

YES_COUNTS = {RiskGrade.STANDARD: 4, RiskGrade.MEDIUM: 10, RiskGrade.HIGH: 15}
INSTRUMENT = "dash-acpo-27"
MARKER_LIFETIME = timedelta(days=3 * 365)


def later_records(builder: Builder, history: History) -> None:
    for risk in history.risk_assessments:
        _risk(builder, risk)
    for marac in history.marac:
        _marac(builder, marac)
    for order in history.orders:
        _order(builder, order)
    for marker in history.markers:
        _marker(builder, marker)


def _nearest(builder: Builder, key: str, at: datetime) -> Appearance | None:
    """The person's earlier appearance closest in time to `at` (never after it when possible)."""
    mine = [a for a in builder.appearances if a.key == key]
    before = [a for a in mine if a.incident.opened_at <= at]
    pool = before or mine
    if not pool:
        return None
    return min(pool, key=lambda a: abs((a.incident.opened_at - at).total_seconds()))


def _record_at(builder: Builder, key: str, at: datetime) -> tuple[PersonRecord, Incident | None]:
    found = _nearest(builder, key, at)
    if found is not None:
        return found.record, found.incident
    record = builder.record(key, at)
    builder.session.flush()
    return record, None


def _risk(builder: Builder, spec: EarlierRisk) -> None:
    at = builder.now - timedelta(days=spec.days_ago)
    record, incident = _record_at(builder, spec.victim, at)
    builder.session.add(
        RiskAssessment(
            force_id=builder.force_id,
            instrument=INSTRUMENT,
            grade=spec.grade,
            yes_count=YES_COUNTS[spec.grade],
            assessed_at=(incident.opened_at + timedelta(hours=2)) if incident else at,
            victim_record_id=record.id,
            incident_id=incident.id if incident else None,
            grade_lowered=spec.lowered_from is not None,
            earlier_grade=spec.lowered_from,
        )
    )
    builder.built.risk_assessments += 1


def _marac(builder: Builder, spec: EarlierMarac) -> None:
    at = builder.now - timedelta(days=spec.days_ago)
    record, incident = _record_at(builder, spec.victim, at)
    builder.session.add(
        MaracReferral(
            force_id=builder.force_id,
            victim_record_id=record.id,
            incident_id=incident.id if incident else None,
            referred_at=at,
            criteria=list(spec.criteria),
            meeting_date=date.fromordinal(at.date().toordinal() + 14),
            outcome=MaracOutcome.ACTION_PLAN_AGREED,
        )
    )
    builder.built.marac += 1


def _order(builder: Builder, spec: EarlierOrder) -> None:
    made = builder.now - timedelta(days=spec.made_days_ago)
    subject, incident = _record_at(builder, spec.subject, made)
    expires = None
    if spec.expires_in_days is not None:
        expires = builder.now + timedelta(days=spec.expires_in_days)
    live = expires is None or expires > builder.now
    order = Order(
        force_id=builder.force_id,
        order_type=spec.type,
        status=OrderStatus.ACTIVE if live else OrderStatus.EXPIRED,
        subject_record_id=subject.id,
        incident_id=incident.id if incident else None,
        issued_by=spec.issued_by,
        made_at=made,
        served_at=made + timedelta(days=1),
        expires_at=expires,
        conditions=dict(spec.conditions),
    )
    builder.session.add(order)
    builder.session.flush()
    for key in spec.protected:
        record, _ = _record_at(builder, key, made)
        builder.session.add(
            OrderProtectedPerson(
                force_id=builder.force_id, order_id=order.id, person_record_id=record.id
            )
        )
    builder.built.orders += 1


def _marker(builder: Builder, spec: EarlierMarker) -> None:
    found = _nearest(builder, spec.person, builder.now)
    applied = found.incident.opened_at if found else builder.now - timedelta(days=30)
    if spec.at_address:
        location = builder.location(spec.person)
        if location is None:
            return
        target = {"location_id": location.id}
    else:
        target = {"subject_id": builder.subject(spec.person, applied).id}
    builder.session.add(
        Marker(
            force_id=builder.force_id,
            code=spec.code,
            source=f"sim:{builder.scenario.name}"[:64],
            applied_at=applied,
            expires_at=applied + MARKER_LIFETIME,
            **target,
        )
    )
    builder.built.markers += 1
