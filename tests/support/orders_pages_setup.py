"""Records for the orders pages' tests: an order with its zone, and a zone-entry breach with the
evidence the live monitor stores (the zone, the opening point) and a stored point of the track."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from heard.db.uow import Database
from heard.orders import breaches, telemetry
from heard.orders.records import BreachKind
from tests.support.orders_helpers import HOME
from tests.support.personas_orders import _order
from tests.support.world import World

# Where the subject's tag was when it crossed into the zone: 50 m from the protected home.
ENTRY = (HOME[0] + 0.00045, HOME[1])


def order(db: Database, world: World, **extra: Any) -> Any:
    return _order(db, world, **extra)


def zone_breach(db: Database, world: World, *, minutes_ago: float = 10) -> tuple[Any, Any]:
    """(order, breach): a monitored zone entry on a fresh order, with its track point stored."""
    made = _order(db, world)
    force_id = world.forces["WMP"]
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes_ago)
    point = {
        "device_id": "TAG-1",
        "ts": started.isoformat(),
        "lat": ENTRY[0],
        "lon": ENTRY[1],
        "accuracy_m": 8,
    }
    with db.transaction() as session:
        telemetry.receive(session, force_id=force_id, raw=[point])
        breach = breaches.open_breach(
            session,
            force_id=force_id,
            order_id=made.id,
            kind=BreachKind.ZONE_ENTRY,
            started_at=started,
            confidence="confirmed",
            device_id="TAG-1",
            condition="home",
            episode_key=f"page-test:{made.id}",
            evidence={
                "kind": "zone_entry",
                "device_id": "TAG-1",
                "zone": made.conditions["exclusion_zones"][0],
                "opening_point": {
                    "ts": point["ts"],
                    "lat": ENTRY[0],
                    "lon": ENTRY[1],
                    "accuracy_m": 8,
                    "received_at": started.isoformat(),
                },
            },
        )
    return made, breach
