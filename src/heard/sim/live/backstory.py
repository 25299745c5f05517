"""The history builder: what the force already holds about a scenario's people, written before
the scenario is played (earlier incidents and their calls, risk grades, MARAC, orders, markers).

It writes through the ORM models, as the generator's records would look: each earlier appearance
is its own person record, as it was taken down then, linked to the subject the force resolved.
It is deterministic for a scenario and a moment, and writes a scenario's history once per force:
a second build finds the first incident's reference and leaves everything as it is.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.incidents.models import (
    Call,
    CallStatus,
    Category,
    Channel,
    Grade,
    Incident,
    Involvement,
    Outcome,
    Relationship,
    Role,
)
from heard.people import normalise
from heard.people.models import Location, PersonRecord, Subject
from heard.sim import geo, names, texts
from heard.sim.live.backstory_records import later_records
from heard.sim.live.schema import EarlierIncidents, Person, Scenario

GRADES = ((Grade.EMERGENCY, 0.3), (Grade.PRIORITY, 0.6), (Grade.SCHEDULED, 0.1))


def reference_prefix(scenario_name: str) -> str:
    """Short and stable: incident references are at most 32 characters."""
    return "SIMH-" + hashlib.sha256(scenario_name.encode()).hexdigest()[:8].upper()


@dataclass
class Built:
    scenario: str
    already_present: bool = False
    incidents: int = 0
    person_records: int = 0
    risk_assessments: int = 0
    orders: int = 0
    markers: int = 0
    marac: int = 0


@dataclass
class Appearance:
    """One person's record on one earlier incident."""

    key: str
    record: PersonRecord
    incident: Incident


@dataclass
class Builder:
    session: Session
    force_id: int
    scenario: Scenario
    now: datetime
    rng: random.Random
    built: Built
    subjects: dict[str, Subject] = field(default_factory=dict)
    locations: dict[str, Location | None] = field(default_factory=dict)
    appearances: list[Appearance] = field(default_factory=list)

    def person(self, key: str) -> Person:
        return self.scenario.people[key]

    def subject(self, key: str, first_seen: datetime) -> Subject:
        if key not in self.subjects:
            person = self.person(key)
            subject = Subject(
                force_id=self.force_id,
                given_name=person.given_name or person.name or "",
                family_name=person.family_name or "",
                date_of_birth=person.date_of_birth,
                created_at=first_seen,
            )
            self.session.add(subject)
            self.session.flush()
            self.subjects[key] = subject
        return self.subjects[key]

    def location(self, key: str) -> Location | None:
        if key not in self.locations:
            self.locations[key] = _location(self.session, self.force_id, self.person(key))
        return self.locations[key]

    def record(self, key: str, at: datetime) -> PersonRecord:
        """The person as recorded that day: mostly complete, sometimes a nickname or only an age."""
        person, rng = self.person(key), self.rng
        given = person.given_name
        nicknames = names.NICKNAMES.get(given or "")
        if nicknames and rng.random() < 0.2:
            given = rng.choice(nicknames)
        dob = person.date_of_birth if rng.random() < 0.85 else None
        age = None
        if dob is None and person.date_of_birth is not None:
            age = int((at.date() - person.date_of_birth).days / 365.25)
        phone = person.phone if rng.random() < 0.9 else None
        location = self.location(key)
        record = PersonRecord(
            force_id=self.force_id,
            subject_id=self.subject(key, at).id,
            recorded_at=at,
            name_raw=" ".join(p for p in (given, person.family_name) if p) or person.name or "",
            given_name=given,
            family_name=person.family_name,
            date_of_birth=dob,
            age_years=age if age is not None else person.age,
            sex=person.sex,
            phone_raw=phone,
            phone_e164=normalise.phone_e164(phone),
            address_raw=_address_text(person),
            location_id=location.id if location else None,
        )
        self.session.add(record)
        self.built.person_records += 1
        return record

    def incidents(self, run: EarlierIncidents, number: int) -> int:
        times = _spread(self.rng, self.now, run.first_days_ago, run.last_days_ago, run.count)
        arrested = set(self.rng.sample(range(run.count), run.arrests))
        for at, opened in enumerate(times):
            number += 1
            self.incident(run, opened, number, arrest=at in arrested)
        return number

    def incident(self, run: EarlierIncidents, opened: datetime, number: int, arrest: bool) -> None:
        rng, victim = self.rng, self.person(run.victim)
        location = self.location(run.victim)
        incident = Incident(
            force_id=self.force_id,
            reference=f"{reference_prefix(self.scenario.name)}-{number:03d}",
            opened_at=opened,
            closed_at=opened + timedelta(hours=3),
            category=run.category,
            is_domestic_abuse=run.connection.value != "not_connected",
            crime_recorded=arrest or rng.random() < 0.5,
            location_id=location.id if location else None,
            grade=rng.choices([g for g, _ in GRADES], weights=[w for _, w in GRADES])[0],
            arrest_made=arrest,
            outcome=_outcome(rng, arrest),
        )
        self.session.add(incident)
        self.session.flush()
        call = self.call(incident, victim, run)
        parties = ((run.victim, Role.VICTIM), (run.suspect, Role.SUSPECT))
        records = {}
        for key, role in parties:
            record = self.record(key, opened)
            self.session.flush()
            records[role] = record
            self.session.add(
                Involvement(
                    force_id=self.force_id,
                    incident_id=incident.id,
                    person_record_id=record.id,
                    role=role,
                    call_id=call.id,
                )
            )
            self.appearances.append(Appearance(key, record, incident))
        self.session.add(
            Relationship(
                force_id=self.force_id,
                incident_id=incident.id,
                victim_record_id=records[Role.VICTIM].id,
                suspect_record_id=records[Role.SUSPECT].id,
                connection=run.connection,
                is_former=run.former,
            )
        )
        self.built.incidents += 1

    def call(self, incident: Incident, victim: Person, run: EarlierIncidents) -> Call:
        call = Call(
            force_id=self.force_id,
            source_ref=f"{incident.reference}-C",
            channel=Channel.EMERGENCY_999,
            received_at=incident.opened_at,
            caller_number=victim.phone,
            caller_number_e164=normalise.phone_e164(victim.phone),
            free_text=texts.da_text(
                self.rng,
                sex=victim.sex.value,
                rel=run.described_as,
                kids=False,
                stalking=run.category is Category.STALKING_HARASSMENT,
                breach=run.category is Category.BREACH_OF_ORDER,
            ),
            incident_id=incident.id,
            status=CallStatus.CLOSED,
            address_text=victim.address,
            location_id=incident.location_id,
            closed_at=incident.closed_at,
            disposition="attended",
        )
        self.session.add(call)
        self.session.flush()
        return call


def _spread(
    rng: random.Random, now: datetime, first_days_ago: int, last_days_ago: int, count: int
) -> list[datetime]:
    """`count` evenings from `first_days_ago` to `last_days_ago`, a little irregular."""
    if count == 1:
        days = [float(first_days_ago)]
    else:
        step = (first_days_ago - last_days_ago) / (count - 1)
        days = [first_days_ago - i * step for i in range(count)]
        days = [
            d + rng.uniform(-step / 4, step / 4) if 0 < i < count - 1 else d
            for i, d in enumerate(days)
        ]
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return [
        midnight
        - timedelta(days=round(d))
        + timedelta(hours=rng.randint(17, 23), minutes=rng.randrange(60))
        for d in days
    ]


def _outcome(rng: random.Random, arrest: bool) -> Outcome:
    if arrest:
        return rng.choice((Outcome.CHARGED, Outcome.UNDER_INVESTIGATION, Outcome.NO_FURTHER_ACTION))
    return rng.choice((Outcome.NO_FURTHER_ACTION, Outcome.ADVICE_GIVEN, Outcome.NO_FURTHER_ACTION))


def _address_text(person: Person) -> str | None:
    if person.address and person.postcode:
        return f"{person.address}, {person.postcode}"
    return person.address or person.postcode


def _location(session: Session, force_id: int, person: Person) -> Location | None:
    """The person's home, shared with intake: the same address and postcode find the same row."""
    if not (person.address or person.postcode):
        return None
    normalised = normalise.address(person.address or "")
    postcode = normalise.postcode(person.postcode)
    found = session.scalar(
        select(Location).where(
            Location.force_id == force_id,
            Location.postcode == postcode,
            Location.address_normalised == normalised,
        )
    )
    if found is not None:
        return found
    easting = northing = None
    if person.lat is not None and person.lon is not None:
        eastings, northings = geo.wgs84_to_bng([person.lon], [person.lat])
        easting, northing = round(eastings[0]), round(northings[0])
    location = Location(
        force_id=force_id,
        address_text=person.address or person.postcode or "",
        address_normalised=normalised,
        postcode=postcode,
        latitude=person.lat,
        longitude=person.lon,
        easting=easting,
        northing=northing,
    )
    session.add(location)
    session.flush()
    return location


def build_history(session: Session, *, force_id: int, scenario: Scenario, now: datetime) -> Built:
    """Writes the scenario's history unless this force has it already. The caller commits."""
    built = Built(scenario.name)
    history = scenario.history
    if history is None:
        return built
    first = f"{reference_prefix(scenario.name)}-001"
    exists = select(Incident.id).where(Incident.force_id == force_id, Incident.reference == first)
    if session.scalar(exists) is not None:
        built.already_present = True
        return built
    builder = Builder(session, force_id, scenario, now, random.Random(scenario.name), built)
    number = 0
    for run in history.incidents:
        number = builder.incidents(run, number)
    session.flush()
    later_records(builder, history)
    session.flush()
    return built
