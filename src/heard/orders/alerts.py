"""Alerts for the order manager: raised once, listed until a person acknowledges them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.db.bulk import insert_returning
from heard.db.uow import record_event
from heard.orders.events import OrderAlertRaised
from heard.orders.records import OrderAlert, OrderAlertKind


@dataclass(frozen=True, kw_only=True)
class NewAlert:
    order_id: int
    kind: OrderAlertKind
    message: str
    episode_key: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    duty_id: int | None = None
    breach_id: int | None = None


def raise_alert(
    session: Session,
    *,
    force_id: int,
    order_id: int,
    kind: OrderAlertKind,
    message: str,
    episode_key: str | None = None,
    started_at: datetime | None = None,
    duty_id: int | None = None,
    breach_id: int | None = None,
) -> OrderAlert:
    new = NewAlert(
        order_id=order_id,
        kind=kind,
        message=message,
        episode_key=episode_key,
        started_at=started_at,
        duty_id=duty_id,
        breach_id=breach_id,
    )
    return raise_alerts(session, force_id=force_id, alerts=[new])[0]


def raise_alerts(
    session: Session, *, force_id: int, alerts: Sequence[NewAlert]
) -> list[OrderAlert]:
    """Raise alerts with one insert; the alerts, in order. Each is published after commit."""
    if not alerts:
        return []
    now = utcnow()
    rows = [
        {
            "force_id": force_id,
            "order_id": new.order_id,
            "kind": new.kind,
            "message": new.message,
            "raised_at": now,
            "episode_key": new.episode_key,
            "started_at": new.started_at,
            "ended_at": new.ended_at,
            "duty_id": new.duty_id,
            "breach_id": new.breach_id,
        }
        for new in alerts
    ]
    created = insert_returning(session, OrderAlert, rows)
    for alert in created:
        event = OrderAlertRaised(
            force_id=force_id, alert_id=alert.id, order_id=alert.order_id, kind=alert.kind.value
        )
        record_event(session, event)
    return created


def list_alerts(
    session: Session,
    *,
    force_id: int,
    open_only: bool = True,
    order_id: int | None = None,
    limit: int = 200,
) -> list[OrderAlert]:
    query = select(OrderAlert).where(OrderAlert.force_id == force_id)
    if order_id is not None:
        query = query.where(OrderAlert.order_id == order_id)
    if open_only:
        query = query.where(OrderAlert.acknowledged_at.is_(None))
    return list(session.scalars(query.order_by(OrderAlert.id.desc()).limit(limit)))


def acknowledge(session: Session, *, force_id: int, alert_id: int, actor: Actor) -> OrderAlert:
    alert = session.get(OrderAlert, alert_id)
    if alert is None or alert.force_id != force_id:
        raise errors.NotFound(f"no order alert {alert_id} in your force")
    if alert.acknowledged_at is not None:
        raise errors.Conflict(
            f"alert {alert_id} was already acknowledged by {alert.acknowledged_by}"
        )
    alert.acknowledged_at, alert.acknowledged_by = utcnow(), actor.username
    audit.record(
        session,
        actor=actor,
        action="order_alert.acknowledge",
        record_type="order_alert",
        record_id=alert.id,
        details={"order_id": alert.order_id, "kind": alert.kind.value},
    )
    return alert
