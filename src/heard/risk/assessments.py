"""Tables for risk assessments as they are worked on, submitted (immutable) and reviewed.

`risk_assessments` (models.py) holds the completed grade that history queries read; an assessment
here writes one such row when it is submitted, so the control room's context sees it at once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import (
    Base,
    BigId,
    ForceOwnedMixin,
    IdMixin,
    JsonDoc,
    VersionedMixin,
    enum_column,
)
from heard.db.states import StateMachine
from heard.risk.models import MaracOutcome, RiskGrade


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # immutable from here on; a re-assessment is a new version
    REVIEWED = "reviewed"


ASSESSMENT_TRANSITIONS = StateMachine[AssessmentStatus](
    "risk assessment",
    {
        AssessmentStatus.DRAFT: frozenset({AssessmentStatus.SUBMITTED}),
        AssessmentStatus.SUBMITTED: frozenset({AssessmentStatus.REVIEWED}),
        AssessmentStatus.REVIEWED: frozenset(),
    },
)

# The MARAC referral's own life: listed for a meeting, then an outcome. "Not heard" can be listed
# again; the other outcomes close it (a later incident is a repeat referral, a new row).
MARAC_TRANSITIONS = StateMachine[MaracOutcome](
    "MARAC referral",
    {
        MaracOutcome.PENDING: frozenset(
            {
                MaracOutcome.ACTION_PLAN_AGREED,
                MaracOutcome.INFORMATION_SHARED,
                MaracOutcome.NOT_HEARD,
            }
        ),
        MaracOutcome.NOT_HEARD: frozenset({MaracOutcome.PENDING}),
        MaracOutcome.ACTION_PLAN_AGREED: frozenset(),
        MaracOutcome.INFORMATION_SHARED: frozenset(),
    },
)


class ReviewOutcome(StrEnum):
    AGREE = "agree"
    RAISE = "raise"


class Assessment(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """One assessment of one victim on one incident with one instrument version."""

    __tablename__ = "assessments"

    instrument: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[int] = mapped_column(Integer)
    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("calls.id"))
    victim_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    suspect_record_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("person_records.id"))
    assessor_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    status: Mapped[AssessmentStatus] = mapped_column(enum_column(AssessmentStatus, length=16))
    # 1 for a first assessment; a re-assessment is the next number, linked to the one before.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # Unique: an assessment is re-assessed once; later re-assessments follow the newest one.
    previous_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("assessments.id"), unique=True
    )
    started_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    answers: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    judgement_level: Mapped[RiskGrade | None] = mapped_column(enum_column(RiskGrade, length=16))
    judgement_rationale: Mapped[str | None] = mapped_column(Text)
    yes_count: Mapped[int | None] = mapped_column(Integer)
    computed_level: Mapped[RiskGrade | None] = mapped_column(enum_column(RiskGrade, length=16))
    final_level: Mapped[RiskGrade | None] = mapped_column(enum_column(RiskGrade, length=16))
    marac_criteria: Mapped[list[str] | None] = mapped_column(JsonDoc)
    risk_assessment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("risk_assessments.id"))
    marac_referral_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marac_referrals.id"))


class AssessmentReview(IdMixin, ForceOwnedMixin, Base):
    """A DA specialist's review: agree, or raise the level, with a coaching note to the assessor."""

    __tablename__ = "assessment_reviews"

    assessment_id: Mapped[int] = mapped_column(BigId, ForeignKey("assessments.id"), unique=True)
    reviewer_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    outcome: Mapped[ReviewOutcome] = mapped_column(enum_column(ReviewOutcome, length=8))
    raised_level: Mapped[RiskGrade | None] = mapped_column(enum_column(RiskGrade, length=16))
    rationale: Mapped[str | None] = mapped_column(Text)
    coaching_note: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime]
