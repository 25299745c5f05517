"""API shapes for specialist review, advice and attending officers."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from heard.incidents.models import Grade
from heard.review.models import Audience, ReferralNeed, ReviewState
from heard.schemas_base import Output, StrictInput

NOTE = Field(default=None, max_length=2000)


class HandOverIn(StrictInput):
    to_user_id: int
    note: str | None = NOTE


class ReleaseIn(StrictInput):
    note: str | None = NOTE


class AdviceIn(StrictInput):
    audience: Audience
    text: str = Field(min_length=2, max_length=4000)
    urgent: bool = False


class OutcomeIn(StrictInput):
    agreed: bool = False
    raised_grade: Grade | None = None
    referrals_needed: list[ReferralNeed] = Field(default_factory=list, max_length=10)
    missed_opportunity: bool = False
    missed_opportunity_note: str | None = Field(default=None, max_length=4000)
    coaching: str | None = Field(default=None, max_length=4000)


class AssignOfficerIn(StrictInput):
    officer_user_id: int


class ReviewOut(Output):
    call_id: int
    review_id: int
    state: ReviewState
    owner_user_id: int | None
    owner_name: str | None
    first_claimed_at: datetime | None
    reviewed_at: datetime | None
    closed_at: datetime | None


class AdviceOut(Output):
    id: int
    call_id: int
    audience: Audience
    text: str
    urgent: bool
    sent_by_name: str
    sent_at: datetime
    acknowledged_by: list[str] = []


class AcknowledgementOut(Output):
    advice_id: int
    user_name: str
    acknowledged_at: datetime


class OutcomeOut(Output):
    call_id: int
    agreed: bool
    raised_grade: Grade | None
    referrals_needed: list[str]
    missed_opportunity: bool
    missed_opportunity_note: str | None
    coaching: str | None
    recorded_by_name: str
    recorded_at: datetime


class QueueEntryOut(Output):
    call_id: int
    source_ref: str
    received_at: datetime
    state: ReviewState
    owner_name: str | None
    grade: Grade | None
    grade_source: str
    risk_score: int
    risk_band: str
    risk_reasons: list[str]
    due_at: datetime
    timer: str


class ReviewDetailOut(Output):
    entry: QueueEntryOut
    review: ReviewOut | None
    advice: list[AdviceOut]
    outcome: OutcomeOut | None


class AssignmentOut(Output):
    incident_id: int
    call_id: int
    officer_user_id: int
    assigned_by_name: str
    assigned_at: datetime
    acknowledged_at: datetime | None
