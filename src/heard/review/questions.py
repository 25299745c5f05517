"""Questions still worth asking on a domestic abuse call: the key risks not yet heard about.

A question drops off once the cue it is about has been detected, or once the handler has asked
it (their words match the cue detector's own question patterns, so a paraphrase counts too).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.signals.cues import CueCode
from heard.signals.cues.questions import QUESTIONS
from heard.signals.cues.text import SegmentText
from heard.signals.models import CallCue, Speaker, TranscriptSegment

C = CueCode
# In the order a handler would usually want them answered: safety now, then risk.
ASK: tuple[tuple[CueCode, str], ...] = (
    (C.INJURY, "Is anyone hurt? Does anyone need an ambulance?"),
    (C.SUSPECT_PRESENT, "Is the person who hurt you there now, or nearby?"),
    (C.CANNOT_SPEAK, "Can you talk freely? You can just answer yes or no."),
    (C.WEAPON, "Is there a weapon there, or has one been used or threatened?"),
    (C.CHILDREN_PRESENT, "Are there any children in the house?"),
    (C.STRANGULATION, "Has anyone ever tried to strangle, choke or suffocate you?"),
    (C.THREAT_TO_KILL, "Has anyone threatened to kill you or someone else?"),
    (C.ORDER_BREACH, "Is there a court order or bail condition to keep them away?"),
    (C.PREGNANCY, "Are you pregnant, or have you had a baby in the last 18 months?"),
    (C.STALKING, "Has the person been following you, watching you or turning up?"),
    (C.SUBSTANCE, "Have they been drinking or taking drugs?"),
)


@dataclass(frozen=True)
class OpenQuestion:
    code: str
    text: str


def asked_codes(handler_lines: list[str]) -> set[str]:
    found: set[str] = set()
    for line in handler_lines:
        joined = SegmentText(line).joined
        for question in QUESTIONS:
            if question.pattern.search(joined):
                found.update(str(code) for code in question.codes)
    return found


def still_worth_asking(session: Session, *, call_id: int) -> list[OpenQuestion]:
    heard = set(session.scalars(select(CallCue.code).where(CallCue.call_id == call_id)))
    lines = list(
        session.scalars(
            select(TranscriptSegment.text).where(
                TranscriptSegment.call_id == call_id,
                TranscriptSegment.speaker == Speaker.HANDLER,
            )
        )
    )
    covered = heard | asked_codes(lines)
    return [OpenQuestion(code.value, text) for code, text in ASK if code.value not in covered]
