"""Specialist review use cases: claim, hand over, release, advise, record the outcome, close.

Keyword-only functions taking the session; the caller commits. Every decision is audited in
the same transaction and announced by an event after the commit.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.auth.models import User
from heard.auth.permissions import Role
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Call
from heard.review.events import ReviewChanged
from heard.review.models import (
    REVIEW_TRANSITIONS,
    AssignmentAction,
    DaReview,
    ReviewAssignment,
    ReviewState,
)

MIN_NOTE = 5
# Built once: read on every 999 call by the review hook.
_REVIEW_OF_CALL = select(DaReview).where(DaReview.call_id == bindparam("call_id"))


def review_for(session: Session, *, call_id: int) -> DaReview | None:
    found: DaReview | None = session.scalar(_REVIEW_OF_CALL, {"call_id": call_id})
    return found


def ensure_review(session: Session, *, call: Call) -> DaReview:
    """The call's review, created on first use; two creators at once end with one row."""
    found = review_for(session, call_id=call.id)
    if found is not None:
        return found
    return create_review(session, call=call)


def create_review(session: Session, *, call: Call, first_time: bool = False) -> DaReview:
    """A new review for a call `review_for` has just found without one; if another creator
    got there first (or the row exists after all), that review. `first_time`: the call was
    created in this transaction, so no one else can have made its review."""
    review = DaReview(
        force_id=call.force_id,
        call_id=call.id,
        incident_id=call.incident_id,
        state=ReviewState.NEW,
        created_at=utcnow(),
    )
    if first_time:
        session.add(review)
        return review
    try:
        with session.begin_nested():
            session.add(review)
    except IntegrityError:
        existing = review_for(session, call_id=call.id)
        if existing is None:
            raise
        return existing
    return review


def user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    return user.display_name if user else None


def person(actor: Actor) -> int:
    if actor.user_id is None:
        raise errors.Forbidden("specialist review is done by a person, not a system token")
    return actor.user_id


def _owned(session: Session, *, call: Call, actor: Actor) -> DaReview:
    """The review, which the actor must hold: only its owner acts on it."""
    user_id = person(actor)
    review = review_for(session, call_id=call.id)
    if review is None or review.owner_user_id is None:
        raise errors.Conflict("claim this call first: nobody holds its review")
    if review.owner_user_id != user_id:
        holder = user_name(session, review.owner_user_id)
        raise errors.Conflict(f"{holder} holds this review; ask them to hand it over")
    return review


def _announce(session: Session, review: DaReview, action: str) -> None:
    record_event(
        session,
        ReviewChanged(
            force_id=review.force_id,
            call_id=review.call_id,
            review_id=review.id,
            action=action,
            state=review.state.value,
            owner_user_id=review.owner_user_id,
        ),
    )


def _ledger(
    session: Session,
    review: DaReview,
    *,
    action: AssignmentAction,
    by: int,
    from_user: int | None,
    to_user: int | None,
    note: str | None,
) -> None:
    session.add(
        ReviewAssignment(
            force_id=review.force_id,
            review_id=review.id,
            call_id=review.call_id,
            action=action,
            from_user_id=from_user,
            to_user_id=to_user,
            by_user_id=by,
            at=utcnow(),
            note=note,
        )
    )


def claim(session: Session, *, call: Call, actor: Actor) -> DaReview:
    user_id = person(actor)
    review = ensure_review(session, call=call)
    if review.owner_user_id == user_id:
        return review
    if review.owner_user_id is not None:
        holder = user_name(session, review.owner_user_id)
        raise errors.Conflict(f"{holder} already holds this review; ask them to hand it over")
    if review.state is ReviewState.CLOSED:
        raise errors.Conflict("this review is closed")
    now = utcnow()
    if review.state is ReviewState.NEW:
        review.state = REVIEW_TRANSITIONS.check(review.state, ReviewState.LISTENING)
    review.owner_user_id = user_id
    review.claimed_at = now
    review.first_claimed_at = review.first_claimed_at or now
    session.flush()  # a concurrent claim fails here on the version check
    _ledger(
        session, review, action=AssignmentAction.CLAIM, by=user_id, from_user=None,
        to_user=user_id, note=None,
    )  # fmt: skip
    audit.record(session, actor=actor, action="review.claim", record_type="call", record_id=call.id)
    _announce(session, review, "claim")
    return review


def _specialist(session: Session, *, force_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if (
        user is None
        or user.force_id != force_id
        or not user.active
        or user.role is not Role.DA_SPECIALIST
    ):
        raise errors.Invalid(
            "hand the review to an active domestic abuse specialist in your force",
            errors=[{"field": "to_user_id", "message": "not a specialist in your force"}],
        )
    return user


def hand_over(
    session: Session, *, call: Call, actor: Actor, to_user_id: int, note: str | None
) -> DaReview:
    review = _owned(session, call=call, actor=actor)
    if to_user_id == review.owner_user_id:
        raise errors.Invalid("you already hold this review; choose another specialist")
    target = _specialist(session, force_id=call.force_id, user_id=to_user_id)
    previous = review.owner_user_id
    review.owner_user_id = target.id
    review.claimed_at = utcnow()
    session.flush()
    _ledger(
        session, review, action=AssignmentAction.HAND_OVER, by=person(actor), from_user=previous,
        to_user=target.id, note=note,
    )  # fmt: skip
    audit.record(
        session,
        actor=actor,
        action="review.hand_over",
        record_type="call",
        record_id=call.id,
        reason=note,
        details={"from_user_id": previous, "to_user_id": target.id},
    )
    _announce(session, review, "hand_over")
    return review


def release(session: Session, *, call: Call, actor: Actor, note: str | None) -> DaReview:
    review = _owned(session, call=call, actor=actor)
    previous = review.owner_user_id
    review.owner_user_id = None
    if review.state is ReviewState.LISTENING:
        review.state = REVIEW_TRANSITIONS.check(review.state, ReviewState.NEW)
    session.flush()
    _ledger(
        session, review, action=AssignmentAction.RELEASE, by=person(actor), from_user=previous,
        to_user=None, note=note,
    )  # fmt: skip
    audit.record(
        session,
        actor=actor,
        action="review.release",
        record_type="call",
        record_id=call.id,
        reason=note,
    )
    _announce(session, review, "release")
    return review


def close(session: Session, *, call: Call, actor: Actor) -> DaReview:
    review = _owned(session, call=call, actor=actor)
    if review.state is not ReviewState.REVIEWED:
        raise errors.Conflict("record the review outcome before closing the review")
    review.state = REVIEW_TRANSITIONS.check(review.state, ReviewState.CLOSED)
    review.closed_at = utcnow()
    review.owner_user_id = None
    session.flush()
    audit.record(session, actor=actor, action="review.close", record_type="call", record_id=call.id)
    _announce(session, review, "close")
    return review


def owned_review(session: Session, *, call: Call, actor: Actor) -> DaReview:
    return _owned(session, call=call, actor=actor)


def announce(session: Session, review: DaReview, action: str) -> None:
    _announce(session, review, action)
