"""Typed events for the live console: published only after the change they describe commits."""

from __future__ import annotations

from dataclasses import dataclass

from heard.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class TranscriptSegmentStored(DomainEvent):
    call_id: int
    segment_id: str
    speaker: str


@dataclass(frozen=True, kw_only=True)
class CueDetected(DomainEvent):
    """A cue first seen on a call (`first`), or more words found behind one already shown."""

    call_id: int
    cue_id: int
    code: str
    first: bool


@dataclass(frozen=True, kw_only=True)
class WarningSignRaised(DomainEvent):
    call_id: int
    sign_id: int
    code: str
    severity: str
    source: str


@dataclass(frozen=True, kw_only=True)
class WarningSignAcknowledged(DomainEvent):
    call_id: int
    sign_id: int
    code: str
    action: str
    user_id: int


@dataclass(frozen=True, kw_only=True)
class WarningSignEscalated(DomainEvent):
    call_id: int
    sign_id: int
    code: str
    to_role: str


@dataclass(frozen=True, kw_only=True)
class GradeSuggested(DomainEvent):
    call_id: int
    grade: str
    previous: str | None


@dataclass(frozen=True, kw_only=True)
class GradeSet(DomainEvent):
    call_id: int
    change_id: int
    grade: str
    previous: str | None
    needs_sign_off: bool


@dataclass(frozen=True, kw_only=True)
class CallBackRecorded(DomainEvent):
    call_id: int
    change_id: int
    needs_sign_off: bool


@dataclass(frozen=True, kw_only=True)
class GradeChangeDecided(DomainEvent):
    """A second person signed off (`signed_off`) or rejected (`rejected`) a pending change."""

    call_id: int
    change_id: int
    decision: str
    user_id: int
