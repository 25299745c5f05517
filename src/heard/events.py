"""Typed domain events, delivered to subscribers only after their transaction commits."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from heard.clock import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    force_id: int
    occurred_at: datetime = field(default_factory=utcnow)

    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, kw_only=True)
class JobEnqueued(DomainEvent):
    job_id: int
    kind: str


@dataclass(frozen=True, kw_only=True)
class UserLockedOut(DomainEvent):
    user_id: int


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]
Flush = Callable[[list[Any]], None]

# What subscribers gather while one transaction's events are delivered: key -> (flush, items).
_gathered: ContextVar[dict[Hashable, tuple[Flush, list[Any]]] | None] = ContextVar(
    "heard_gathered", default=None
)


@contextmanager
def delivery() -> Iterator[None]:
    """Scope for delivering one transaction's events. Subscribers that `gather` items (live
    messages, say) have them flushed once at the end, in order, instead of once per event: one
    write where there were several, on the path of a 999 call's answer."""
    token = _gathered.set({})
    try:
        yield
    finally:
        gathered = _gathered.get() or {}
        _gathered.reset(token)
        for flush, items in gathered.values():
            try:
                flush(items)
            except Exception:  # as for a subscriber: logged, never undoes the committed change
                log.exception("flushing gathered event work failed")


def gather(key: Hashable, items: Sequence[Any], flush: Flush) -> bool:
    """Add items to the current delivery's batch under `key`; False when no delivery is under
    way, and the caller should do the work at once."""
    gathered = _gathered.get()
    if gathered is None:
        return False
    gathered.setdefault(key, (flush, []))[1].extend(items)
    return True


class EventBus(Protocol):
    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> None: ...

    def publish(self, event: DomainEvent) -> None: ...


class InProcessBus:
    """Embedded default. A failing subscriber is logged, never undoes the committed change."""

    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> None:
        self._handlers[event_type].append(handler)

    def publish(self, event: DomainEvent) -> None:
        for event_type, handlers in list(self._handlers.items()):
            if isinstance(event, event_type):
                for handler in list(handlers):
                    try:
                        handler(event)
                    except Exception:  # a subscriber's bug must not hide the event from others
                        log.exception("event subscriber failed", extra={"event": event.name})
