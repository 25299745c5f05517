"""A call's transcript as the console shows it: each segment split into plain words and the
words behind a risk cue, so the page can highlight them without ever treating text as markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.signals.catalogue import cue_severity, cue_words
from heard.signals.models import CallCue, Severity, TranscriptSegment


def _spans(cues: Iterable[CallCue]) -> dict[str, list[tuple[int, int, str]]]:
    """segment id -> [(start, end, cue code)], from every cue's evidence."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for cue in cues:
        for item in cue.evidence or []:
            segment = str(item.get("segment_id", ""))
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                found.setdefault(segment, []).append((start, end, cue.code))
    return found


def pieces(text: str, spans: list[tuple[int, int, str]]) -> list[dict[str, Any]]:
    """The text cut into runs; overlapping spans: the earlier one wins, the rest is plain."""
    out: list[dict[str, Any]] = []
    at = 0
    for start, end, code in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        if start > at:
            out.append({"text": text[at:start]})
        out.append(
            {
                "text": text[start:end],
                "code": code,
                "words": cue_words(code),
                "critical": cue_severity(code) is Severity.CRITICAL,
            }
        )
        at = end
    if at < len(text):
        out.append({"text": text[at:]})
    return out


def payload(segment: TranscriptSegment, spans: list[tuple[int, int, str]]) -> dict[str, Any]:
    return {
        "segment_key": segment.id,
        "segment_id": segment.segment_id,
        "speaker": segment.speaker.value,
        "start_ms": segment.start_ms,
        "pieces": pieces(segment.text, spans),
    }


def segments(
    session: Session, *, call_id: int, segment_ids: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Payloads for the call's segments (or only those named), in the order they were spoken."""
    query = select(TranscriptSegment).where(TranscriptSegment.call_id == call_id)
    if segment_ids is not None:
        query = query.where(TranscriptSegment.segment_id.in_(sorted(set(segment_ids))))
    rows = list(session.scalars(query.order_by(TranscriptSegment.start_ms, TranscriptSegment.id)))
    if not rows:
        return []
    spans = _spans(session.scalars(select(CallCue).where(CallCue.call_id == call_id)))
    return [payload(row, spans.get(row.segment_id, [])) for row in rows]


def cue_segment_ids(cue: CallCue) -> list[str]:
    return sorted({str(item.get("segment_id")) for item in cue.evidence or []})
