"""Cue codes for risk assessment suggestions, read from the calls on an incident.

Risk sits below signals, so the composition root hands this function to the risk views
(`app.state.cue_source`). It gives the cues the live detector stored from the calls' transcripts
(`call_cues`), and what the detector finds in the calls' free text (what the handler typed), so a
call without a transcript still informs the assessment.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.incidents.models import Call
from heard.signals.cues import CueDetector
from heard.signals.models import CallCue


def cue_codes_for(session: Session, *, incident_id: int, call_id: int | None) -> frozenset[str]:
    calls = select(Call.id).where(Call.incident_id == incident_id)
    if call_id is not None:
        calls = calls.where(Call.id == call_id)
    codes = set(session.scalars(select(CallCue.code).where(CallCue.call_id.in_(calls))))
    detector = CueDetector()
    for text in session.scalars(select(Call.free_text).where(Call.id.in_(calls))):
        if text:
            codes.update(detector.detect_transcript(text).codes())
    return frozenset(codes)
