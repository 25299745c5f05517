"""Suggested answers from the call's cues and the force's records, for the assessor to confirm.

Only "yes" is ever suggested: a cue that was not heard is no evidence that the thing did not
happen, so a "no" must always come from the victim. A rejected suggestion leaves the item
unanswered, to be asked in the normal way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from heard.risk.instruments.cues import CUE_CODES
from heard.risk.instruments.marac import months_before
from heard.risk.instruments.schema import HistoryFact, Instrument
from heard.risk.instruments.scoring import Answer, Response

_HALF_YEAR = 6


class EvidenceSource(StrEnum):
    CUE = "cue"
    HISTORY = "history"


class Decision(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Evidence:
    source: EvidenceSource
    code: str
    detail: str


@dataclass(frozen=True)
class Suggestion:
    item_id: str
    answer: Answer
    evidence: tuple[Evidence, ...]
    decision: Decision = Decision.PENDING


@dataclass(frozen=True)
class HistoryFacts:
    """What the force's records say about the suspect and the pair; gathered by the caller."""

    da_incidents: tuple[date, ...] = ()  # earlier incidents, same victim and suspect
    order_breaches: tuple[date, ...] = ()
    criminal_record: bool = False
    violence_record: bool = False
    harassment_record: bool = False


def _more_often(history: HistoryFacts, as_of: date) -> str | None:
    """More incidents in the last six months (this one included) than in the six before."""
    middle, start = months_before(as_of, _HALF_YEAR), months_before(as_of, 2 * _HALF_YEAR)
    recent = 1 + sum(1 for d in history.da_incidents if middle < d <= as_of)
    before = sum(1 for d in history.da_incidents if start <= d <= middle)
    if recent >= 3 and recent > before:
        return (
            f"{recent} DA incidents recorded in the 6 months to {as_of.isoformat()} "
            f"(this one included), {before} in the 6 months before"
        )
    return None


def _history_evidence(history: HistoryFacts, as_of: date) -> dict[HistoryFact, str]:
    found: dict[HistoryFact, str] = {}
    more_often = _more_often(history, as_of)
    if more_often:
        found[HistoryFact.MORE_OFTEN] = more_often
    breaches = [d for d in history.order_breaches if d <= as_of]
    if breaches:
        found[HistoryFact.ORDER_BREACH] = f"breach of bail or an order recorded on {max(breaches)}"
    if history.criminal_record:
        found[HistoryFact.CRIMINAL_RECORD] = "suspect has a criminal record on force systems"
    if history.violence_record:
        found[HistoryFact.VIOLENCE_RECORD] = "violence by the suspect recorded on force systems"
    if history.harassment_record:
        found[HistoryFact.HARASSMENT_RECORD] = "harassment by the suspect recorded before"
    return found


def suggest(
    instrument: Instrument,
    cues: Iterable[str],
    history: HistoryFacts,
    as_of: date,
) -> tuple[Suggestion, ...]:
    """One suggestion per item with evidence, in item order; unknown cue codes are refused."""
    detected = set(cues)
    unknown = sorted(detected - CUE_CODES)
    if unknown:
        raise ValueError(f"unknown cue codes {unknown}")
    facts = _history_evidence(history, as_of)
    suggestions = []
    for item in instrument.known_items:
        evidence = [
            Evidence(EvidenceSource.CUE, code, f"{code} detected in this call")
            for code in item.cues
            if code in detected
        ]
        evidence += [
            Evidence(EvidenceSource.HISTORY, fact.value, facts[fact])
            for fact in item.history
            if fact in facts
        ]
        if evidence:
            suggestions.append(Suggestion(item.id, Answer.YES, tuple(evidence)))
    return tuple(suggestions)


def decide(
    suggestions: tuple[Suggestion, ...], item_id: str, decision: Decision
) -> tuple[Suggestion, ...]:
    """A new tuple with the assessor's decision on one suggestion; the input is left unchanged."""
    if decision is Decision.PENDING:
        raise ValueError("a decision must confirm or reject")
    if not any(s.item_id == item_id for s in suggestions):
        raise KeyError(f"no suggestion for item {item_id}")
    return tuple(replace(s, decision=decision) if s.item_id == item_id else s for s in suggestions)


def confirmed_responses(suggestions: Iterable[Suggestion]) -> Mapping[str, Response]:
    """Answers the assessor confirmed, with the evidence kept as the answer's free text."""
    return {
        s.item_id: Response(s.answer, "; ".join(e.detail for e in s.evidence))
        for s in suggestions
        if s.decision is Decision.CONFIRMED
    }


def pending(suggestions: Iterable[Suggestion]) -> tuple[str, ...]:
    return tuple(s.item_id for s in suggestions if s.decision is Decision.PENDING)
