"""A DA specialist's review of a submitted assessment: agree, or raise the level; never lower it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.clock import utcnow
from heard.risk import marac_service
from heard.risk.assessments import (
    ASSESSMENT_TRANSITIONS,
    Assessment,
    AssessmentReview,
    AssessmentStatus,
    ReviewOutcome,
)
from heard.risk.instruments import Criterion, Level
from heard.risk.models import RiskAssessment, RiskGrade


def review_of(session: Session, *, assessment_id: int) -> AssessmentReview | None:
    return session.scalar(
        select(AssessmentReview).where(AssessmentReview.assessment_id == assessment_id)
    )


def _check(
    assessment: Assessment,
    outcome: ReviewOutcome,
    level: RiskGrade | None,
    reviewer: Actor,
    rationale: str | None,
    coaching_note: str,
) -> None:
    if assessment.status is not AssessmentStatus.SUBMITTED:
        raise errors.Conflict(
            f"assessment {assessment.id} is {assessment.status.value}; only a submitted "
            "assessment that has not been reviewed can be reviewed"
        )
    if reviewer.user_id is not None and reviewer.user_id == assessment.assessor_id:
        raise errors.Conflict("another specialist must review your own assessment")
    if not coaching_note.strip():
        raise errors.Invalid("write a coaching note for the assessor (what went well, what to ask)")
    if outcome is ReviewOutcome.AGREE:
        if level is not None:
            raise errors.Invalid("to change the level choose 'raise'; 'agree' keeps it")
        return
    current = assessment.final_level
    if level is None or (current is not None and Level(level).rank <= Level(current).rank):
        shown = current.value if current else "none"
        raise errors.Invalid(
            f"a review may raise the level, never lower or keep it (it is {shown}); "
            "choose a higher level, or 'agree'"
        )
    if not (rationale and rationale.strip()):
        raise errors.Invalid("say why the level is raised (rationale)")


def review(
    session: Session,
    *,
    assessment: Assessment,
    outcome: ReviewOutcome,
    level: RiskGrade | None,
    rationale: str | None,
    coaching_note: str,
    actor: Actor,
) -> AssessmentReview:
    _check(assessment, outcome, level, actor, rationale, coaching_note)
    row = AssessmentReview(
        force_id=assessment.force_id,
        assessment_id=assessment.id,
        reviewer_id=actor.user_id,
        outcome=outcome,
        raised_level=level,
        rationale=rationale,
        coaching_note=coaching_note,
        reviewed_at=utcnow(),
    )
    session.add(row)
    assessment.status = ASSESSMENT_TRANSITIONS.check(assessment.status, AssessmentStatus.REVIEWED)
    if level is not None and assessment.risk_assessment_id is not None:
        # The force's record of the grade follows the raise; the assessment itself is unchanged.
        session.get_one(RiskAssessment, assessment.risk_assessment_id).grade = level
    if level is RiskGrade.HIGH and assessment.marac_referral_id is None:
        referral = marac_service.raise_referral(
            session,
            force_id=assessment.force_id,
            victim_record_id=assessment.victim_record_id,
            incident_id=assessment.incident_id,
            criteria=[Criterion.PROFESSIONAL_JUDGEMENT.value],
            actor=actor,
        )
        assessment.marac_referral_id = referral.id
    audit.record(
        session,
        actor=actor,
        action=f"risk.assessment.review.{outcome.value}",
        record_type="assessment",
        record_id=assessment.id,
        details={"raised_level": level.value if level else None},
    )
    session.flush()
    return row


def awaiting_review(session: Session, *, force_id: int, limit: int = 200) -> list[Assessment]:
    """Submitted assessments no specialist has reviewed yet, oldest first (a queue)."""
    query = select(Assessment).where(
        Assessment.force_id == force_id, Assessment.status == AssessmentStatus.SUBMITTED
    )
    return list(
        session.scalars(query.order_by(Assessment.submitted_at, Assessment.id).limit(limit))
    )
