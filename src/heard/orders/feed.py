"""Breaches and order alerts to the breach pages' live stream, after their change commits.

Payloads carry ids and states only, never a place: every page that shows the change reads it
again through its own role check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heard.db.uow import Database
from heard.live import channels
from heard.live import service as live
from heard.live.service import Outgoing
from heard.orders.events import BreachRaised, BreachUpdated, OrderAlertRaised


class OrdersFeed:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _send(self, force_id: int, kind: str, data: dict[str, Any]) -> None:
        live.publish(self._db, [Outgoing(force_id, channels.ORDERS, kind, data)])

    def breach_raised(self, event: BreachRaised) -> None:
        data = {"breach_id": event.breach_id, "order_id": event.order_id, "grade": event.grade}
        self._send(event.force_id, "breach", data)

    def breach_updated(self, event: BreachUpdated) -> None:
        self._send(event.force_id, "breach", {"breach_id": event.breach_id})

    def alert_raised(self, event: OrderAlertRaised) -> None:
        data = {"alert_id": event.alert_id, "order_id": event.order_id, "kind": event.kind}
        self._send(event.force_id, "order-alert", data)


def install(db: Database) -> OrdersFeed:
    feed = OrdersFeed(db)
    handlers: list[tuple[type[Any], Callable[[Any], None]]] = [
        (BreachRaised, feed.breach_raised),
        (BreachUpdated, feed.breach_updated),
        (OrderAlertRaised, feed.alert_raised),
    ]
    for event_type, handler in handlers:
        db.bus.subscribe(event_type, handler)
    return feed
