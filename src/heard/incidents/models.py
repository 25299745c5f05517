"""Tables for incidents, the calls that raised them, involvements and relationships."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import (
    Base,
    BigId,
    ForceOwnedMixin,
    IdMixin,
    JsonDoc,
    VersionedMixin,
    enum_column,
)
from heard.db.states import StateMachine


class Channel(StrEnum):
    EMERGENCY_999 = "999"
    NON_EMERGENCY_101 = "101"
    SILENT_55 = "silent_55"
    ONLINE = "online"
    TEXT_RELAY = "text_relay"


class Grade(StrEnum):
    EMERGENCY = "emergency"
    PRIORITY = "priority"
    SCHEDULED = "scheduled"
    RESOLUTION = "resolution"


class Category(StrEnum):
    DOMESTIC = "domestic"
    STALKING_HARASSMENT = "stalking_harassment"
    BREACH_OF_ORDER = "breach_of_order"
    ASSAULT = "assault"
    PUBLIC_ORDER = "public_order"
    ANTISOCIAL_BEHAVIOUR = "antisocial_behaviour"
    THEFT = "theft"
    BURGLARY = "burglary"
    CRIMINAL_DAMAGE = "criminal_damage"
    ROAD_TRAFFIC = "road_traffic"
    CONCERN_FOR_WELFARE = "concern_for_welfare"
    MISSING_PERSON = "missing_person"
    MENTAL_HEALTH = "mental_health"
    SUSPICIOUS = "suspicious"
    FRAUD = "fraud"


class Outcome(StrEnum):
    CHARGED = "charged"
    CAUTIONED = "cautioned"
    COMMUNITY_RESOLUTION = "community_resolution"
    NO_FURTHER_ACTION = "no_further_action"
    UNDER_INVESTIGATION = "under_investigation"
    ADVICE_GIVEN = "advice_given"
    NO_POLICE_ACTION = "no_police_action"


class Role(StrEnum):
    VICTIM = "victim"
    SUSPECT = "suspect"
    CALLER = "caller"
    WITNESS = "witness"
    CHILD_PRESENT = "child_present"


class Connection(StrEnum):
    """The seven ways two people are "personally connected" (Domestic Abuse Act 2021 s.2)."""

    MARRIED = "married"
    CIVIL_PARTNERS = "civil_partners"
    AGREED_TO_MARRY = "agreed_to_marry"
    CIVIL_PARTNERSHIP_AGREEMENT = "civil_partnership_agreement"
    INTIMATE_RELATIONSHIP = "intimate_relationship"
    PARENTS_OF_SAME_CHILD = "parents_of_same_child"
    RELATIVES = "relatives"
    NOT_CONNECTED = "not_connected"


class Incident(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """Something the police dealt with; handlers and specialists edit it at the same time."""

    __tablename__ = "incidents"
    __table_args__ = (UniqueConstraint("force_id", "reference"),)

    reference: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    category: Mapped[Category] = mapped_column(enum_column(Category))
    is_domestic_abuse: Mapped[bool] = mapped_column(Boolean)
    crime_recorded: Mapped[bool] = mapped_column(Boolean)
    location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("locations.id"), index=True)
    grade: Mapped[Grade] = mapped_column(enum_column(Grade, length=16))
    arrest_made: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))


class CallStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


CALL_TRANSITIONS = StateMachine[CallStatus](
    "call", {CallStatus.OPEN: frozenset({CallStatus.CLOSED}), CallStatus.CLOSED: frozenset()}
)


class Call(IdMixin, ForceOwnedMixin, Base):
    """One contact from the public; several calls can belong to one incident."""

    __tablename__ = "calls"
    # The sender's own reference makes intake idempotent: a retried post finds the stored call.
    __table_args__ = (UniqueConstraint("force_id", "source_ref"),)

    source_ref: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, length=16))
    received_at: Mapped[datetime]
    caller_number: Mapped[str | None] = mapped_column(String(40))
    free_text: Mapped[str | None] = mapped_column(Text)
    incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    # Historic (generated or imported) calls are closed; intake opens new ones explicitly.
    status: Mapped[CallStatus] = mapped_column(
        enum_column(CallStatus, length=8), server_default=CallStatus.CLOSED.value
    )
    caller_number_e164: Mapped[str | None] = mapped_column(String(16), index=True)
    aml_latitude: Mapped[float | None] = mapped_column(Float)
    aml_longitude: Mapped[float | None] = mapped_column(Float)
    aml_accuracy_m: Mapped[float | None] = mapped_column(Float)
    address_text: Mapped[str | None] = mapped_column(Text)
    location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("locations.id"))
    handler_ref: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None]
    disposition: Mapped[str | None] = mapped_column(String(64))
    # An open incident this call probably belongs to, for a person to confirm.
    suggested_incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"))
    # Optional fields that could not be read: kept raw here, never a reason to refuse a 999 call.
    invalid_fields: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDoc)


class Involvement(IdMixin, ForceOwnedMixin, Base):
    """How one recorded person took part in an incident."""

    __tablename__ = "involvements"
    __table_args__ = (UniqueConstraint("incident_id", "person_record_id", "role"),)

    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"))
    person_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, length=16))
    # The call on which the person was named, when they came in through intake.
    call_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("calls.id"), index=True)


class Relationship(IdMixin, ForceOwnedMixin, Base):
    """How the victim and the suspect in an incident are connected, as recorded."""

    __tablename__ = "incident_relationships"

    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    victim_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    suspect_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    connection: Mapped[Connection] = mapped_column(enum_column(Connection))
    # "are or were": a former partner is still personally connected.
    is_former: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str | None] = mapped_column(String(40))
