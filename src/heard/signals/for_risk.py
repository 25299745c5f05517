"""Cue codes for risk assessment suggestions, read from the calls on an incident.

Risk sits below signals, so the composition root hands this function to the risk views
(`app.state.cue_source`). Until stored cues land in this domain it runs the live detector over
the calls' text; then it becomes a query over the stored cue table, with the same signature.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.incidents.models import Call
from heard.signals.cues import CueDetector


def cue_codes_for(session: Session, *, incident_id: int, call_id: int | None) -> frozenset[str]:
    query = select(Call.free_text).where(Call.incident_id == incident_id)
    if call_id is not None:
        query = query.where(Call.id == call_id)
    detector = CueDetector()
    codes: set[str] = set()
    for text in session.scalars(query):
        if text:
            codes.update(detector.detect_transcript(text).codes())
    return frozenset(codes)
