"""Tables for the register of protective notices and orders and the people they protect."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, ForceOwnedMixin, IdMixin, VersionedMixin, enum_column


class OrderType(StrEnum):
    DAPN = "dapn"
    DAPO = "dapo"
    DVPN = "dvpn"
    DVPO = "dvpo"
    NON_MOLESTATION = "non_molestation"
    OCCUPATION = "occupation"
    RESTRAINING = "restraining"
    STALKING_PROTECTION = "stalking_protection"
    BAIL_CONDITIONS = "bail_conditions"


class OrderStatus(StrEnum):
    APPLIED = "applied"
    ACTIVE = "active"
    EXPIRED = "expired"
    DISCHARGED = "discharged"
    REFUSED = "refused"


class Order(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """A notice or order on a subject; order managers and the monitoring path edit it at once."""

    __tablename__ = "orders"

    order_type: Mapped[OrderType] = mapped_column(enum_column(OrderType))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, length=16))
    subject_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"))
    issued_by: Mapped[str] = mapped_column(String(120))
    made_at: Mapped[datetime]
    served_at: Mapped[datetime | None]
    # None means no end date: a DAPO has no maximum duration.
    expires_at: Mapped[datetime | None]
    conditions: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OrderProtectedPerson(IdMixin, ForceOwnedMixin, Base):
    """A person an order protects (the victim, and sometimes children)."""

    __tablename__ = "order_protected_persons"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    person_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
