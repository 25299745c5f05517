"""Intake use cases: store a call durably, record the people on it, and link them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.calls import parsing, parties, queries
from heard.calls.index import ForceIndex
from heard.calls.linking import LinkOutcome, location_postcode
from heard.calls.schemas import CallIn, CallPatch
from heard.clock import utcnow
from heard.incidents.models import (
    CALL_TRANSITIONS,
    Call,
    CallStatus,
    Category,
    Grade,
    Incident,
    Involvement,
)
from heard.people import normalise
from heard.people.models import Location
from heard.risk import marac_service

ATTACH_WINDOW = timedelta(hours=24)
PARTY_ROLES = queries.PARTY_ROLES


@dataclass
class IntakeResult:
    call: Call
    created: bool
    people: list[parties.Party]
    incident_link: str


def find_call(session: Session, *, force_id: int, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None or call.force_id != force_id:
        raise errors.NotFound(f"no call {call_id} in your force")
    return call


def intake(
    session: Session, *, force_id: int, body: CallIn, actor: Actor, index: ForceIndex
) -> IntakeResult:
    existing = session.scalar(
        queries.CALL_BY_SOURCE_REF, {"force_id": force_id, "source_ref": body.source_ref}
    )
    if existing is not None:
        return IntakeResult(existing, False, people_on_call(session, call=existing), "existing")
    notes = parsing.Notes()
    for name, value in (body.model_extra or {}).items():
        notes.add(name, value, "unknown field; kept here and otherwise ignored")
    call, postcode = _new_call(session, force_id=force_id, body=body, notes=notes)
    people = parties.record_people(
        session, call=call, raw_people=body.people, notes=notes, index=index, postcode=postcode
    )
    relationship = parties.relationship_given(body.relationship, notes)
    incident_link = _attach_incident(
        session,
        call=call,
        people=people,
        body=body,
        notes=notes,
        domestic=parties.is_domestic(relationship, people),
    )
    parties.record_relationship(
        session, call=call, people=people, relationship=relationship, notes=notes
    )
    marac_service.queue_repeat_checks(session, incident_id=call.incident_id)
    if notes.items:  # most calls have none, and assigning None would still send an UPDATE
        call.invalid_fields = notes.items
    audit.record(
        session,
        actor=actor,
        action="call.create",
        force_id=force_id,
        record_type="call",
        record_id=call.id,
        details={"source_ref": call.source_ref, "invalid_fields": len(notes.items)},
    )
    session.flush()
    return IntakeResult(call, True, people, incident_link)


def _new_call(
    session: Session, *, force_id: int, body: CallIn, notes: parsing.Notes
) -> tuple[Call, str | None]:
    """The stored call, and the postcode of its location (given, or stored with the address)."""
    raw_number, e164 = parsing.phone(body.caller_number, "caller_number", notes)
    aml = parsing.mapping(body.aml, "aml", notes)
    call = Call(
        force_id=force_id,
        source_ref=body.source_ref,
        channel=body.channel,
        received_at=body.received_at,
        caller_number=raw_number,
        caller_number_e164=e164,
        free_text=parsing.text(body.free_text, "free_text", notes),
        aml_latitude=parsing.coordinate(aml.get("lat"), "aml.lat", notes, low=-90, high=90),
        aml_longitude=parsing.coordinate(aml.get("lon"), "aml.lon", notes, low=-180, high=180),
        aml_accuracy_m=parsing.coordinate(
            aml.get("accuracy_m"), "aml.accuracy_m", notes, low=0, high=100_000
        ),
        address_text=parsing.text(body.address, "address", notes, limit=500),
        handler_ref=parsing.text(body.handler_ref, "handler_ref", notes, limit=64),
        status=CallStatus.OPEN,
    )
    postcode = parsing.postcode(body.postcode, "postcode", notes)
    call.location_id, postcode = _location(session, force_id, call.address_text, postcode)
    session.add(call)
    session.flush()
    return call, postcode


def _location(
    session: Session, force_id: int, address: str | None, postcode: str | None
) -> tuple[int | None, str | None]:
    """The location's id (found, or stored now) and its postcode."""
    if not address and not postcode:
        return None, None
    normalised = normalise.address(address or "")
    found = session.execute(
        queries.LOCATION[bool(postcode), bool(normalised)],
        {"force_id": force_id, "postcode": postcode, "address": normalised},
    ).first()
    if found is not None:
        return found.id, found.postcode
    location = Location(
        force_id=force_id,
        address_text=address or postcode or "",
        address_normalised=normalised,
        postcode=postcode,
    )
    session.add(location)
    session.flush()
    return location.id, postcode


def _open_incident_for(
    session: Session, *, call: Call, subject_ids: set[int]
) -> tuple[int | None, str]:
    since = call.received_at - ATTACH_WINDOW
    if subject_ids:
        found = session.scalar(
            queries.OPEN_INCIDENT_OF_PARTIES,
            {"force_id": call.force_id, "since": since, "subject_ids": list(subject_ids)},
        )
        if found is not None:
            return found, "attached"
    if call.location_id is not None:
        found = session.scalar(
            queries.OPEN_INCIDENT_AT_LOCATION,
            {"force_id": call.force_id, "since": since, "location_id": call.location_id},
        )
        if found is not None:
            return found, "suggested"
    return None, "new"


def _attach_incident(
    session: Session,
    *,
    call: Call,
    people: list[parties.Party],
    body: CallIn,
    notes: parsing.Notes,
    domestic: bool,
) -> str:
    subject_ids = {r.subject_id for r, role, _ in people if role in PARTY_ROLES and r.subject_id}
    incident_id, how = _open_incident_for(session, call=call, subject_ids=subject_ids)
    if how == "attached":
        call.incident_id = incident_id
    else:
        # Both set after the new incident is stored: the call is updated once, not twice.
        new_id = _new_incident(session, call=call, body=body, notes=notes, domestic=domestic).id
        call.suggested_incident_id, call.incident_id = incident_id, new_id
    for record, role, _ in people:
        session.add(
            Involvement(
                force_id=call.force_id,
                incident_id=call.incident_id,
                person_record_id=record.id,
                role=role,
                call_id=call.id,
            )
        )
    session.flush()
    return how


def _new_incident(
    session: Session, *, call: Call, body: CallIn, notes: parsing.Notes, domestic: bool
) -> Incident:
    grade_text = parsing.text(body.grade, "grade", notes, limit=16)
    try:
        grade = Grade(grade_text.lower()) if grade_text else Grade.PRIORITY
    except ValueError:
        notes.add(
            "grade", body.grade, "grade not understood; set to priority for a person to check"
        )
        grade = Grade.PRIORITY
    incident = Incident(
        force_id=call.force_id,
        reference=f"INC-{call.received_at:%Y%m%d}-{call.id}",
        opened_at=call.received_at,
        closed_at=None,
        category=Category.DOMESTIC if domestic else Category.CONCERN_FOR_WELFARE,
        is_domestic_abuse=domestic,
        crime_recorded=False,
        location_id=call.location_id,
        grade=grade,
        arrest_made=False,
        outcome=None,
    )
    session.add(incident)
    session.flush()
    return incident


def people_on_call(session: Session, *, call: Call) -> list[parties.Party]:
    rows = session.execute(queries.PEOPLE_ON_CALL, {"call_id": call.id}).all()
    return [(record, role, LinkOutcome.stored(session, record=record)) for record, role in rows]


def add_details(
    session: Session, *, call: Call, body: CallPatch, actor: Actor, index: ForceIndex
) -> list[parties.Party]:
    if call.status is CallStatus.CLOSED:
        raise errors.Conflict("this call is closed; details can no longer be added")
    notes = parsing.Notes(list(call.invalid_fields or []))
    if (text := parsing.text(body.free_text, "free_text", notes)) is not None:
        call.free_text = f"{call.free_text}\n{text}" if call.free_text else text
    if body.address is not None or body.postcode is not None:
        call.address_text = parsing.text(body.address, "address", notes, limit=500)
        postcode = parsing.postcode(body.postcode, "postcode", notes)
        call.location_id, postcode = _location(session, call.force_id, call.address_text, postcode)
    else:
        postcode = location_postcode(session, location_id=call.location_id)
    new_people = parties.record_people(
        session,
        call=call,
        raw_people=body.people,
        notes=notes,
        index=index,
        postcode=postcode,
        caller_from_number=False,
    )
    for record, role, _ in new_people:
        session.add(
            Involvement(
                force_id=call.force_id,
                incident_id=call.incident_id,
                person_record_id=record.id,
                role=role,
                call_id=call.id,
            )
        )
    parties.record_relationship(
        session,
        call=call,
        people=people_on_call(session, call=call) + new_people,
        relationship=parties.relationship_given(body.relationship, notes),
        notes=notes,
    )
    marac_service.queue_repeat_checks(session, incident_id=call.incident_id)
    call.invalid_fields = notes.items or None
    audit.record(
        session,
        actor=actor,
        action="call.update",
        record_type="call",
        record_id=call.id,
        details={"people_added": len(new_people)},
    )
    session.flush()
    return people_on_call(session, call=call)


def close(session: Session, *, call: Call, disposition: str, actor: Actor) -> Call:
    call.status = CALL_TRANSITIONS.check(call.status, CallStatus.CLOSED)
    call.closed_at = utcnow()
    call.disposition = disposition
    audit.record(
        session,
        actor=actor,
        action="call.close",
        record_type="call",
        record_id=call.id,
        details={"disposition": disposition},
    )
    return call


def recent_calls(session: Session, *, force_id: int, since: datetime) -> list[Call]:
    query = select(Call).where(
        Call.force_id == force_id, or_(Call.received_at >= since, Call.status == CallStatus.OPEN)
    )
    return list(session.scalars(query.order_by(Call.received_at.desc()).limit(200)))
