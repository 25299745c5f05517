"""Typed events of specialist review; published only after the change they describe commits."""

from __future__ import annotations

from dataclasses import dataclass

from heard.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ReviewChanged(DomainEvent):
    """Claimed, handed over, released, outcome recorded or closed (`action`)."""

    call_id: int
    review_id: int
    action: str
    state: str
    owner_user_id: int | None


@dataclass(frozen=True, kw_only=True)
class AdviceSent(DomainEvent):
    call_id: int
    advice_id: int
    audience: str
    officer_user_ids: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AdviceAcknowledged(DomainEvent):
    call_id: int
    advice_id: int
    user_id: int
    officer_user_ids: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class OfficerAssigned(DomainEvent):
    call_id: int
    incident_id: int
    officer_user_id: int


@dataclass(frozen=True, kw_only=True)
class OfficerAcknowledged(DomainEvent):
    call_id: int
    incident_id: int
    officer_user_id: int


@dataclass(frozen=True, kw_only=True)
class CallChanged(DomainEvent):
    """A call arrived, changed or closed (`change`); `on_queue`: it is a domestic abuse call."""

    call_id: int
    change: str
    on_queue: bool
