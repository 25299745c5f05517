"""Attending officers: who is sent to an incident, and their confirmation they have read it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.auth.models import User
from heard.auth.permissions import Role
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Call, Incident
from heard.review import advice, service
from heard.review.events import OfficerAcknowledged, OfficerAssigned
from heard.review.models import Audience, OfficerAssignment


def _officer(session: Session, *, force_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if (
        user is None
        or user.force_id != force_id
        or not user.active
        or user.role is not Role.ATTENDING_OFFICER
    ):
        raise errors.Invalid(
            "choose an active attending officer in your force",
            errors=[{"field": "officer_user_id", "message": "not an officer in your force"}],
        )
    return user


def officers_in_force(session: Session, *, force_id: int) -> list[User]:
    query = select(User).where(
        User.force_id == force_id, User.role == Role.ATTENDING_OFFICER, User.active.is_(True)
    )
    return list(session.scalars(query.order_by(User.display_name)))


def assign(
    session: Session, *, call: Call, actor: Actor, officer_user_id: int
) -> OfficerAssignment:
    """Idempotent: sending the same officer again keeps the first assignment."""
    if call.incident_id is None:
        raise errors.Conflict("this call has no incident yet to send an officer to")
    officer = _officer(session, force_id=call.force_id, user_id=officer_user_id)
    existing = _find(session, incident_id=call.incident_id, officer_user_id=officer.id)
    if existing is not None:
        return existing
    assignment = OfficerAssignment(
        force_id=call.force_id,
        incident_id=call.incident_id,
        call_id=call.id,
        officer_user_id=officer.id,
        assigned_by=actor.user_id,
        assigned_by_name=service.user_name(session, actor.user_id) or actor.username,
        assigned_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(assignment)
    except IntegrityError:
        raced = _find(session, incident_id=call.incident_id, officer_user_id=officer.id)
        if raced is None:
            raise
        return raced
    audit.record(
        session,
        actor=actor,
        action="officer.assign",
        record_type="incident",
        record_id=call.incident_id,
        details={"call_id": call.id, "officer_user_id": officer.id},
    )
    record_event(
        session,
        OfficerAssigned(
            force_id=call.force_id,
            call_id=call.id,
            incident_id=call.incident_id,
            officer_user_id=officer.id,
        ),
    )
    return assignment


def _find(session: Session, *, incident_id: int, officer_user_id: int) -> OfficerAssignment | None:
    found: OfficerAssignment | None = session.scalar(
        select(OfficerAssignment).where(
            OfficerAssignment.incident_id == incident_id,
            OfficerAssignment.officer_user_id == officer_user_id,
        )
    )
    return found


def assignment_for(
    session: Session, *, force_id: int, incident_id: int, officer_user_id: int
) -> OfficerAssignment:
    """The officer's own assignment; an incident they were not sent to does not exist for them."""
    found = _find(session, incident_id=incident_id, officer_user_id=officer_user_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound(f"no incident {incident_id} assigned to you")
    return found


def assignments_of(
    session: Session, *, officer_user_id: int
) -> list[tuple[OfficerAssignment, Incident]]:
    """The officer's incidents still open, newest first."""
    query = (
        select(OfficerAssignment, Incident)
        .join(Incident, Incident.id == OfficerAssignment.incident_id)
        .where(OfficerAssignment.officer_user_id == officer_user_id, Incident.closed_at.is_(None))
        .order_by(OfficerAssignment.assigned_at.desc())
    )
    return [(a, i) for a, i in session.execute(query)]


def officers_for(session: Session, *, incident_id: int) -> list[tuple[OfficerAssignment, str]]:
    query = (
        select(OfficerAssignment, User.display_name)
        .join(User, User.id == OfficerAssignment.officer_user_id)
        .where(OfficerAssignment.incident_id == incident_id)
        .order_by(OfficerAssignment.assigned_at)
    )
    return [(a, name) for a, name in session.execute(query)]


def acknowledge(
    session: Session, *, assignment: OfficerAssignment, actor: Actor
) -> OfficerAssignment:
    """The officer has read the safety information, and every piece of advice sent so far."""
    now = utcnow()
    if assignment.acknowledged_at is None:
        assignment.acknowledged_at = now
    for message, acks in advice.for_incident(
        session, incident_id=assignment.incident_id, audience=Audience.OFFICERS
    ):
        if not any(a.user_id == actor.user_id for a in acks):
            advice.acknowledge(session, advice=message, actor=actor)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="officer.acknowledge",
        record_type="incident",
        record_id=assignment.incident_id,
    )
    record_event(
        session,
        OfficerAcknowledged(
            force_id=assignment.force_id,
            call_id=assignment.call_id,
            incident_id=assignment.incident_id,
            officer_user_id=assignment.officer_user_id,
        ),
    )
    return assignment
