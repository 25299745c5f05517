"""Tables for person records, subjects, locations and markers.

A person record is one person *as recorded* on one occasion, with every value kept as given; a
subject is the force's resolved identity behind many records. The force's links are its own earlier
judgement, not the truth, so they can be wrong or missing and the linker may revise them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, ForceOwnedMixin, IdMixin, enum_column


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class MarkerCode(StrEnum):
    DA_HISTORY = "da_history"
    VIOLENCE = "violence"
    WEAPONS = "weapons"
    MARAC = "marac"
    STALKING = "stalking"
    VULNERABLE_OCCUPANT = "vulnerable_occupant"
    CHILDREN_AT_ADDRESS = "children_at_address"


class Location(IdMixin, ForceOwnedMixin, Base):
    """An address: the text first given, its normalised form, and where it is on the map."""

    __tablename__ = "locations"
    # Intake looks an address up by its normalised text when the caller gives no postcode.
    __table_args__ = (Index("ix_locations_force_address", "force_id", "address_normalised"),)

    address_text: Mapped[str] = mapped_column(Text)
    address_normalised: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(8), index=True)
    uprn: Mapped[int | None] = mapped_column(BigId)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    easting: Mapped[int | None] = mapped_column(Integer)
    northing: Mapped[int | None] = mapped_column(Integer)


class Subject(IdMixin, ForceOwnedMixin, Base):
    """A resolved identity: the person the force believes several records describe."""

    __tablename__ = "subjects"

    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]


class PersonRecord(IdMixin, ForceOwnedMixin, Base):
    """One person as recorded on one occasion; raw values are kept beside normalised ones."""

    __tablename__ = "person_records"

    subject_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("subjects.id"), index=True)
    recorded_at: Mapped[datetime]
    name_raw: Mapped[str] = mapped_column(String(200))
    given_name: Mapped[str | None] = mapped_column(String(80))
    family_name: Mapped[str | None] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    # When only an age was given ("about 40"), the date of birth stays empty.
    age_years: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, length=8))
    phone_raw: Mapped[str | None] = mapped_column(String(40))
    phone_e164: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(120))
    address_raw: Mapped[str | None] = mapped_column(Text)
    location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("locations.id"))


class Marker(IdMixin, ForceOwnedMixin, Base):
    """A warning on a subject or a location, with where it came from and when it lapses."""

    __tablename__ = "markers"
    __table_args__ = (
        CheckConstraint(
            "(subject_id IS NULL) <> (location_id IS NULL)", name="on_subject_or_location"
        ),
    )

    subject_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("subjects.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("locations.id"), index=True)
    code: Mapped[MarkerCode] = mapped_column(enum_column(MarkerCode))
    source: Mapped[str] = mapped_column(String(64))
    applied_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
