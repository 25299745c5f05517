"""Call-level decisions from all the hits so far: which cues stand, DA or not, and relationship."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from heard.signals.cues.engine import Hit, Span
from heard.signals.cues.rules_base import (
    ABUSE,
    CONFLICT,
    CONTACT,
    DISTRESS,
    DOMESTIC,
    ORDER,
    PERSON_FEAR,
    REL_PREFIX,
)
from heard.signals.cues.taxonomy import ALL_CODES, CueCode, Relationship, Speaker

# A cue of this kind describes the situation but is only a warning sign when someone is harming
# or threatening someone in it: "I'm scared" on a medical call, or a toddler at home, is not.
CONTEXT_ONLY = frozenset(
    {
        CueCode.FEAR,
        CueCode.CHILDREN_PRESENT,
        CueCode.PREGNANCY,
        CueCode.SUBSTANCE,
        CueCode.SEPARATION,
    }
)
STRONG = frozenset(
    {
        CueCode.STRANGULATION, CueCode.THREAT_TO_KILL, CueCode.SEXUAL_ABUSE,
        CueCode.COERCIVE_CONTROL, CueCode.ISOLATION, CueCode.STALKING, CueCode.HONOUR_BASED,
        CueCode.ANIMAL_ABUSE, CueCode.ONGOING_ASSAULT, CueCode.ORDER_BREACH,
        CueCode.CHILDREN_AT_RISK, CueCode.ESCALATION, CueCode.WEAPON,
        CueCode.ABUSER_SUICIDE_THREAT, CueCode.CHILD_CONTACT_CONFLICT, ABUSE, DOMESTIC,
    }
)  # fmt: skip
WEAK = frozenset(
    {
        CueCode.FEAR, CueCode.SUSPECT_PRESENT, CueCode.CANNOT_SPEAK, CueCode.SEPARATION,
        CueCode.INJURY, CueCode.SUBSTANCE, CueCode.VICTIM_SUICIDAL,
    }
)  # fmt: skip
_BREACH_CONTACT = (CueCode.SUSPECT_PRESENT, CueCode.STALKING, CONTACT)
_PRECEDENCE = tuple(Relationship)
_ANCHOR_BEFORE = 8
_ANCHOR_NEAR = 12


@dataclass(frozen=True, slots=True)
class DetectedCue:
    code: CueCode
    confidence: float
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class CallCues:
    """The call's cues so far, whether it concerns domestic abuse, and the relationship if said."""

    domestic_abuse: bool
    relationship: Relationship | None
    cues: tuple[DetectedCue, ...]
    segments_seen: int

    def codes(self) -> list[str]:
        return [cue.code.value for cue in self.cues]

    def evidence(self) -> dict[str, list[str]]:
        return {cue.code.value: [span.text for span in cue.spans] for cue in self.cues}


def decide(hits: Iterable[Hit], segments_seen: int) -> CallCues:
    by_code: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_code[hit.code].append(hit)
    harm = any(code not in CONTEXT_ONLY for code in by_code if _public_or(code))
    standing = {
        code: found
        for code, found in by_code.items()
        if code in ALL_CODES and (harm or code not in CONTEXT_ONLY)
    }
    _add_order_breach(by_code, standing)
    if CueCode.ONGOING_ASSAULT in standing:
        # Violence happening during the call means whoever is doing it is there.
        standing.setdefault(CueCode.SUSPECT_PRESENT, []).extend(standing[CueCode.ONGOING_ASSAULT])
    relationship = choose_relationship(by_code, standing)
    connected = relationship not in (None, Relationship.NOT_CONNECTED)
    strong = sum(1 for code in (*standing, *by_code) if code in STRONG)
    weak = sum(1 for code in standing if code in WEAK) + (DISTRESS in by_code)
    cues = tuple(_cue(code, standing[code]) for code in sorted(standing))
    return CallCues(
        domestic_abuse=connected and (strong >= 1 or weak >= 2),
        relationship=relationship,
        cues=cues,
        segments_seen=segments_seen,
    )


def _public_or(code: str) -> bool:
    return code in ALL_CODES or code in (ABUSE, DOMESTIC, ORDER, PERSON_FEAR)


def _add_order_breach(by_code: dict[str, list[Hit]], standing: dict[str, list[Hit]]) -> None:
    """An order or bail condition plus contact or presence in the same call is a breach."""
    orders = by_code.get(ORDER, [])
    contact = [hit for code in _BREACH_CONTACT for hit in by_code.get(code, [])]
    if orders and contact:
        standing.setdefault(CueCode.ORDER_BREACH, []).extend([*orders, contact[0]])


def _cue(code: str, hits: list[Hit]) -> DetectedCue:
    spans: list[Span] = []
    missing = 1.0
    for hit in hits:
        missing *= 1.0 - hit.confidence
        spans.extend(span for span in hit.spans if span not in spans)
    # Keep the widest words for the screen: "bleeding" inside "my nose is bleeding" adds nothing.
    kept = [span for span in spans if not any(_inside(span, other) for other in spans)]
    kept.sort(key=lambda span: (span.segment_index, span.start))
    return DetectedCue(CueCode(code), round(1.0 - missing, 3), tuple(kept))


def _inside(span: Span, other: Span) -> bool:
    return (
        span is not other
        and span != other
        and span.segment_index == other.segment_index
        and other.start <= span.start
        and span.end <= other.end
    )


def choose_relationship(
    by_code: dict[str, list[Hit]], standing: dict[str, list[Hit]]
) -> Relationship | None:
    """The relationship said most often and nearest to the harm, if the call has any harm."""
    anchors = [
        hit for code, found in by_code.items() if code in STRONG or code in WEAK for hit in found
    ]
    anchors += by_code.get(CONFLICT, [])
    if not anchors:
        return None
    scores: dict[Relationship, float] = defaultdict(float)
    for code, mentions in by_code.items():
        if code.startswith(REL_PREFIX):
            relationship = Relationship(code.removeprefix(REL_PREFIX))
            scores[relationship] += sum(_mention_score(hit, anchors) for hit in mentions)
    if CueCode.HONOUR_BASED in standing:
        scores[Relationship.RELATIVES] += 3.0  # honour-based abuse comes from family
    if not scores:
        return None
    return max(_PRECEDENCE, key=lambda rel: (scores.get(rel, 0.0), -_PRECEDENCE.index(rel)))


def _mention_score(mention: Hit, anchors: list[Hit]) -> float:
    if mention.speaker is Speaker.HANDLER:
        return mention.confidence * 0.5  # the handler's guess, until the caller confirms it
    score = mention.confidence
    same = [a.head - mention.head for a in anchors if a.segment_index == mention.segment_index]
    if any(0 < distance <= _ANCHOR_BEFORE for distance in same):
        score += 2.0  # "my husband punched me": the person named just before the harm
    elif any(abs(distance) <= _ANCHOR_NEAR for distance in same):
        score += 1.0
    return score
