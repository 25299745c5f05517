"""Monitoring episodes into the register: breaches for conditions, alerts for device health.

Each episode has a key (device, order, kind, condition, start); the processor's snapshots of it
(opened, upgraded to confirmed, closed) update one stored row. An update is a plain UPDATE of
the episode's own columns, so it never bumps the breach's version and never conflicts with a
person recording an outcome at the same moment.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from heard.orders import alerts as order_alerts
from heard.orders import breaches
from heard.orders.monitoring import Alert, AlertKind
from heard.orders.monitoring.points import format_ts, from_us
from heard.orders.records import Breach, BreachKind, OrderAlert, OrderAlertKind, TelemetryPoint
from heard.orders.register_specs import MonitoredOrders

HEALTH_KINDS = {AlertKind.NO_SIGNAL: OrderAlertKind.NO_SIGNAL}
HEALTH_KINDS[AlertKind.LOW_BATTERY] = OrderAlertKind.LOW_BATTERY
HEALTH_TEXT = {
    AlertKind.NO_SIGNAL: "no signal from device {device} since {start}",
    AlertKind.LOW_BATTERY: "battery low on device {device} since {start}",
}


def episode_key(alert: Alert) -> str:
    return "|".join(
        (
            alert.device_id,
            str(alert.order_id),
            alert.kind.value,
            alert.condition,
            str(alert.start_ts),
        )
    )


def persist_alerts(
    session: Session,
    *,
    force_id: int,
    alerts: list[Alert],
    orders: MonitoredOrders,
    suppress_until_us: int,
) -> None:
    latest: dict[str, Alert] = {}
    for alert in alerts:
        latest[episode_key(alert)] = alert  # later snapshots of an episode replace earlier ones
    health = {k: a for k, a in latest.items() if a.kind in HEALTH_KINDS}
    conditions = {k: a for k, a in latest.items() if a.kind not in HEALTH_KINDS}
    if conditions:
        _breaches(session, force_id, conditions, orders, suppress_until_us)
    if health:
        _health(session, force_id, health, suppress_until_us)


def _breaches(
    session: Session,
    force_id: int,
    found: dict[str, Alert],
    orders: MonitoredOrders,
    suppress_until_us: int,
) -> None:
    rows = session.execute(
        select(Breach.episode_key, Breach.id).where(
            Breach.force_id == force_id, Breach.episode_key.in_(list(found))
        )
    )
    stored: dict[str, int] = dict(rows.all())  # type: ignore[arg-type]
    for key, alert in found.items():
        ended = from_us(alert.end_ts) if alert.end_ts is not None else None
        if key in stored:
            session.execute(
                update(Breach)
                .where(Breach.id == stored[key])
                .values(confidence=alert.confidence.value, ended_at=ended)
                .execution_options(synchronize_session=False)
            )
        elif alert.start_ts > suppress_until_us:
            _open(session, force_id, key, alert, orders, ended)


def _open(
    session: Session,
    force_id: int,
    key: str,
    alert: Alert,
    orders: MonitoredOrders,
    ended: Any,
) -> None:
    order_id = int(alert.order_id)
    opening = session.scalar(
        select(TelemetryPoint).where(
            TelemetryPoint.force_id == force_id,
            TelemetryPoint.device_id == alert.device_id,
            TelemetryPoint.ts_us == alert.start_ts,
        )
    )
    breach = breaches.open_breach(
        session,
        force_id=force_id,
        order_id=order_id,
        kind=BreachKind(alert.kind.value),
        started_at=from_us(alert.start_ts),
        confidence=alert.confidence.value,
        episode_key=key,
        device_id=alert.device_id,
        condition=alert.condition or None,
        evidence=_evidence(alert, orders.conditions.get(order_id, {}), opening),
        point_received_at=opening.received_at if opening is not None else None,
    )
    if ended is not None:
        breach.ended_at = ended


def _evidence(
    alert: Alert, document: dict[str, Any], opening: TelemetryPoint | None
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "kind": alert.kind.value,
        "device_id": alert.device_id,
        "start_ts": format_ts(alert.start_ts),
        "confidence_at_detection": alert.confidence.value,
    }
    if opening is not None:
        found["opening_point"] = {
            "ts": format_ts(opening.ts_us),
            "lat": opening.lat,
            "lon": opening.lon,
            "accuracy_m": opening.accuracy_m,
            "received_at": opening.received_at.isoformat(),
        }
    if alert.kind is AlertKind.ZONE_ENTRY:
        zones = document.get("exclusion_zones", [])
        found["zone"] = next((z for z in zones if str(z.get("zone_id")) == alert.condition), None)
    elif alert.kind is AlertKind.CURFEW:
        index = int(alert.condition.removeprefix("curfew").split("@")[0] or 0)
        curfews = document.get("curfews", [])
        found["curfew"] = curfews[index] if index < len(curfews) else None
        found["window"] = alert.condition
    elif alert.kind is AlertKind.PROXIMITY:
        dynamic = document.get("dynamic_zone") or {}
        found["proximity_m"] = dynamic.get("radius_m")
    return found


def _health(
    session: Session, force_id: int, found: dict[str, Alert], suppress_until_us: int
) -> None:
    rows = session.execute(
        select(OrderAlert.episode_key, OrderAlert.id).where(
            OrderAlert.force_id == force_id, OrderAlert.episode_key.in_(list(found))
        )
    )
    stored: dict[str, int] = dict(rows.all())  # type: ignore[arg-type]
    for key, alert in found.items():
        ended = from_us(alert.end_ts) if alert.end_ts is not None else None
        if key in stored:
            session.execute(
                update(OrderAlert)
                .where(OrderAlert.id == stored[key])
                .values(ended_at=ended)
                .execution_options(synchronize_session=False)
            )
        elif alert.start_ts > suppress_until_us:
            text = HEALTH_TEXT[alert.kind].format(
                device=alert.device_id, start=format_ts(alert.start_ts)
            )
            created = order_alerts.raise_alert(
                session,
                force_id=force_id,
                order_id=int(alert.order_id),
                kind=HEALTH_KINDS[alert.kind],
                message=text,
                episode_key=key,
                started_at=from_us(alert.start_ts),
            )
            created.ended_at = ended
