"""Tables for the register of protective notices and orders and the people they protect."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text
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


class ApplicantType(StrEnum):
    VICTIM = "victim"
    POLICE = "police"
    THIRD_PARTY = "third_party"
    COURT_FAMILY = "court_family"
    COURT_CIVIL = "court_civil"
    COURT_CRIMINAL = "court_criminal"


class OrderBasis(StrEnum):
    """How an order came to be made, where its type has more than one route."""

    CONVICTION = "conviction"
    ACQUITTAL = "acquittal"
    INTERIM = "interim"
    FULL = "full"


class PartyKind(StrEnum):
    PROTECTED_PERSON = "protected_person"
    CHILD = "child"


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
    # Register details added with the orders API; older rows (and the generator's) leave them empty.
    applicant_type: Mapped[ApplicantType | None] = mapped_column(
        enum_column(ApplicantType, length=16), default=None
    )
    applicant_name: Mapped[str | None] = mapped_column(String(200), default=None)
    basis: Mapped[OrderBasis | None] = mapped_column(
        enum_column(OrderBasis, length=16), default=None
    )
    served_by: Mapped[str | None] = mapped_column(String(120), default=None)
    service_address: Mapped[str | None] = mapped_column(Text, default=None)
    follows_order_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("orders.id"), default=None
    )


class OrderProtectedPerson(IdMixin, ForceOwnedMixin, Base):
    """A person an order protects (the victim, and sometimes children)."""

    __tablename__ = "order_protected_persons"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"), index=True)
    person_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    # Empty means a protected person; the generator's rows predate the distinction.
    party: Mapped[PartyKind | None] = mapped_column(enum_column(PartyKind, length=16), default=None)
    # A device the protected person carries, for a dynamic zone round them.
    device_id: Mapped[str | None] = mapped_column(String(64), default=None)
