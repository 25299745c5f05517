"""The register as the monitoring processor sees it: one `OrderSpec` per active order with a device.

Also the lookups other domains call (the warning-signs capability's "possible breach" signal):
active orders naming people, and the orders that protect a place.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from heard.orders import conditions as conds
from heard.orders.models import Order, OrderProtectedPerson, OrderStatus
from heard.orders.monitoring import OrderSpec
from heard.orders.monitoring.geo import CircleZone, PolygonZone, ZoneError

log = logging.getLogger(__name__)


@dataclass
class MonitoredOrders:
    """Specs with keys that change whenever an order is edited (id and version)."""

    specs: list[OrderSpec] = field(default_factory=list)
    keys: list[tuple[int, int]] = field(default_factory=list)
    conditions: dict[int, dict[str, Any]] = field(default_factory=dict)
    order_types: dict[int, str] = field(default_factory=dict)
    unusable: dict[int, str] = field(default_factory=dict)
    # (id, version) of every order in force: cheap to read, and it moves with any change.
    fingerprint: tuple[tuple[int, int], ...] = ()


def in_force(at: datetime) -> list[Any]:
    """SQL conditions for an order in force at `at`."""
    return [
        Order.status == OrderStatus.ACTIVE,
        Order.made_at <= at,
        or_(Order.expires_at.is_(None), Order.expires_at > at),
    ]


def fingerprint(session: Session, *, force_id: int, at: datetime) -> tuple[tuple[int, int], ...]:
    """Changes whenever an order in force changes, starts or ends; no JSON or shapes are read."""
    rows = session.execute(
        select(Order.id, Order.version)
        .where(Order.force_id == force_id, *in_force(at))
        .order_by(Order.id)
    )
    return tuple((order_id, version) for order_id, version in rows)


def load_monitored(
    session: Session, *, force_id: int, at: datetime, previous: MonitoredOrders | None = None
) -> MonitoredOrders:
    """Specs of the orders in force with a device; unchanged ones are taken from `previous`."""
    found = MonitoredOrders(fingerprint=fingerprint(session, force_id=force_id, at=at))
    known: dict[tuple[int, int], OrderSpec] = {}
    if previous is not None:
        known = dict(zip(previous.keys, previous.specs, strict=True))
    rows = session.execute(
        select(Order.id, Order.version, Order.order_type, Order.conditions)
        .where(Order.force_id == force_id, *in_force(at))
        .order_by(Order.id)
    )
    for order_id, version, order_type, document in rows:
        document = document or {}
        if not document.get("electronic_monitoring"):
            continue
        try:
            spec = known.get((order_id, version)) or conds.monitoring_spec(order_id, document)
        except (ZoneError, KeyError, ValueError, TypeError) as exc:
            # Refused at the API; only a row written some other way can get here.
            found.unusable[order_id] = str(exc)
            log.warning("order cannot be monitored", extra={"order_id": order_id})
            continue
        if spec is None:
            continue
        found.specs.append(spec)
        found.keys.append((order_id, version))
        found.conditions[order_id] = document
        found.order_types[order_id] = order_type.value
    return found


# --- lookups for other domains ----------------------------------------------------------------


@dataclass(frozen=True)
class ActiveOrder:
    order_id: int
    order_type: str
    subject_record_id: int
    protected_record_ids: tuple[int, ...]


def _active(session: Session, orders: list[Order]) -> list[ActiveOrder]:
    ids = [o.id for o in orders]
    protected: dict[int, list[int]] = {}
    if ids:
        rows = session.execute(
            select(OrderProtectedPerson.order_id, OrderProtectedPerson.person_record_id).where(
                OrderProtectedPerson.order_id.in_(ids)
            )
        )
        for order_id, record_id in rows:
            protected.setdefault(order_id, []).append(record_id)
    return [
        ActiveOrder(
            o.id, o.order_type.value, o.subject_record_id, tuple(sorted(protected.get(o.id, [])))
        )
        for o in orders
    ]


def active_orders_between(
    session: Session,
    *,
    force_id: int,
    subject_record_ids: list[int],
    protected_record_ids: list[int],
    at: datetime,
) -> list[ActiveOrder]:
    """Orders in force on any of these subjects that protect any of these people.

    For a call: the people named or present as suspects against the caller and victims; a hit
    means the subject is where an order says they must not be, a possible breach.
    """
    if not subject_record_ids or not protected_record_ids:
        return []
    orders = list(
        session.scalars(
            select(Order)
            .join(OrderProtectedPerson, OrderProtectedPerson.order_id == Order.id)
            .where(
                Order.force_id == force_id,
                Order.subject_record_id.in_(subject_record_ids),
                OrderProtectedPerson.person_record_id.in_(protected_record_ids),
                *in_force(at),
            )
            .distinct()
        )
    )
    return _active(session, orders)


def orders_protecting_place(
    session: Session, *, force_id: int, lat: float, lon: float, at: datetime
) -> list[tuple[ActiveOrder, str]]:
    """Orders in force with an exclusion zone containing this place: (order, zone id)."""
    orders = list(session.scalars(select(Order).where(Order.force_id == force_id, *in_force(at))))
    hits: list[tuple[Order, str]] = []
    for order in orders:
        for index, raw in enumerate((order.conditions or {}).get("exclusion_zones", [])):
            zone_id = str(raw.get("zone_id") or f"zone-{index + 1}")
            try:
                zone = conds_zone(raw, zone_id)
            except (ZoneError, KeyError, ValueError, TypeError):
                continue
            depth = zone.depth(lat, lon, 0.0)
            if depth is not None and depth >= 0:
                hits.append((order, zone_id))
    active = {a.order_id: a for a in _active(session, [o for o, _ in hits])}
    return [(active[o.id], zone_id) for o, zone_id in hits]


def conds_zone(raw: dict[str, Any], zone_id: str) -> CircleZone | PolygonZone:
    if raw.get("kind") == "polygon":
        return PolygonZone(zone_id, raw["coords"])
    return CircleZone(zone_id, float(raw["lat"]), float(raw["lon"]), float(raw["radius_m"]))
