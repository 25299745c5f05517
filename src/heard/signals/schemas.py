"""API shapes for transcripts, warning signs, the acknowledgement ledger and grading."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from heard.incidents.models import Grade
from heard.schemas_base import Output, StrictInput
from heard.signals.models import AckAction, ChangeKind, ChangeStatus, Severity, SignSource

MAX_SEGMENT_MS = 24 * 3600 * 1000
MAX_SEGMENTS_PER_POST = 200


class SegmentIn(StrictInput):
    segment_id: str = Field(min_length=1, max_length=64)
    speaker: Literal["caller", "handler"]
    text: str = Field(max_length=10_000)
    start_ms: int = Field(ge=0, le=MAX_SEGMENT_MS)
    end_ms: int = Field(ge=0, le=MAX_SEGMENT_MS)

    @field_validator("speaker", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ordered(self) -> SegmentIn:
        if self.end_ms < self.start_ms:
            raise ValueError("end_ms must not be before start_ms")
        return self


class SpanOut(Output):
    segment_id: str
    start: int
    end: int
    text: str


class SegmentOut(Output):
    segment_id: str
    speaker: str
    text: str
    start_ms: int
    end_ms: int
    received_at: datetime


class CueOut(Output):
    code: str
    words: str
    confidence: float
    evidence: list[SpanOut]
    first_seen_at: datetime
    first_segment_id: str


class AcknowledgementOut(Output):
    user_id: int
    role: str
    action: AckAction
    reason: str | None
    acknowledged_at: datetime
    seconds_to_acknowledge: float


class EscalationOut(Output):
    escalated_at: datetime
    to_role: str
    waited_seconds: float


class WarningSignOut(Output):
    id: int
    call_id: int
    source: SignSource
    code: str
    severity: Severity
    words: str
    evidence: list[dict[str, Any]]
    subject_id: int | None
    raised_at: datetime
    acknowledgement: AcknowledgementOut | None = None
    escalation: EscalationOut | None = None


class GradeChangeOut(Output):
    id: int
    call_id: int
    kind: ChangeKind
    grade: Grade | None
    previous_grade: Grade | None
    suggested_grade: Grade | None
    reasons: list[dict[str, Any]]
    reason: str | None
    by_user_id: int | None
    by_name: str
    by_role: str
    at: datetime
    status: ChangeStatus
    decided_by: int | None
    decided_by_name: str | None
    decided_at: datetime | None
    decision_note: str | None


class GradeOut(Output):
    call_id: int
    suggested_grade: Grade | None
    reasons: list[dict[str, Any]]
    refused_grades: list[Grade]
    grade: Grade | None
    grade_set_by: int | None
    grade_set_at: datetime | None
    below_suggestion: bool
    # A grade set below the suggestion or lowered, waiting for a second person: shown prominently.
    lowered_pending_sign_off: bool
    pending_sign_off: list[GradeChangeOut]
    history: list[GradeChangeOut] = []


class TranscriptPostOut(Output):
    call_id: int
    stored: int
    duplicates: int
    segments_total: int
    domestic_abuse: bool
    relationship: str | None
    cues: list[CueOut]
    new_cues: list[str]
    new_warning_signs: list[WarningSignOut]
    suggested_grade: Grade | None
    timings_ms: dict[str, float]


class TranscriptOut(Output):
    call_id: int
    segments: list[SegmentOut]
    cues: list[CueOut]
    domestic_abuse: bool
    relationship: str | None


class CallSignalsOut(Output):
    call_id: int
    domestic_abuse: bool
    relationship: str | None
    unacknowledged: int
    escalated: int
    signs: list[WarningSignOut]
    grade: GradeOut


class AcknowledgeIn(StrictInput):
    action: AckAction
    reason: str | None = Field(default=None, max_length=2000)


class GradeIn(StrictInput):
    grade: Grade
    reason: str | None = Field(default=None, max_length=2000)


class SignOffIn(StrictInput):
    note: str | None = Field(default=None, max_length=2000)


class RejectIn(StrictInput):
    reason: str = Field(min_length=5, max_length=2000)


class OpenSignOut(Output):
    sign: WarningSignOut
    waiting_seconds: float


class StatisticsOut(Output):
    since: datetime
    until: datetime
    overall: dict[str, Any]
    by_sign: list[dict[str, Any]]
