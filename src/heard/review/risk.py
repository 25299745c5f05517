"""How urgent a call on the queue looks: a score with its reasons in plain words.

Explainable on purpose: the specialist sees why a call is ranked where it is. Critical warning
signs put a call in the high band on their own; the grade and other signs add to the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.incidents.models import Call, Grade
from heard.signals.catalogue import cue_words
from heard.signals.models import (
    Acknowledgement,
    CallSignalState,
    Severity,
    SignSource,
    WarningSign,
)

GRADE_POINTS = {Grade.EMERGENCY: 30, Grade.PRIORITY: 15, Grade.SCHEDULED: 5, Grade.RESOLUTION: 0}
GRADE_WORDS = {
    Grade.EMERGENCY: "Emergency",
    Grade.PRIORITY: "Priority",
    Grade.SCHEDULED: "Scheduled",
    Grade.RESOLUTION: "Resolution without deployment",
}
HIGH_SCORE = 60
MEDIUM_SCORE = 25


@dataclass(frozen=True)
class RiskInputs:
    """What the queue knows about a call's risk beyond its recorded grade."""

    critical: tuple[str, ...] = ()  # the words of each critical warning sign
    high: tuple[str, ...] = ()
    other: int = 0
    unacknowledged: int = 0
    suggested: Grade | None = None
    set_grade: Grade | None = None

    def effective_grade(self, recorded: Grade | None) -> tuple[Grade | None, str]:
        """A person's decision first, then Heard's suggestion, then the grade recorded at intake."""
        if self.set_grade is not None:
            return self.set_grade, "set"
        if self.suggested is not None:
            return self.suggested, "suggested"
        return recorded, "recorded"


@dataclass(frozen=True)
class Risk:
    score: int
    band: str  # high, medium, standard
    reasons: tuple[str, ...]


def assess(inputs: RiskInputs, grade: Grade | None) -> Risk:
    score = GRADE_POINTS.get(grade, 0) if grade else 0
    score += 30 * min(len(inputs.critical), 3) + 12 * min(len(inputs.high), 3)
    score += 4 * min(inputs.other, 3)
    reasons = [f"critical: {words}" for words in inputs.critical]
    reasons += [f"high: {words}" for words in inputs.high]
    if inputs.other:
        reasons.append(f"{inputs.other} other warning sign{'s' if inputs.other != 1 else ''}")
    if grade is not None:
        reasons.append(f"graded {GRADE_WORDS[grade]}")
    if inputs.critical or score >= HIGH_SCORE:
        band = "high"
    elif inputs.high or score >= MEDIUM_SCORE:
        band = "medium"
    else:
        band = "standard"
    return Risk(score=score, band=band, reasons=tuple(reasons))


def _short(sign: WarningSign) -> str:
    """A transcript sign in the cue's plain words (its quote is on the call's screen)."""
    return cue_words(sign.code) if sign.source is SignSource.TRANSCRIPT else sign.words


def risk_inputs(session: Session, *, calls: Sequence[Call]) -> dict[int, RiskInputs]:
    """Per call: warning signs and grades, read in two queries for the whole queue."""
    ids = [c.id for c in calls]
    if not ids:
        return {}
    signs: dict[int, list[WarningSign]] = {}
    for sign in session.scalars(
        select(WarningSign).where(WarningSign.call_id.in_(ids)).order_by(WarningSign.id)
    ):
        signs.setdefault(sign.call_id, []).append(sign)
    acked = set(
        session.scalars(
            select(Acknowledgement.warning_sign_id).where(Acknowledgement.call_id.in_(ids))
        )
    )
    states = {
        s.call_id: s
        for s in session.scalars(select(CallSignalState).where(CallSignalState.call_id.in_(ids)))
    }
    found = {}
    for call_id in ids:
        mine, state = signs.get(call_id, []), states.get(call_id)
        found[call_id] = RiskInputs(
            critical=tuple(_short(s) for s in mine if s.severity is Severity.CRITICAL),
            high=tuple(_short(s) for s in mine if s.severity is Severity.HIGH),
            other=sum(s.severity not in (Severity.CRITICAL, Severity.HIGH) for s in mine),
            unacknowledged=sum(s.id not in acked for s in mine),
            suggested=state.suggested_grade if state else None,
            set_grade=state.grade if state else None,
        )
    return found
