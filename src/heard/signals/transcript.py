"""Transcript segments in, cues out: stored first, then fed to the call's live detector state.

Each web process keeps one detector state per live call (`CueStates`), fed once per segment. The
state is taken out of the cache while a request uses it and put back only after that request's
transaction commits, so a state never holds a segment that was not stored. When a process has no
state for a call, or another process stored segments it has not seen, it rebuilds the state from
the stored segments in the order they were stored: the same feed a single process would have made.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.incidents.models import Call
from heard.signals import cues as detector
from heard.signals.catalogue import cue_severity, cue_words
from heard.signals.events import CueDetected, TranscriptSegmentStored
from heard.signals.ledger import SignDraft
from heard.signals.models import (
    CallCue,
    CallSignalState,
    SignSource,
    Speaker,
    TranscriptSegment,
)
from heard.signals.schemas import SegmentIn

_SPEAKERS = {Speaker.CALLER: detector.Speaker.CALLER, Speaker.HANDLER: detector.Speaker.HANDLER}


@dataclass
class LiveState:
    state: detector.CallState = field(default_factory=lambda: detector.CueDetector().new_call())
    # (row id, sender's segment id) of every segment fed, in feed order.
    fed: list[tuple[int, str]] = field(default_factory=list)


class CueStates:
    """Per-process cache of live detector states, least recently used dropped first."""

    def __init__(self, max_calls: int = 5000) -> None:
        self._states: OrderedDict[int, LiveState] = OrderedDict()
        self._lock = threading.Lock()
        self.max_calls = max_calls
        self.rebuilds = 0

    def take(self, call_id: int) -> LiveState | None:
        with self._lock:
            return self._states.pop(call_id, None)

    def put(self, call_id: int, live: LiveState) -> None:
        with self._lock:
            self._states[call_id] = live
            self._states.move_to_end(call_id)
            while len(self._states) > self.max_calls:
                self._states.popitem(last=False)

    def forget(self, call_id: int) -> None:
        with self._lock:
            self._states.pop(call_id, None)


@dataclass
class TranscriptUpdate:
    stored: list[TranscriptSegment]
    duplicates: int
    live: LiveState | None = None
    new_codes: list[str] = field(default_factory=list)
    drafts: list[SignDraft] = field(default_factory=list)
    detect_ms: float = 0.0
    da_changed: bool = False


def _same(row: TranscriptSegment, seg: SegmentIn) -> bool:
    return (row.speaker, row.text, row.start_ms, row.end_ms) == (
        Speaker(seg.speaker),
        seg.text,
        seg.start_ms,
        seg.end_ms,
    )


def store(session: Session, *, call: Call, segments: list[SegmentIn]) -> TranscriptUpdate:
    """Store the segments not stored before; a segment id reused with other words is refused."""
    wanted = {s.segment_id for s in segments}
    existing = {
        row.segment_id: row
        for row in session.scalars(
            select(TranscriptSegment).where(
                TranscriptSegment.call_id == call.id, TranscriptSegment.segment_id.in_(wanted)
            )
        )
    }
    stored: list[TranscriptSegment] = []
    duplicates = 0
    now = utcnow()
    for seg in segments:
        row = existing.get(seg.segment_id)
        if row is not None:
            if not _same(row, seg):
                raise errors.Conflict(
                    f"segment {seg.segment_id!r} is already stored with different content; "
                    "send a new segment id for new words"
                )
            duplicates += 1
            continue
        row = TranscriptSegment(
            force_id=call.force_id,
            call_id=call.id,
            segment_id=seg.segment_id,
            speaker=Speaker(seg.speaker),
            text=seg.text,
            start_ms=seg.start_ms,
            end_ms=seg.end_ms,
            received_at=now,
        )
        session.add(row)
        existing[seg.segment_id] = row
        stored.append(row)
        record_event(
            session,
            TranscriptSegmentStored(
                force_id=call.force_id,
                call_id=call.id,
                segment_id=seg.segment_id,
                speaker=seg.speaker,
            ),
        )
    session.flush()
    return TranscriptUpdate(stored=stored, duplicates=duplicates)


def detect(
    session: Session,
    *,
    call: Call,
    state: CallSignalState,
    states: CueStates,
    update: TranscriptUpdate,
) -> TranscriptUpdate:
    """Feed every stored segment the call's live state has not seen, then store its cues."""
    order = session.execute(
        select(TranscriptSegment.id, TranscriptSegment.segment_id)
        .where(TranscriptSegment.call_id == call.id)
        .order_by(TranscriptSegment.id)
    ).all()
    ids = [(row_id, segment_id) for row_id, segment_id in order]
    live = states.take(call.id)
    if live is None or live.fed != ids[: len(live.fed)]:
        if len(ids) > len(update.stored):
            states.rebuilds += 1  # earlier segments exist that this process has not fed
        live = LiveState()
    to_feed = ids[len(live.fed) :]
    rows = {
        row.id: row
        for row in session.scalars(
            select(TranscriptSegment).where(
                TranscriptSegment.id.in_([row_id for row_id, _ in to_feed])
            )
        )
    }
    started = time.process_time()
    for row_id, segment_id in to_feed:
        row = rows[row_id]
        live.state.feed(
            detector.Segment(_SPEAKERS[row.speaker], row.text, row.start_ms, row.end_ms)
        )
        live.fed.append((row_id, segment_id))
    snapshot = live.state.snapshot()
    update.detect_ms = (time.process_time() - started) * 1000
    update.live = live
    _store_cues(session, call=call, snapshot=snapshot, live=live, update=update)
    was_da = state.domestic_abuse
    state.cue_domestic_abuse = state.cue_domestic_abuse or snapshot.domestic_abuse
    state.domestic_abuse = state.domestic_abuse or state.cue_domestic_abuse
    update.da_changed = state.domestic_abuse != was_da
    if snapshot.relationship is not None:
        state.relationship = snapshot.relationship.value
    state.segments_seen = len(live.fed)
    return update


def _spans(cue: detector.DetectedCue, live: LiveState) -> list[dict[str, object]]:
    return [
        {
            "segment_id": live.fed[span.segment_index][1],
            "start": span.start,
            "end": span.end,
            "text": span.text,
        }
        for span in cue.spans
        if span.segment_index < len(live.fed)
    ]


def _store_cues(
    session: Session,
    *,
    call: Call,
    snapshot: detector.CallCues,
    live: LiveState,
    update: TranscriptUpdate,
) -> None:
    stored = {c.code: c for c in session.scalars(select(CallCue).where(CallCue.call_id == call.id))}
    now = utcnow()
    for cue in snapshot.cues:
        code = cue.code.value
        spans = _spans(cue, live)
        row = stored.get(code)
        if row is None:
            row = CallCue(
                force_id=call.force_id,
                call_id=call.id,
                code=code,
                confidence=cue.confidence,
                evidence=spans,
                first_seen_at=now,
                first_segment_id=str(spans[0]["segment_id"]) if spans else "",
                updated_at=now,
            )
            session.add(row)
            session.flush()
            update.new_codes.append(code)
            quote = f' (said: "{spans[0]["text"]}")' if spans else ""
            update.drafts.append(
                SignDraft(
                    source=SignSource.TRANSCRIPT,
                    code=code,
                    severity=cue_severity(code),
                    words=f"{cue_words(code).capitalize()}{quote}",
                    evidence=[{"type": "cue", "id": row.id, "label": code}, *spans],
                    evidence_key=f"cue:{code}",
                    cue_id=row.id,
                )
            )
            record_event(
                session,
                CueDetected(
                    force_id=call.force_id, call_id=call.id, cue_id=row.id, code=code, first=True
                ),
            )
        elif spans != row.evidence or cue.confidence != row.confidence:
            # A cue is never withdrawn; more words behind it are added to its evidence.
            row.evidence = spans
            row.confidence = max(row.confidence, cue.confidence)
            row.updated_at = now
            record_event(
                session,
                CueDetected(
                    force_id=call.force_id, call_id=call.id, cue_id=row.id, code=code, first=False
                ),
            )


def segments(session: Session, *, call_id: int) -> list[TranscriptSegment]:
    return list(
        session.scalars(
            select(TranscriptSegment)
            .where(TranscriptSegment.call_id == call_id)
            .order_by(TranscriptSegment.id)
        )
    )


def cues(session: Session, *, call_id: int) -> list[CallCue]:
    return list(
        session.scalars(
            select(CallCue)
            .where(CallCue.call_id == call_id)
            .order_by(CallCue.first_seen_at, CallCue.id)
        )
    )
