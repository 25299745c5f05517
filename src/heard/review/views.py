"""HTTP edge for specialist review, advice and attending officers (the console posts here too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.auth.deps import UowDep, require
from heard.auth.permissions import Permission, Role
from heard.auth.principal import Principal
from heard.calls import service as calls
from heard.review import advice, officers, outcomes, queue, service
from heard.review.models import AdviceMessage, DaReview
from heard.review.outcomes import OutcomeDraft
from heard.review.queue import QueueEntry
from heard.review.schemas import (
    AcknowledgementOut,
    AdviceIn,
    AdviceOut,
    AssignmentOut,
    AssignOfficerIn,
    HandOverIn,
    OutcomeIn,
    OutcomeOut,
    QueueEntryOut,
    ReleaseIn,
    ReviewDetailOut,
    ReviewOut,
)

router = APIRouter(prefix="/api/v1", tags=["specialist review"])
QueueReader = Annotated[Principal, Depends(require(Permission.QUEUE_READ))]
Reviewer = Annotated[Principal, Depends(require(Permission.REVIEW_RECORD))]
Adviser = Annotated[Principal, Depends(require(Permission.ADVICE_SEND))]
AdviceReader = Annotated[Principal, Depends(require(Permission.ADVICE_READ))]
Dispatcher = Annotated[Principal, Depends(require(Permission.OFFICER_ASSIGN))]
Officer = Annotated[Principal, Depends(require(Permission.INCIDENT_ATTEND))]


def entry_out(entry: QueueEntry) -> QueueEntryOut:
    return QueueEntryOut(
        call_id=entry.call.id,
        source_ref=entry.call.source_ref,
        received_at=entry.call.received_at,
        state=entry.state,
        owner_name=entry.owner_name,
        grade=entry.grade,
        grade_source=entry.grade_source,
        risk_score=entry.risk.score,
        risk_band=entry.risk.band,
        risk_reasons=list(entry.risk.reasons),
        due_at=entry.timer.due_at,
        timer=entry.timer_state,
    )


def review_out(session: Session, review: DaReview) -> ReviewOut:
    return ReviewOut(
        call_id=review.call_id,
        review_id=review.id,
        state=review.state,
        owner_user_id=review.owner_user_id,
        owner_name=service.user_name(session, review.owner_user_id),
        first_claimed_at=review.first_claimed_at,
        reviewed_at=review.reviewed_at,
        closed_at=review.closed_at,
    )


def advice_out(message: AdviceMessage, names: list[str]) -> AdviceOut:
    out = AdviceOut.model_validate(message)
    out.acknowledged_by = names
    return out


@router.get("/review/queue", response_model=list[QueueEntryOut])
def review_queue(principal: QueueReader, uow: UowDep) -> list[QueueEntryOut]:
    """Every domestic abuse call in your force, ranked by risk and then by time left."""
    return [entry_out(e) for e in queue.entries(uow.session, force_id=principal.force_id)]


@router.get("/review/calls/{call_id}", response_model=ReviewDetailOut)
def review_detail(call_id: int, principal: QueueReader, uow: UowDep) -> ReviewDetailOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    entry = queue.entry_for(uow.session, call=call)
    if entry is None:
        raise errors.NotFound(f"call {call_id} is not on the specialist queue")
    outcome = outcomes.for_call(uow.session, call_id=call.id)
    audit.record(
        uow.session, actor=principal.actor(), action="review.view", record_type="call",
        record_id=call.id,
    )  # fmt: skip
    out = ReviewDetailOut(
        entry=entry_out(entry),
        review=review_out(uow.session, entry.review) if entry.review else None,
        advice=[
            advice_out(m, [a.user_name for a in acks])
            for m, acks in advice.for_call(uow.session, call_id=call.id)
        ],
        outcome=OutcomeOut.model_validate(outcome) if outcome else None,
    )
    uow.commit()
    return out


@router.post("/review/calls/{call_id}/claim", response_model=ReviewOut)
def claim(call_id: int, principal: Reviewer, uow: UowDep) -> ReviewOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    review = service.claim(uow.session, call=call, actor=principal.actor())
    out = review_out(uow.session, review)
    uow.commit()
    return out


@router.post("/review/calls/{call_id}/hand-over", response_model=ReviewOut)
def hand_over(call_id: int, body: HandOverIn, principal: Reviewer, uow: UowDep) -> ReviewOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    review = service.hand_over(
        uow.session, call=call, actor=principal.actor(), to_user_id=body.to_user_id, note=body.note
    )
    out = review_out(uow.session, review)
    uow.commit()
    return out


@router.post("/review/calls/{call_id}/release", response_model=ReviewOut)
def release(
    call_id: int,
    principal: Reviewer,
    uow: UowDep,
    body: Annotated[ReleaseIn | None, Body()] = None,
) -> ReviewOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    note = body.note if body else None
    review = service.release(uow.session, call=call, actor=principal.actor(), note=note)
    out = review_out(uow.session, review)
    uow.commit()
    return out


@router.post("/review/calls/{call_id}/advice", response_model=AdviceOut, status_code=201)
def send_advice(call_id: int, body: AdviceIn, principal: Adviser, uow: UowDep) -> AdviceOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    message = advice.send(
        uow.session,
        call=call,
        actor=principal.actor(),
        audience=body.audience,
        text=body.text,
        urgent=body.urgent,
    )
    out = advice_out(message, [])
    uow.commit()
    return out


@router.post("/review/calls/{call_id}/outcome", response_model=OutcomeOut, status_code=201)
def record_outcome(call_id: int, body: OutcomeIn, principal: Reviewer, uow: UowDep) -> OutcomeOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    draft = OutcomeDraft(
        agreed=body.agreed,
        raised_grade=body.raised_grade,
        referrals_needed=tuple(dict.fromkeys(body.referrals_needed)),
        missed_opportunity=body.missed_opportunity,
        missed_opportunity_note=body.missed_opportunity_note,
        coaching=body.coaching,
    )
    outcome = outcomes.record(uow.session, call=call, actor=principal.actor(), draft=draft)
    out = OutcomeOut.model_validate(outcome)
    uow.commit()
    return out


@router.post("/review/calls/{call_id}/close", response_model=ReviewOut)
def close(call_id: int, principal: Reviewer, uow: UowDep) -> ReviewOut:
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    review = service.close(uow.session, call=call, actor=principal.actor())
    out = review_out(uow.session, review)
    uow.commit()
    return out


@router.post("/advice/{advice_id}/acknowledge", response_model=AcknowledgementOut)
def acknowledge_advice(advice_id: int, principal: AdviceReader, uow: UowDep) -> AcknowledgementOut:
    """An officer acknowledges advice on incidents they were sent to; others, any in the force."""
    message = advice.find(uow.session, force_id=principal.force_id, advice_id=advice_id)
    if principal.role is Role.ATTENDING_OFFICER:
        if message.incident_id is None:
            raise errors.NotFound(f"no advice {advice_id} for you")
        try:
            officers.assignment_for(
                uow.session,
                force_id=principal.force_id,
                incident_id=message.incident_id,
                officer_user_id=principal.id,
            )
        except errors.NotFound:
            raise errors.NotFound(f"no advice {advice_id} for you") from None
    ack = advice.acknowledge(uow.session, advice=message, actor=principal.actor())
    out = AcknowledgementOut.model_validate(ack)
    uow.commit()
    return out


@router.post("/calls/{call_id}/officers", response_model=AssignmentOut, status_code=201)
def assign_officer(
    call_id: int, body: AssignOfficerIn, principal: Dispatcher, uow: UowDep
) -> AssignmentOut:
    """Send an attending officer to the call's incident; they then see it on their page."""
    call = calls.find_call(uow.session, force_id=principal.force_id, call_id=call_id)
    assignment = officers.assign(
        uow.session, call=call, actor=principal.actor(), officer_user_id=body.officer_user_id
    )
    out = AssignmentOut.model_validate(assignment)
    uow.commit()
    return out


@router.get("/officer/incidents", response_model=list[AssignmentOut])
def my_incidents(principal: Officer, uow: UowDep) -> list[AssignmentOut]:
    """The open incidents you have been sent to, newest first."""
    rows = officers.assignments_of(uow.session, officer_user_id=principal.id)
    return [AssignmentOut.model_validate(a) for a, _ in rows]


@router.post("/officer/incidents/{incident_id}/acknowledge", response_model=AssignmentOut)
def acknowledge_incident(incident_id: int, principal: Officer, uow: UowDep) -> AssignmentOut:
    assignment = officers.assignment_for(
        uow.session,
        force_id=principal.force_id,
        incident_id=incident_id,
        officer_user_id=principal.id,
    )
    officers.acknowledge(uow.session, assignment=assignment, actor=principal.actor())
    out = AssignmentOut.model_validate(assignment)
    uow.commit()
    return out
