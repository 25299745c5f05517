"""Domain events of the orders domain, published after their transaction commits.

The control-room console and the order manager's view subscribe to these; the live monitor
subscribes to `MonitoredOrdersChanged` to pick up register changes at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from heard.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class MonitoredOrdersChanged(DomainEvent):
    order_id: int


@dataclass(frozen=True, kw_only=True)
class BreachRaised(DomainEvent):
    breach_id: int
    order_id: int
    kind: str
    grade: str


@dataclass(frozen=True, kw_only=True)
class BreachUpdated(DomainEvent):
    breach_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class OrderAlertRaised(DomainEvent):
    alert_id: int
    order_id: int
    kind: str
