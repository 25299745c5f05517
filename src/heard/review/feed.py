"""The console's live feed: domain events turned into live events for the pages watching.

Subscribed to the bus of every process that changes data (web workers and job workers), so a
change made anywhere reaches every page. Each handler runs after the change committed and
appends in a transaction of its own; payloads carry data, never markup — pages render it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from heard.db.uow import Database
from heard.events import DomainEvent
from heard.live import channels
from heard.live import service as live
from heard.live.service import Outgoing
from heard.review import feed_signals
from heard.review.events import (
    AdviceAcknowledged,
    AdviceSent,
    CallChanged,
    OfficerAcknowledged,
    OfficerAssigned,
    ReviewChanged,
)
from heard.review.models import AdviceMessage

E = TypeVar("E", bound=DomainEvent)


def advice_payload(advice: AdviceMessage) -> dict[str, Any]:
    return {
        "advice_id": advice.id,
        "call_id": advice.call_id,
        "audience": advice.audience.value,
        "text": advice.text,
        "urgent": advice.urgent,
        "sent_by_name": advice.sent_by_name,
        "sent_at": advice.sent_at.isoformat(),
    }


class Feed:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _send(self, messages: Iterable[Outgoing]) -> None:
        live.publish(self._db, messages)

    def call_changed(self, event: CallChanged) -> None:
        data = {"call_id": event.call_id, "change": event.change}
        kind = "context" if event.change == "updated" else "call"
        out = [
            Outgoing(event.force_id, channels.CALLS, "calls", data),
            Outgoing(event.force_id, channels.call(event.call_id), kind, data),
        ]
        if event.on_queue:
            out.append(Outgoing(event.force_id, channels.QUEUE, "queue", data))
        self._send(out)

    def review_changed(self, event: ReviewChanged) -> None:
        data = {"call_id": event.call_id, "action": event.action, "state": event.state}
        self._send(
            [
                Outgoing(event.force_id, channels.call(event.call_id), "review", data),
                Outgoing(event.force_id, channels.QUEUE, "queue", data),
            ]
        )

    def advice_sent(self, event: AdviceSent) -> None:
        with self._db.unit_of_work() as uow:
            advice = uow.session.get_one(AdviceMessage, event.advice_id)
            payload = advice_payload(advice)
        out = [Outgoing(event.force_id, channels.call(event.call_id), "advice", payload)]
        out += [
            Outgoing(event.force_id, channels.officer(uid), "advice", payload)
            for uid in event.officer_user_ids
        ]
        self._send(out)

    def advice_acknowledged(self, event: AdviceAcknowledged) -> None:
        data = {"call_id": event.call_id, "advice_id": event.advice_id}
        out = [Outgoing(event.force_id, channels.call(event.call_id), "advice-ack", data)]
        out += [
            Outgoing(event.force_id, channels.officer(uid), "advice-ack", data)
            for uid in event.officer_user_ids
        ]
        self._send(out)

    def officer_assigned(self, event: OfficerAssigned) -> None:
        data = {"call_id": event.call_id, "incident_id": event.incident_id}
        self._send(
            [
                Outgoing(
                    event.force_id, channels.officer(event.officer_user_id), "assignment", data
                ),
                Outgoing(event.force_id, channels.call(event.call_id), "officers", data),
            ]
        )

    def officer_acknowledged(self, event: OfficerAcknowledged) -> None:
        data = {"call_id": event.call_id, "incident_id": event.incident_id}
        self._send([Outgoing(event.force_id, channels.call(event.call_id), "officers", data)])


def install(db: Database) -> Feed:
    """Subscribe the feed to every event the console shows."""
    feed = Feed(db)
    feed_signals.install(db)
    handlers: list[tuple[type[Any], Callable[[Any], None]]] = [
        (CallChanged, feed.call_changed),
        (ReviewChanged, feed.review_changed),
        (AdviceSent, feed.advice_sent),
        (AdviceAcknowledged, feed.advice_acknowledged),
        (OfficerAssigned, feed.officer_assigned),
        (OfficerAcknowledged, feed.officer_acknowledged),
    ]
    for event_type, handler in handlers:
        db.bus.subscribe(event_type, handler)
    return feed
