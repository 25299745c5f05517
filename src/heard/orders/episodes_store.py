"""Monitoring episodes into the register: breaches for conditions, alerts for device health.

Each episode has a key (device, order, kind, condition, start); the processor's snapshots of it
(opened, upgraded to confirmed, closed) update one stored row. An update is a plain UPDATE of
the episode's own columns, so it never bumps the breach's version and never conflicts with a
person recording an outcome at the same moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import BigInteger, Row, String, Table, bindparam, column, select, update, values
from sqlalchemy.orm import Session

from heard.orders import alerts as order_alerts
from heard.orders import breaches
from heard.orders.monitoring import Alert, AlertKind
from heard.orders.monitoring.points import format_ts, from_us
from heard.orders.records import Breach, BreachKind, OrderAlert, OrderAlertKind, TelemetryPoint
from heard.orders.register_specs import MonitoredOrders

# The opening point's columns the evidence keeps, read as plain rows.
_OPENING_COLUMNS = (
    TelemetryPoint.device_id,
    TelemetryPoint.ts_us,
    TelemetryPoint.lat,
    TelemetryPoint.lon,
    TelemetryPoint.accuracy_m,
    TelemetryPoint.received_at,
)
Opening = Row[str, int, float, float, float, datetime]  # the columns above
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
    """Stored episodes get one batched UPDATE; new ones are raised together (one insert each)."""
    rows = session.execute(
        select(Breach.episode_key, Breach.id).where(
            Breach.force_id == force_id, Breach.episode_key.in_(list(found))
        )
    )
    stored: dict[str, int] = dict(rows.all())  # type: ignore[arg-type]
    snapshots: list[dict[str, Any]] = []
    new: dict[str, Alert] = {}
    for key, alert in found.items():
        if key in stored:
            snapshots.append(
                {
                    "b_id": stored[key],
                    "b_confidence": alert.confidence.value,
                    "b_ended": _end(alert),
                }
            )
        elif alert.start_ts > suppress_until_us:
            new[key] = alert
    if snapshots:
        session.execute(_SNAPSHOT, snapshots)
    if new:
        opening = _opening_points(session, force_id, list(new.values()))
        items = [
            _new_breach(key, alert, orders, opening.get((alert.device_id, alert.start_ts)))
            for key, alert in new.items()
        ]
        breaches.open_breaches(session, force_id=force_id, items=items)


def _end(alert: Alert) -> datetime | None:
    return from_us(alert.end_ts) if alert.end_ts is not None else None


# A plain UPDATE of the episode's columns, many rows in one executemany: it never moves the
# breach's version, so it cannot conflict with a person recording an outcome.
_BREACHES = cast(Table, Breach.__table__)
_SNAPSHOT = (
    update(_BREACHES)
    .where(_BREACHES.c.id == bindparam("b_id"))
    .values(
        confidence=bindparam("b_confidence"),
        ended_at=bindparam("b_ended", type_=_BREACHES.c.ended_at.type),
    )
)
_OPENING_CHUNK = 400  # (device, time) pairs per query: well inside both databases' limits


def _opening_points(
    session: Session, force_id: int, found: list[Alert]
) -> dict[tuple[str, int], Opening]:
    """The stored point that opened each episode, with one query per few hundred episodes.

    The wanted (device, time) pairs are a VALUES list joined to the points, so each is one
    lookup in the points' unique index on both databases (SQLite does not use the index for
    a row-value IN list).
    """
    pairs = sorted({(alert.device_id, alert.start_ts) for alert in found})
    points: dict[tuple[str, int], Opening] = {}
    for start in range(0, len(pairs), _OPENING_CHUNK):
        wanted = (
            values(column("device_id", String), column("ts_us", BigInteger), name="wanted")
            .data(pairs[start : start + _OPENING_CHUNK])
            .cte()
        )
        rows = session.execute(
            select(*_OPENING_COLUMNS).join_from(
                wanted,
                TelemetryPoint,
                (TelemetryPoint.force_id == force_id)
                & (TelemetryPoint.device_id == wanted.c.device_id)
                & (TelemetryPoint.ts_us == wanted.c.ts_us),
            )
        )
        for row in rows:
            points.setdefault((row.device_id, row.ts_us), row)
    return points


def _new_breach(
    key: str, alert: Alert, orders: MonitoredOrders, opening: Opening | None
) -> breaches.NewBreach:
    order_id = int(alert.order_id)
    return breaches.NewBreach(
        order_id=order_id,
        kind=BreachKind(alert.kind.value),
        started_at=from_us(alert.start_ts),
        confidence=alert.confidence.value,
        episode_key=key,
        device_id=alert.device_id,
        condition=alert.condition or None,
        evidence=_evidence(alert, orders.conditions.get(order_id, {}), opening),
        point_received_at=opening.received_at if opening is not None else None,
        ended_at=_end(alert),
    )


def _evidence(alert: Alert, document: dict[str, Any], opening: Opening | None) -> dict[str, Any]:
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
    ends: list[dict[str, Any]] = []
    new: list[order_alerts.NewAlert] = []
    for key, alert in found.items():
        if key in stored:
            ends.append({"a_id": stored[key], "a_ended": _end(alert)})
        elif alert.start_ts > suppress_until_us:
            text = HEALTH_TEXT[alert.kind].format(
                device=alert.device_id, start=format_ts(alert.start_ts)
            )
            new.append(
                order_alerts.NewAlert(
                    order_id=int(alert.order_id),
                    kind=HEALTH_KINDS[alert.kind],
                    message=text,
                    episode_key=key,
                    started_at=from_us(alert.start_ts),
                    ended_at=_end(alert),
                )
            )
    if ends:
        session.execute(_ALERT_END, ends)
    order_alerts.raise_alerts(session, force_id=force_id, alerts=new)


_ALERTS = cast(Table, OrderAlert.__table__)
_ALERT_END = (
    update(_ALERTS)
    .where(_ALERTS.c.id == bindparam("a_id"))
    .values(ended_at=bindparam("a_ended", type_=_ALERTS.c.ended_at.type))
)
