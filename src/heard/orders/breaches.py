"""Breaches: raised with their evidence, graded, tracked to an outcome, escalated when left.

A breach is raised by the live monitor (zone entry, proximity, curfew, tamper), by an overdue
notification duty, or by a person's report. Each one gets a durable escalation job in the same
transaction: if nobody has attended when it runs, the order manager is alerted.
"""

from __future__ import annotations

import statistics as stats
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.db.bulk import insert_returning
from heard.db.uow import record_event
from heard.incidents.models import Grade
from heard.jobs import service as jobs
from heard.orders import alerts, duties, force_settings
from heard.orders.events import BreachRaised, BreachUpdated
from heard.orders.models import Order
from heard.orders.monitoring.points import format_ts, to_us
from heard.orders.records import (
    BREACH_TRANSITIONS,
    Breach,
    BreachKind,
    BreachStatus,
    OrderAlertKind,
    TelemetryPoint,
)
from heard.orders.schemas import OutcomeIn

ESCALATE_JOB = "orders.breach_escalate"
MONITORED_KINDS = frozenset(
    {BreachKind.ZONE_ENTRY, BreachKind.PROXIMITY, BreachKind.CURFEW, BreachKind.TAMPER}
)
# Location evidence: only order managers see it (a zone or a protected person's position).
MANAGER_ONLY_EVIDENCE = ("zone", "curfew", "protected_point", "points", "opening_point")
EVIDENCE_POINTS_LIMIT = 500
EVIDENCE_TAIL = timedelta(minutes=30)


def grade_for(kind: BreachKind) -> Grade:
    """Monitored and reported breaches are Emergency; a missed notification is Priority."""
    return Grade.PRIORITY if kind is BreachKind.NOTIFICATION else Grade.EMERGENCY


@dataclass(frozen=True, kw_only=True)
class NewBreach:
    """A breach to raise: what `open_breach` takes, less the force."""

    order_id: int
    kind: BreachKind
    started_at: datetime
    grade: Grade | None = None
    confidence: str | None = None
    episode_key: str | None = None
    device_id: str | None = None
    condition: str | None = None
    evidence: dict[str, Any] | None = None
    description: str | None = None
    point_received_at: datetime | None = None
    ended_at: datetime | None = None


def open_breach(
    session: Session,
    *,
    force_id: int,
    order_id: int,
    kind: BreachKind,
    started_at: datetime,
    grade: Grade | None = None,
    confidence: str | None = None,
    episode_key: str | None = None,
    device_id: str | None = None,
    condition: str | None = None,
    evidence: dict[str, Any] | None = None,
    description: str | None = None,
    point_received_at: datetime | None = None,
) -> Breach:
    """Raise one breach (an overdue duty, a person's report): the batch path with one item."""
    item = NewBreach(
        order_id=order_id,
        kind=kind,
        started_at=started_at,
        grade=grade,
        confidence=confidence,
        episode_key=episode_key,
        device_id=device_id,
        condition=condition,
        evidence=evidence,
        description=description,
        point_received_at=point_received_at,
    )
    return open_breaches(session, force_id=force_id, items=[item])[0]


def open_breaches(session: Session, *, force_id: int, items: Sequence[NewBreach]) -> list[Breach]:
    """Raise breaches of one force in the caller's transaction; the breaches, in order.

    One read of the force's settings, then one insert each for the breaches, their escalation
    jobs and their audit entries (appended to the force's chain in order). `BreachRaised` for
    each is published after the transaction commits.
    """
    if not items:
        return []
    chosen = force_settings.load(session, force_id=force_id)
    now = utcnow()
    created = insert_returning(session, Breach, [_row(force_id, item, now) for item in items])
    wait = timedelta(minutes=chosen.escalate_after_minutes)
    escalations = [
        jobs.NewJob(
            payload={"breach_id": breach.id},
            run_after=breach.raised_at + wait,
            dedupe_key=f"breach-escalate:{breach.id}",
        )
        for breach in created
    ]
    jobs.enqueue_many(session, force_id=force_id, kind=ESCALATE_JOB, jobs=escalations)
    for breach in created:
        record_event(
            session,
            BreachRaised(
                force_id=force_id,
                breach_id=breach.id,
                order_id=breach.order_id,
                kind=breach.kind.value,
                grade=breach.grade.value,
            ),
        )
    drafts = [
        audit.Draft(
            action="breach.raise",
            record_type="breach",
            record_id=breach.id,
            details={
                "order_id": breach.order_id,
                "kind": breach.kind.value,
                "confidence": breach.confidence,
            },
        )
        for breach in created
    ]
    audit.record_many(
        session, actor=audit.system_actor(force_id, reason_source="monitoring"), drafts=drafts
    )
    return created


def _row(force_id: int, item: NewBreach, raised_at: datetime) -> dict[str, Any]:
    return {
        "force_id": force_id,
        "order_id": item.order_id,
        "kind": item.kind,
        "grade": item.grade or grade_for(item.kind),
        "confidence": item.confidence,
        "episode_key": item.episode_key,
        "device_id": item.device_id,
        "condition": item.condition,
        "description": item.description,
        "started_at": item.started_at,
        "ended_at": item.ended_at,
        "raised_at": raised_at,
        "point_received_at": item.point_received_at,
        "evidence": item.evidence or {},
        "status": BreachStatus.OPEN,
        "version": 1,
    }


def find_breach(session: Session, *, force_id: int, breach_id: int) -> Breach:
    breach = session.get(Breach, breach_id)
    if breach is None or breach.force_id != force_id:
        raise errors.NotFound(f"no breach {breach_id} in your force")
    return breach


def list_breaches(
    session: Session,
    *,
    force_id: int,
    status: BreachStatus | None = None,
    order_id: int | None = None,
    limit: int = 200,
) -> list[Breach]:
    query = select(Breach).where(Breach.force_id == force_id)
    if status is not None:
        query = query.where(Breach.status == status)
    if order_id is not None:
        query = query.where(Breach.order_id == order_id)
    return list(session.scalars(query.order_by(Breach.id.desc()).limit(limit)))


def record_outcome(
    session: Session, *, breach: Breach, order: Order, body: OutcomeIn, actor: Actor
) -> Breach:
    if body.version != breach.version:
        raise errors.Conflict(
            f"breach {breach.id} was changed by someone else; reload it and try again"
        )
    target = BreachStatus(body.status)
    if target is BreachStatus.NO_FURTHER_ACTION and not body.reason:
        raise errors.Invalid("no further action needs a written reason")
    if body.at < breach.started_at:
        raise errors.Invalid("the outcome time cannot be before the breach began")
    breach.status = BREACH_TRANSITIONS.check(breach.status, target)
    at = body.at
    if target is BreachStatus.ATTENDED:
        breach.attended_at = at
    elif target is BreachStatus.ARRESTED:
        breach.arrested_at = at
        breach.attended_at = breach.attended_at or at
        duties.arrested_for_breach(session, order=order, arrested_at=at)
    elif target is BreachStatus.CHARGED:
        breach.charged_at = breach.closed_at = at
    else:
        breach.nfa_reason, breach.closed_at = body.reason, at
    breach.outcome_by = actor.username
    session.flush()
    record_event(
        session, BreachUpdated(force_id=breach.force_id, breach_id=breach.id, status=target.value)
    )
    audit.record(
        session,
        actor=actor,
        action="breach.outcome",
        record_type="breach",
        record_id=breach.id,
        reason=body.reason,
        details={"status": target.value, "at": at.isoformat()},
    )
    return breach


def escalate(session: Session, *, breach: Breach) -> bool:
    """Unresolved means nobody has attended yet; such a breach goes back to the order manager."""
    if breach.status is not BreachStatus.OPEN or breach.escalated_at is not None:
        return False
    breach.escalated_at = utcnow()
    waited = (breach.escalated_at - breach.raised_at).total_seconds() / 60
    alerts.raise_alert(
        session,
        force_id=breach.force_id,
        order_id=breach.order_id,
        kind=OrderAlertKind.BREACH_ESCALATED,
        message=f"{breach.grade.value} breach {breach.id} ({breach.kind.value}) has had no "
        f"attendance recorded after {waited:.0f} minutes",
        breach_id=breach.id,
        episode_key=f"escalated:{breach.id}",
        started_at=breach.started_at,
    )
    audit.record(
        session,
        actor=audit.system_actor(breach.force_id, reason_source="job"),
        action="breach.escalate",
        record_type="breach",
        record_id=breach.id,
    )
    return True


def _summary(values: list[float], *, high: float = 0.9) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "p50": None, f"p{round(high * 100)}": None}
    ordered = sorted(values)
    top = ordered[min(len(ordered) - 1, round(high * (len(ordered) - 1)))]
    return {
        "count": len(ordered),
        "p50": round(stats.median(ordered), 3),
        f"p{round(high * 100)}": round(top, 3),
    }


def statistics(session: Session, *, force_id: int, since: datetime | None = None) -> dict[str, Any]:
    """From alert to arrest: how quickly breaches are attended and acted on."""
    query = select(Breach).where(Breach.force_id == force_id)
    if since is not None:
        query = query.where(Breach.raised_at >= since)
    found = list(session.scalars(query))

    def minutes(pairs: list[tuple[datetime | None, datetime]]) -> list[float]:
        return [(end - start).total_seconds() / 60 for end, start in pairs if end is not None]

    arrested = [b for b in found if b.arrested_at is not None]
    latency = [
        (b.raised_at - b.point_received_at).total_seconds()
        for b in found
        if b.point_received_at is not None
    ]
    return {
        "total": len(found),
        "by_status": dict(Counter(b.status.value for b in found)),
        "by_kind": dict(Counter(b.kind.value for b in found)),
        "escalated": sum(1 for b in found if b.escalated_at is not None),
        "arrest_rate": round(len(arrested) / len(found), 3) if found else None,
        "alert_to_attended_minutes": _summary(
            minutes([(b.attended_at, b.raised_at) for b in found])
        ),
        "alert_to_arrest_minutes": _summary(minutes([(b.arrested_at, b.raised_at) for b in found])),
        "detection_latency_s": _summary(latency, high=0.99),
    }


def _point(row: TelemetryPoint) -> dict[str, Any]:
    return {
        "ts": format_ts(row.ts_us),
        "lat": row.lat,
        "lon": row.lon,
        "accuracy_m": row.accuracy_m,
        "battery_pct": row.battery_pct,
        "tamper": row.tamper,
        "received_at": row.received_at.isoformat(),
    }


def evidence(session: Session, *, breach: Breach, manager: bool) -> dict[str, Any]:
    """The stored evidence plus the device's track over the episode (order managers only)."""
    found = dict(breach.evidence or {})
    if breach.kind in MONITORED_KINDS and breach.device_id:
        start = to_us(breach.started_at) - 60_000_000
        end = to_us(breach.ended_at or breach.started_at + EVIDENCE_TAIL)
        rows = session.scalars(
            select(TelemetryPoint)
            .where(
                TelemetryPoint.force_id == breach.force_id,
                TelemetryPoint.device_id == breach.device_id,
                TelemetryPoint.ts_us >= start,
                TelemetryPoint.ts_us <= end,
            )
            .order_by(TelemetryPoint.ts_us)
            .limit(EVIDENCE_POINTS_LIMIT)
        )
        found["points"] = [_point(r) for r in rows]
    if not manager:
        for key in MANAGER_ONLY_EVIDENCE:
            found.pop(key, None)
        found["location"] = "restricted to order managers"
    return found
