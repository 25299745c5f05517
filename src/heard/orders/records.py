"""Tables the orders API adds: history, duties, alerts, breaches, telemetry and monitoring progress.

States are enums, each with ONE transition table below. Every table is force-owned; telemetry
points are unique per (force, device, time), which makes a repeated post idempotent.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, ForceOwnedMixin, IdMixin, VersionedMixin, enum_column
from heard.db.states import StateMachine
from heard.incidents.models import Grade
from heard.orders.models import OrderStatus

# Epoch microseconds: the monitoring processor's own time unit, exact for (device, time) keys.
EpochUs = BigInteger().with_variant(Integer, "sqlite")

ORDER_TRANSITIONS = StateMachine[OrderStatus](
    "order",
    {
        OrderStatus.APPLIED: frozenset({OrderStatus.ACTIVE, OrderStatus.REFUSED}),
        OrderStatus.ACTIVE: frozenset({OrderStatus.EXPIRED, OrderStatus.DISCHARGED}),
        # An appeal allowed against a discharge or a refusal puts the order (back) in force.
        OrderStatus.DISCHARGED: frozenset({OrderStatus.ACTIVE}),
        OrderStatus.REFUSED: frozenset({OrderStatus.ACTIVE}),
        OrderStatus.EXPIRED: frozenset(),
    },
)


class OrderEventKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    STATUS = "status"
    SERVED = "served"
    VARIED = "varied"
    APPEAL_LODGED = "appeal_lodged"
    APPEAL_ALLOWED = "appeal_allowed"
    APPEAL_DISMISSED = "appeal_dismissed"


class OrderEvent(IdMixin, ForceOwnedMixin, Base):
    """One entry in an order's history: made, served, varied, discharged, appealed."""

    __tablename__ = "order_events"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    kind: Mapped[OrderEventKind] = mapped_column(enum_column(OrderEventKind, length=24))
    at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(120))
    court: Mapped[str | None] = mapped_column(String(200), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    from_status: Mapped[str | None] = mapped_column(String(16), default=None)
    to_status: Mapped[str | None] = mapped_column(String(16), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DutyKind(StrEnum):
    DAPN_HEARING = "dapn_hearing"
    DAPN_BREACH_COURT = "dapn_breach_court"
    NOTIFICATION_INITIAL = "notification_initial"
    NOTIFICATION_CHANGE = "notification_change"
    POSITIVE_REQUIREMENT = "positive_requirement"


class DutyStatus(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    CANCELLED = "cancelled"


DUTY_TRANSITIONS = StateMachine[DutyStatus](
    "duty",
    {
        DutyStatus.OPEN: frozenset({DutyStatus.DONE, DutyStatus.OVERDUE, DutyStatus.CANCELLED}),
        # Done late stays on record as late: done_at is after due_at.
        DutyStatus.OVERDUE: frozenset({DutyStatus.DONE, DutyStatus.CANCELLED}),
        DutyStatus.DONE: frozenset(),
        DutyStatus.CANCELLED: frozenset(),
    },
)


class OrderDuty(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """A clock that runs on an order: a court deadline, a notification duty, a due requirement."""

    __tablename__ = "order_duties"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    kind: Mapped[DutyKind] = mapped_column(enum_column(DutyKind, length=24))
    trigger: Mapped[str] = mapped_column(String(200))
    triggered_at: Mapped[datetime]
    due_at: Mapped[datetime]
    status: Mapped[DutyStatus] = mapped_column(enum_column(DutyStatus, length=16))
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    requirement_id: Mapped[str | None] = mapped_column(String(64), default=None)


class OrderAlertKind(StrEnum):
    DUTY_OVERDUE = "duty_overdue"
    COMPLIANCE = "compliance"
    NO_SIGNAL = "no_signal"
    LOW_BATTERY = "low_battery"
    BREACH_ESCALATED = "breach_escalated"


class OrderAlert(IdMixin, ForceOwnedMixin, Base):
    """Something the order manager must see and acknowledge."""

    __tablename__ = "order_alerts"
    __table_args__ = (UniqueConstraint("force_id", "episode_key"),)

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    kind: Mapped[OrderAlertKind] = mapped_column(enum_column(OrderAlertKind, length=24))
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    # Monitoring episodes and duties are raised once: the key makes a second raise a no-op.
    episode_key: Mapped[str | None] = mapped_column(String(255), default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    duty_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("order_duties.id"), default=None)
    breach_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("breaches.id"), default=None)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    acknowledged_by: Mapped[str | None] = mapped_column(String(120), default=None)


class BreachKind(StrEnum):
    ZONE_ENTRY = "zone_entry"
    PROXIMITY = "proximity"
    CURFEW = "curfew"
    TAMPER = "tamper"
    NOTIFICATION = "notification"
    REPORTED = "reported"


class BreachStatus(StrEnum):
    OPEN = "open"
    ATTENDED = "attended"
    ARRESTED = "arrested"
    CHARGED = "charged"
    NO_FURTHER_ACTION = "no_further_action"


BREACH_TRANSITIONS = StateMachine[BreachStatus](
    "breach",
    {
        BreachStatus.OPEN: frozenset(
            {BreachStatus.ATTENDED, BreachStatus.ARRESTED, BreachStatus.NO_FURTHER_ACTION}
        ),
        BreachStatus.ATTENDED: frozenset({BreachStatus.ARRESTED, BreachStatus.NO_FURTHER_ACTION}),
        BreachStatus.ARRESTED: frozenset({BreachStatus.CHARGED, BreachStatus.NO_FURTHER_ACTION}),
        BreachStatus.CHARGED: frozenset(),
        BreachStatus.NO_FURTHER_ACTION: frozenset(),
    },
)


class Breach(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """A breach (or possible breach) of an order, its evidence, and what was done about it."""

    __tablename__ = "breaches"
    __table_args__ = (
        UniqueConstraint("force_id", "episode_key"),
        Index("ix_breaches_force_status", "force_id", "status"),
    )

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    kind: Mapped[BreachKind] = mapped_column(enum_column(BreachKind, length=16))
    grade: Mapped[Grade] = mapped_column(enum_column(Grade, length=16))
    confidence: Mapped[str | None] = mapped_column(String(16), default=None)
    episode_key: Mapped[str | None] = mapped_column(String(255), default=None)
    device_id: Mapped[str | None] = mapped_column(String(64), default=None)
    condition: Mapped[str | None] = mapped_column(String(120), default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    raised_at: Mapped[datetime]
    # When the point that opened the episode reached Heard: raised_at minus this is the latency.
    point_received_at: Mapped[datetime | None] = mapped_column(default=None)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[BreachStatus] = mapped_column(enum_column(BreachStatus, length=24))
    attended_at: Mapped[datetime | None] = mapped_column(default=None)
    arrested_at: Mapped[datetime | None] = mapped_column(default=None)
    charged_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    nfa_reason: Mapped[str | None] = mapped_column(Text, default=None)
    outcome_by: Mapped[str | None] = mapped_column(String(120), default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)


class ComplianceReport(IdMixin, ForceOwnedMixin, Base):
    """A supervisor's report on one appointment of a positive requirement."""

    __tablename__ = "order_compliance_reports"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    requirement_id: Mapped[str] = mapped_column(String(64))
    appointment_at: Mapped[datetime]
    attended: Mapped[bool] = mapped_column(Boolean)
    supervisor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text, default=None)
    reported_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(120))


class TelemetryPoint(IdMixin, Base):
    """One fix from a monitoring device, stored before the monitoring centre gets its answer."""

    __tablename__ = "telemetry_points"
    __table_args__ = (UniqueConstraint("force_id", "device_id", "ts_us"),)

    # No index of its own: the unique key starts with it, and every insert pays for each index.
    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    ts_us: Mapped[int] = mapped_column(EpochUs)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float] = mapped_column(Float)
    battery_pct: Mapped[float | None] = mapped_column(Float, default=None)
    tamper: Mapped[bool] = mapped_column(Boolean, default=False)
    signal: Mapped[str | None] = mapped_column(String(16), default=None)
    received_at: Mapped[datetime]


class MonitoringProgress(Base):
    """How far the live monitor has got with one force's points; a restart resumes from here."""

    __tablename__ = "monitoring_progress"

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"), primary_key=True)
    last_point_id: Mapped[int] = mapped_column(BigId, default=0)
    # Every point with a time at or before this has been processed (or counted as too late).
    processed_us: Mapped[int] = mapped_column(EpochUs)
    updated_at: Mapped[datetime]


class MonitoringSettings(Base):
    """Per-force monitoring choices; a force without a row uses the defaults in docs/orders.md."""

    __tablename__ = "monitoring_settings"

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"), primary_key=True)
    live_lateness_s: Mapped[float] = mapped_column(Float)
    escalate_after_minutes: Mapped[float] = mapped_column(Float)
    warmup_minutes: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(120))
