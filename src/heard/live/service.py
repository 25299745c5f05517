"""Appending to and reading the live event log; publishing after the change it reports commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from heard import events
from heard.clock import utcnow
from heard.db.uow import Database, record_event
from heard.events import DomainEvent
from heard.live.models import LiveEvent

NOTIFY_CHANNEL = "heard_live"
# Any constant works; it only has to be the same in every process that appends live events.
_APPEND_LOCK = 0x68656172  # "hear"


@dataclass(frozen=True)
class Outgoing:
    """A message to publish: for the pages watching `channel` in `force_id`."""

    force_id: int
    channel: str
    kind: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class LiveMessage:
    """A stored live event, detached from the database session."""

    id: int
    force_id: int
    channel: str
    kind: str
    payload: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, row: LiveEvent) -> LiveMessage:
        return cls(row.id, row.force_id, row.channel, row.kind, row.payload, row.created_at)


@dataclass(frozen=True, kw_only=True)
class LiveAppended(DomainEvent):
    """Live events up to `last_id` are committed: wakes this process's hub at once."""

    last_id: int


def append(session: Session, *, messages: Sequence[Outgoing]) -> list[int]:
    """Store messages in order and return their ids, ascending. On PostgreSQL a transaction lock
    makes ids commit in id order, so a reader that has seen id N can never later find a smaller
    id appear; the NOTIFY is delivered to every listening worker when this transaction commits.
    One multi-row INSERT, not one per message: this runs on a 999 call's path."""
    if not messages:
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK})
    now = utcnow()
    rows = [
        {
            "force_id": m.force_id,
            "channel": m.channel,
            "kind": m.kind,
            "payload": m.payload,
            "created_at": now,
        }
        for m in messages
    ]
    ids = sorted(session.scalars(_INSERT_RETURNING_ID, rows))
    if postgres:
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": NOTIFY_CHANNEL, "payload": str(ids[-1])},
        )
    record_event(session, LiveAppended(force_id=messages[-1].force_id, last_id=ids[-1]))
    return ids


_INSERT_RETURNING_ID = insert(LiveEvent).returning(LiveEvent.id)


def publish(db: Database, messages: Iterable[Outgoing]) -> None:
    """Append in a transaction of its own, after the change being reported has committed. While
    one transaction's events are being delivered, every subscriber's messages are appended
    together when the delivery ends (one transaction, in order)."""
    batch = list(messages)
    if not batch:
        return
    if not events.gather(("live", id(db)), batch, lambda gathered: _append_now(db, gathered)):
        _append_now(db, batch)


def _append_now(db: Database, messages: list[Outgoing]) -> None:
    with db.unit_of_work() as uow:
        append(uow.session, messages=messages)
        uow.commit()


def newest_id(session: Session) -> int:
    return int(session.scalar(select(func.max(LiveEvent.id))) or 0)


def oldest_id(session: Session) -> int:
    return int(session.scalar(select(func.min(LiveEvent.id))) or 0)


def read_all_after(session: Session, *, after: int, limit: int) -> list[LiveMessage]:
    query = select(LiveEvent).where(LiveEvent.id > after).order_by(LiveEvent.id).limit(limit)
    return [LiveMessage.of(row) for row in session.scalars(query)]


def read_after(
    session: Session,
    *,
    force_id: int,
    channels: Iterable[str],
    after: int,
    up_to: int | None = None,
    limit: int,
) -> list[LiveMessage]:
    query = select(LiveEvent).where(
        LiveEvent.force_id == force_id,
        LiveEvent.channel.in_(sorted(set(channels))),
        LiveEvent.id > after,
    )
    if up_to is not None:
        query = query.where(LiveEvent.id <= up_to)
    return [LiveMessage.of(r) for r in session.scalars(query.order_by(LiveEvent.id).limit(limit))]


def prune(session: Session, *, before: datetime) -> int:
    """Forget events older than `before`, always keeping the newest (the id high-water mark)."""
    newest = newest_id(session)
    result = session.execute(
        delete(LiveEvent).where(LiveEvent.created_at < before, LiveEvent.id < newest)
    )
    return int(getattr(result, "rowcount", 0) or 0)
