"""The people on a call: each stored as a person record and linked, and how they are related."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from heard.calls import parsing
from heard.calls.index import ForceIndex
from heard.calls.linking import LinkOutcome, link_new_record
from heard.incidents.models import Call, Category, Connection, Incident, Relationship, Role
from heard.people.models import PersonRecord, Sex

Party = tuple[PersonRecord, Role, LinkOutcome]


def record_people(
    session: Session,
    *,
    call: Call,
    raw_people: list[Any],
    notes: parsing.Notes,
    index: ForceIndex,
    postcode: str | None,
    caller_from_number: bool = True,
) -> list[Party]:
    """The people named on the call, each stored and linked. A person's record carries no
    address of its own here, so each is matched with the call's postcode."""
    people = []
    for at, raw in enumerate(raw_people):
        path = f"people.{at}"
        if not isinstance(raw, dict):
            notes.add(path, raw, "expected an object describing a person; ignored")
            continue
        record, role = _person_record(call, raw, path, notes)
        people.append(
            (
                record,
                role,
                link_new_record(session, record=record, call=call, index=index, postcode=postcode),
            )
        )
    named_caller = any(
        role is Role.CALLER or rec.phone_e164 == call.caller_number_e164 for rec, role, _ in people
    )
    if caller_from_number and call.caller_number_e164 and not named_caller:
        # The caller's number is often the strongest link there is, even before a name is given.
        record = PersonRecord(
            force_id=call.force_id,
            recorded_at=call.received_at,
            name_raw="",
            sex=Sex.UNKNOWN,
            phone_raw=call.caller_number,
            phone_e164=call.caller_number_e164,
        )
        people.append(
            (
                record,
                Role.CALLER,
                link_new_record(session, record=record, call=call, index=index, postcode=postcode),
            )
        )
    return people


def _person_record(
    call: Call, raw: dict[str, Any], path: str, notes: parsing.Notes
) -> tuple[PersonRecord, Role]:
    given = parsing.text(raw.get("given_name"), f"{path}.given_name", notes, limit=80)
    family = parsing.text(raw.get("family_name"), f"{path}.family_name", notes, limit=80)
    full = parsing.text(raw.get("name"), f"{path}.name", notes, limit=200)
    if full and not (given or family):
        parts = full.split()
        given, family = (parts[0], " ".join(parts[1:]) or None) if parts else (None, None)
    phone_raw, e164 = parsing.phone(raw.get("phone"), f"{path}.phone", notes)
    record = PersonRecord(
        force_id=call.force_id,
        recorded_at=call.received_at,
        name_raw=full or " ".join(p for p in (given, family) if p),
        given_name=given,
        family_name=family,
        date_of_birth=parsing.date_of_birth(
            raw.get("date_of_birth"), f"{path}.date_of_birth", notes, today=call.received_at.date()
        ),
        age_years=parsing.age(raw.get("age"), f"{path}.age", notes),
        sex=parsing.sex(raw.get("sex"), f"{path}.sex", notes),
        phone_raw=phone_raw,
        phone_e164=e164,
        address_raw=parsing.text(raw.get("address"), f"{path}.address", notes, limit=500),
    )
    return record, parsing.role(raw.get("role"), f"{path}.role", notes)


RelationshipGiven = tuple[Connection | None, dict[str, Any]]


def relationship_given(raw: Any, notes: parsing.Notes) -> RelationshipGiven:
    """The connection between victim and suspect as given, and the rest of what was said."""
    details = (
        parsing.mapping(raw, "relationship", notes)
        if isinstance(raw, dict)
        else {"connection": raw}
    )
    return parsing.connection(details.get("connection"), "relationship.connection", notes), details


def _victim_and_suspect(
    people: list[Party],
) -> tuple[PersonRecord | None, PersonRecord | None]:
    victim = next((rec for rec, role, _ in people if role is Role.VICTIM), None)
    suspect = next((rec for rec, role, _ in people if role is Role.SUSPECT), None)
    return victim, suspect


def is_domestic(relationship: RelationshipGiven, people: list[Party]) -> bool:
    """A personally connected victim and suspect, both on the call: a domestic abuse incident."""
    connection = relationship[0]
    victim, suspect = _victim_and_suspect(people)
    connected = connection is not None and connection is not Connection.NOT_CONNECTED
    return connected and victim is not None and suspect is not None


def record_relationship(
    session: Session,
    *,
    call: Call,
    people: list[Party],
    relationship: RelationshipGiven,
    notes: parsing.Notes,
) -> None:
    connection, details = relationship
    victim, suspect = _victim_and_suspect(people)
    if connection is None or victim is None or suspect is None or call.incident_id is None:
        return
    session.add(
        Relationship(
            force_id=call.force_id,
            incident_id=call.incident_id,
            victim_record_id=victim.id,
            suspect_record_id=suspect.id,
            connection=connection,
            is_former=bool(details.get("former", False)),
            detail=parsing.text(details.get("detail"), "relationship.detail", notes, limit=40),
        )
    )
    if is_domestic(relationship, people):
        incident = session.get_one(Incident, call.incident_id)
        incident.is_domestic_abuse = True
        incident.category = Category.DOMESTIC
