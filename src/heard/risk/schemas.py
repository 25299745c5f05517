"""API shapes for risk assessments, reviews and MARAC referrals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from heard.risk.assessments import AssessmentStatus, ReviewOutcome
from heard.risk.instruments import Answer, Judgement, Level, Response
from heard.risk.models import MaracOutcome, RiskGrade
from heard.schemas_base import Output, StrictInput

RecordId = Annotated[int, Field(ge=1, le=2**62)]


class AnswerIn(StrictInput):
    answer: Answer
    text: str | None = Field(default=None, max_length=2000)

    def response(self) -> Response:
        return Response(self.answer, self.text or None)


class JudgementIn(StrictInput):
    level: RiskGrade
    rationale: str | None = Field(default=None, max_length=4000)

    def judgement(self) -> Judgement:
        return Judgement(Level(self.level.value), self.rationale)


class StartIn(StrictInput):
    incident_id: RecordId
    victim_record_id: RecordId
    instrument: str = Field(min_length=1, max_length=32)
    call_id: RecordId | None = None


class AnswersIn(StrictInput):
    answers: dict[Annotated[str, Field(max_length=8)], AnswerIn] = Field(max_length=60)


class SuggestionDecisionIn(StrictInput):
    decision: Literal["confirmed", "rejected"]


class SubmitIn(StrictInput):
    professional_judgement: JudgementIn | None = None


class ReassessIn(StrictInput):
    instrument: str | None = Field(default=None, min_length=1, max_length=32)


class ReviewIn(StrictInput):
    outcome: ReviewOutcome
    level: RiskGrade | None = None
    rationale: str | None = Field(default=None, max_length=4000)
    coaching_note: str = Field(min_length=1, max_length=4000)


class MaracTrackIn(StrictInput):
    meeting_date: date | None = None
    outcome: MaracOutcome | None = None


class ItemOut(Output):
    id: str
    group: str
    known: bool
    question: str | None
    confidence: str | None


class InstrumentOut(Output):
    id: str
    version: int
    title: str
    bands: dict[str, int] | None
    items: list[ItemOut]


class ReviewOut(Output):
    outcome: ReviewOutcome
    raised_level: RiskGrade | None
    rationale: str | None
    coaching_note: str
    reviewer_id: int | None
    reviewed_at: datetime


class AssessmentOut(Output):
    id: int
    instrument: str
    instrument_version: int
    incident_id: int
    call_id: int | None
    victim_record_id: int
    suspect_record_id: int | None
    assessor_id: int | None
    status: AssessmentStatus
    revision: int
    previous_id: int | None
    started_at: datetime
    submitted_at: datetime | None
    answers: dict[str, Any]
    suggestions: list[dict[str, Any]]
    judgement_level: RiskGrade | None
    judgement_rationale: str | None
    yes_count: int | None
    computed_level: RiskGrade | None
    final_level: RiskGrade | None
    marac_criteria: list[str] | None
    marac_referral_id: int | None
    unanswered: list[str] = Field(default_factory=list)
    review: ReviewOut | None = None
    effective_level: RiskGrade | None = None


class MaracReferralOut(Output):
    id: int
    victim_record_id: int
    incident_id: int | None
    referred_at: datetime
    criteria: list[str]
    meeting_date: date | None
    outcome: MaracOutcome
