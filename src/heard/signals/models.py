"""Tables for transcripts, cues, warning signs, their acknowledgement ledger, and call grades.

Every warning sign is a durable row, raised once per call, code and evidence, and stays until a
person acknowledges it. Grades are a history: Heard's suggestions and people's decisions, with the
second person's sign-off where a grade was set below the suggestion or lowered.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, ForceOwnedMixin, IdMixin, JsonDoc, enum_column
from heard.db.states import StateMachine
from heard.incidents.models import Grade


class Speaker(StrEnum):
    CALLER = "caller"
    HANDLER = "handler"


class TranscriptSegment(IdMixin, ForceOwnedMixin, Base):
    """One utterance as the transcription service sent it; stored before it is acknowledged."""

    __tablename__ = "transcript_segments"
    # The sender's segment id makes the post idempotent: a retry finds the stored segment.
    __table_args__ = (UniqueConstraint("call_id", "segment_id"),)

    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    segment_id: Mapped[str] = mapped_column(String(64))
    speaker: Mapped[Speaker] = mapped_column(enum_column(Speaker, length=8))
    text: Mapped[str] = mapped_column(Text)
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime]


class CallCue(IdMixin, ForceOwnedMixin, Base):
    """A risk cue the live detector found on a call, with every span of words behind it."""

    __tablename__ = "call_cues"
    __table_args__ = (UniqueConstraint("call_id", "code"),)

    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    # [{"segment_id", "start", "end", "text"}]: offsets are characters into that segment's text.
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    first_seen_at: Mapped[datetime]
    first_segment_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class CallSignalState(ForceOwnedMixin, Base):
    """Per call: what the transcript decided, the suggested grade, and the grade a person set.

    The row is locked while a call's signs or grade change, so two workers never interleave.
    """

    __tablename__ = "call_signal_states"

    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), primary_key=True)
    # Domestic abuse once decided stays decided: like a cue, it is never withdrawn by Heard.
    domestic_abuse: Mapped[bool] = mapped_column(Boolean, default=False)
    cue_domestic_abuse: Mapped[bool] = mapped_column(Boolean, default=False)
    relationship: Mapped[str | None] = mapped_column(String(32))
    segments_seen: Mapped[int] = mapped_column(Integer, default=0)
    # Heard's suggestion only ever rises as facts arrive; reasons accumulate with it.
    suggested_grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, length=16))
    suggestion_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    # Grades no one may set on this call (e.g. resolution on a repeat DA call within 24 h).
    refused_grades: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    # The grade a person set; only a person's decision changes it.
    grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, length=16))
    grade_set_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    grade_set_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class SignSource(StrEnum):
    HISTORY = "history"
    TRANSCRIPT = "transcript"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class WarningSign(IdMixin, ForceOwnedMixin, Base):
    """A warning sign shown on a call until a person acknowledges it."""

    __tablename__ = "warning_signs"
    # Raised once per call, code and evidence: recomputing the same facts raises nothing new.
    __table_args__ = (
        UniqueConstraint("call_id", "code", "evidence_key"),
        Index("ix_warning_signs_force_raised", "force_id", "raised_at"),
    )

    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    source: Mapped[SignSource] = mapped_column(enum_column(SignSource, length=16))
    code: Mapped[str] = mapped_column(String(48))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity, length=16))
    words: Mapped[str] = mapped_column(Text)
    # [{"type", "id", "label", "at"?, "href"?}] or, for a cue, the spans of words behind it.
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    evidence_key: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("subjects.id"))
    cue_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("call_cues.id"))
    raised_at: Mapped[datetime]


class AckAction(StrEnum):
    ASKED_ABOUT_IT = "asked_about_it"
    PASSED_TO_OFFICERS = "passed_to_officers"
    RAISED_GRADE = "raised_grade"
    NOT_RELEVANT = "not_relevant"  # needs a written reason


class Acknowledgement(IdMixin, ForceOwnedMixin, Base):
    """Who acknowledged a warning sign, when, and what they did about it."""

    __tablename__ = "warning_sign_acknowledgements"

    warning_sign_id: Mapped[int] = mapped_column(BigId, ForeignKey("warning_signs.id"), unique=True)
    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[AckAction] = mapped_column(enum_column(AckAction))
    reason: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime]
    # Kept with the row so statistics are one portable aggregate on both databases.
    seconds_to_acknowledge: Mapped[float] = mapped_column(Float)


class Escalation(IdMixin, ForceOwnedMixin, Base):
    """A warning sign left unacknowledged too long, passed to the supervisor."""

    __tablename__ = "warning_sign_escalations"

    warning_sign_id: Mapped[int] = mapped_column(BigId, ForeignKey("warning_signs.id"), unique=True)
    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    escalated_at: Mapped[datetime]
    to_role: Mapped[str] = mapped_column(String(32))
    waited_seconds: Mapped[float] = mapped_column(Float)


class ChangeKind(StrEnum):
    SUGGESTED = "suggested"  # Heard's suggestion rose
    SET = "set"  # a person set the grade
    REVERTED = "reverted"  # a rejected change was undone by the person who rejected it
    CALL_BACK = "call_back"  # a call-back promised instead of attendance on a DA call


class ChangeStatus(StrEnum):
    RECORDED = "recorded"  # needs nobody else
    PENDING = "pending"  # waits for a second person's sign-off
    SIGNED_OFF = "signed_off"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # a later decision replaced it before anyone signed it off


CHANGE_TRANSITIONS = StateMachine[ChangeStatus](
    "grade change",
    {
        ChangeStatus.PENDING: frozenset(
            {ChangeStatus.SIGNED_OFF, ChangeStatus.REJECTED, ChangeStatus.SUPERSEDED}
        ),
        ChangeStatus.RECORDED: frozenset(),
        ChangeStatus.SIGNED_OFF: frozenset(),
        ChangeStatus.REJECTED: frozenset(),
        ChangeStatus.SUPERSEDED: frozenset(),
    },
)


class GradeChange(IdMixin, ForceOwnedMixin, Base):
    """One entry in a call's grade history."""

    __tablename__ = "grade_changes"
    __table_args__ = (Index("ix_grade_changes_force_status", "force_id", "status"),)

    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, length=16))
    grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, length=16))
    previous_grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, length=16))
    suggested_grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, length=16))
    # For Heard's suggestions: the rules that fired, in plain words.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    reason: Mapped[str | None] = mapped_column(Text)  # a person's written reason
    by_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    by_name: Mapped[str] = mapped_column(String(64))
    by_role: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    status: Mapped[ChangeStatus] = mapped_column(enum_column(ChangeStatus, length=16))
    decided_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
