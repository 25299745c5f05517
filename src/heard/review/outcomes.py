"""The review outcome the specialist records, with coaching feedback for the handler."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.incidents.models import Call, Grade
from heard.review import service
from heard.review.models import REVIEW_TRANSITIONS, ReferralNeed, ReviewOutcome, ReviewState


@dataclass(frozen=True)
class OutcomeDraft:
    agreed: bool
    raised_grade: Grade | None
    referrals_needed: tuple[ReferralNeed, ...]
    missed_opportunity: bool
    missed_opportunity_note: str | None
    coaching: str | None


def _checked_note(draft: OutcomeDraft) -> str | None:
    """The missed-opportunity note, which a missed opportunity must have."""
    note = (draft.missed_opportunity_note or "").strip() or None
    if draft.missed_opportunity and (note is None or len(note) < service.MIN_NOTE):
        raise errors.Invalid(
            "say what the missed opportunity was (at least "
            f"{service.MIN_NOTE} characters), so it can be learned from",
            errors=[{"field": "missed_opportunity_note", "message": "required"}],
        )
    if draft.agreed and draft.raised_grade is not None:
        raise errors.Invalid(
            "the outcome cannot both agree with the handling and raise the grade",
            errors=[{"field": "raised_grade", "message": "leave empty when you agree"}],
        )
    return note


def record(session: Session, *, call: Call, actor: Actor, draft: OutcomeDraft) -> ReviewOutcome:
    review = service.owned_review(session, call=call, actor=actor)
    if review.state not in (ReviewState.LISTENING, ReviewState.ADVISED):
        raise errors.Conflict(f"the outcome cannot be recorded on a {review.state.value} review")
    note = _checked_note(draft)
    now = utcnow()
    outcome = ReviewOutcome(
        force_id=call.force_id,
        review_id=review.id,
        call_id=call.id,
        agreed=draft.agreed,
        raised_grade=draft.raised_grade,
        referrals_needed=[r.value for r in draft.referrals_needed],
        missed_opportunity=draft.missed_opportunity,
        missed_opportunity_note=note if draft.missed_opportunity else None,
        coaching=(draft.coaching or "").strip() or None,
        recorded_by=service.person(actor),
        recorded_by_name=service.user_name(session, actor.user_id) or actor.username,
        recorded_at=now,
    )
    session.add(outcome)
    review.state = REVIEW_TRANSITIONS.check(review.state, ReviewState.REVIEWED)
    review.reviewed_at = now
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="review.outcome",
        record_type="call",
        record_id=call.id,
        details={
            "agreed": draft.agreed,
            "raised_grade": draft.raised_grade.value if draft.raised_grade else None,
            "referrals_needed": outcome.referrals_needed,
            "missed_opportunity": draft.missed_opportunity,
            "coaching": outcome.coaching is not None,
        },
    )
    service.announce(session, review, "outcome")
    return outcome


def for_call(session: Session, *, call_id: int) -> ReviewOutcome | None:
    found: ReviewOutcome | None = session.scalar(
        select(ReviewOutcome).where(ReviewOutcome.call_id == call_id)
    )
    return found
