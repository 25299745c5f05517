"""Advice from the specialist to the handler and to attending officers, and its acknowledgement."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Call
from heard.review import service
from heard.review.events import AdviceAcknowledged, AdviceSent
from heard.review.models import (
    REVIEW_TRANSITIONS,
    AdviceAcknowledgement,
    AdviceMessage,
    Audience,
    OfficerAssignment,
    ReviewState,
)


def officers_on(session: Session, *, incident_id: int | None) -> list[int]:
    if incident_id is None:
        return []
    query = select(OfficerAssignment.officer_user_id).where(
        OfficerAssignment.incident_id == incident_id
    )
    return sorted(session.scalars(query))


def send(
    session: Session, *, call: Call, actor: Actor, audience: Audience, text: str, urgent: bool
) -> AdviceMessage:
    """Only the specialist holding the review advises, so advice has one clear author."""
    review = service.owned_review(session, call=call, actor=actor)
    if review.state is ReviewState.CLOSED:
        raise errors.Conflict("this review is closed")
    now = utcnow()
    advice = AdviceMessage(
        force_id=call.force_id,
        call_id=call.id,
        incident_id=call.incident_id,
        review_id=review.id,
        audience=audience,
        text=text,
        urgent=urgent,
        sent_by=service.person(actor),
        sent_by_name=service.user_name(session, actor.user_id) or actor.username,
        sent_at=now,
    )
    session.add(advice)
    if review.state is ReviewState.LISTENING:
        review.state = REVIEW_TRANSITIONS.check(review.state, ReviewState.ADVISED)
    review.first_advice_at = review.first_advice_at or now
    session.flush()
    officers = officers_on(session, incident_id=call.incident_id)
    audit.record(
        session,
        actor=actor,
        action="advice.send",
        record_type="call",
        record_id=call.id,
        details={"advice_id": advice.id, "audience": audience.value, "urgent": urgent},
    )
    record_event(
        session,
        AdviceSent(
            force_id=call.force_id,
            call_id=call.id,
            advice_id=advice.id,
            audience=audience.value,
            officer_user_ids=tuple(officers) if audience is Audience.OFFICERS else (),
        ),
    )
    service.announce(session, review, "advice")
    return advice


def find(session: Session, *, force_id: int, advice_id: int) -> AdviceMessage:
    advice = session.get(AdviceMessage, advice_id)
    if advice is None or advice.force_id != force_id:
        raise errors.NotFound(f"no advice {advice_id} in your force")
    return advice


def acknowledge(session: Session, *, advice: AdviceMessage, actor: Actor) -> AdviceAcknowledgement:
    """Idempotent: acknowledging twice keeps the first time."""
    user_id = service.person(actor)
    existing = session.scalar(
        select(AdviceAcknowledgement).where(
            AdviceAcknowledgement.advice_id == advice.id, AdviceAcknowledgement.user_id == user_id
        )
    )
    if existing is not None:
        return existing
    now = utcnow()
    ack = AdviceAcknowledgement(
        force_id=advice.force_id,
        advice_id=advice.id,
        call_id=advice.call_id,
        user_id=user_id,
        user_name=service.user_name(session, user_id) or actor.username,
        role=actor.role,
        acknowledged_at=now,
        seconds_to_acknowledge=max(0.0, (now - advice.sent_at).total_seconds()),
    )
    session.add(ack)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="advice.acknowledge",
        record_type="call",
        record_id=advice.call_id,
        details={"advice_id": advice.id},
    )
    officers = (
        officers_on(session, incident_id=advice.incident_id)
        if advice.audience is Audience.OFFICERS
        else []
    )
    record_event(
        session,
        AdviceAcknowledged(
            force_id=advice.force_id,
            call_id=advice.call_id,
            advice_id=advice.id,
            user_id=user_id,
            officer_user_ids=tuple(officers),
        ),
    )
    return ack


def for_call(
    session: Session, *, call_id: int, audience: Audience | None = None
) -> list[tuple[AdviceMessage, list[AdviceAcknowledgement]]]:
    """Newest first, each with who has acknowledged it."""
    query = select(AdviceMessage).where(AdviceMessage.call_id == call_id)
    if audience is not None:
        query = query.where(AdviceMessage.audience == audience)
    return _with_acks(session, list(session.scalars(query.order_by(AdviceMessage.id.desc()))))


def for_incident(
    session: Session, *, incident_id: int, audience: Audience
) -> list[tuple[AdviceMessage, list[AdviceAcknowledgement]]]:
    query = select(AdviceMessage).where(
        AdviceMessage.incident_id == incident_id, AdviceMessage.audience == audience
    )
    return _with_acks(session, list(session.scalars(query.order_by(AdviceMessage.id.desc()))))


def _with_acks(
    session: Session, messages: list[AdviceMessage]
) -> list[tuple[AdviceMessage, list[AdviceAcknowledgement]]]:
    if not messages:
        return []
    acks: dict[int, list[AdviceAcknowledgement]] = {m.id: [] for m in messages}
    query = select(AdviceAcknowledgement).where(AdviceAcknowledgement.advice_id.in_(list(acks)))
    for ack in session.scalars(query.order_by(AdviceAcknowledgement.id)):
        acks[ack.advice_id].append(ack)
    return [(m, acks[m.id]) for m in messages]
