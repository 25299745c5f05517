"""Ground truth behind the synthetic force: who each recorded appearance really is.

Only evaluation and tests may read these tables. Production packages are forbidden to import this
module (import-linter contract in pyproject.toml), because a linker that could see the truth would
look perfect in every test and fail on a real force.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, ForceOwnedMixin, IdMixin


class SimHousehold(IdMixin, ForceOwnedMixin, Base):
    __tablename__ = "sim_households"

    kind: Mapped[str] = mapped_column(String(24))
    location_id: Mapped[int] = mapped_column(BigId, ForeignKey("locations.id"))
    # Households that moved lived at the earlier address until moved_on.
    earlier_location_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("locations.id"))
    moved_on: Mapped[date | None] = mapped_column(Date)


class SimPerson(IdMixin, ForceOwnedMixin, Base):
    """A true synthetic person, with the values every recorded appearance is a noisy copy of."""

    __tablename__ = "sim_persons"

    household_id: Mapped[int] = mapped_column(BigId, ForeignKey("sim_households.id"))
    origin: Mapped[str] = mapped_column(String(24))
    sex: Mapped[str] = mapped_column(String(8))
    given_name: Mapped[str] = mapped_column(String(80))
    family_name: Mapped[str] = mapped_column(String(80))
    birth_family_name: Mapped[str] = mapped_column(String(80))
    # Until this date the person used the birth family name.
    name_changed_on: Mapped[date | None] = mapped_column(Date)
    date_of_birth: Mapped[date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(16))
    earlier_phone: Mapped[str | None] = mapped_column(String(16))
    phone_changed_on: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(120))


class SimRelationship(IdMixin, ForceOwnedMixin, Base):
    """A true tie between two people: partners, former partners, parent and child, siblings."""

    __tablename__ = "sim_relationships"

    person_a_id: Mapped[int] = mapped_column(BigId, ForeignKey("sim_persons.id"), index=True)
    person_b_id: Mapped[int] = mapped_column(BigId, ForeignKey("sim_persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    connection: Mapped[str] = mapped_column(String(32))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)


class SimDyad(IdMixin, ForceOwnedMixin, Base):
    """An abusive victim-perpetrator pair and the pattern the generator gave it."""

    __tablename__ = "sim_dyads"

    victim_id: Mapped[int] = mapped_column(BigId, ForeignKey("sim_persons.id"), index=True)
    suspect_id: Mapped[int] = mapped_column(BigId, ForeignKey("sim_persons.id"), index=True)
    connection: Mapped[str] = mapped_column(String(32))
    pattern: Mapped[str] = mapped_column(String(24))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    # Abuse went on after the last report: the victim stopped calling.
    stopped_reporting: Mapped[bool] = mapped_column(Boolean)
    reported_incidents: Mapped[int] = mapped_column(Integer)
    # About one abuse episode in five reaches the police; the rest exist only here.
    abuse_episodes: Mapped[int] = mapped_column(Integer)


class SimRecordTruth(Base):
    """Which true person each person record describes, and what recording noise was applied."""

    __tablename__ = "sim_record_truth"

    person_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), primary_key=True, autoincrement=False
    )
    sim_person_id: Mapped[int] = mapped_column(BigId, ForeignKey("sim_persons.id"), index=True)
    noise: Mapped[str] = mapped_column(String(120))


class SimIncidentTruth(Base):
    """Which abusive dyad, if any, an incident belongs to."""

    __tablename__ = "sim_incident_truth"

    incident_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("incidents.id"), primary_key=True, autoincrement=False
    )
    dyad_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("sim_dyads.id"), index=True)
