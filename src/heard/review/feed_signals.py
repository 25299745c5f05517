"""The live feed for warning signs, grades and transcripts (published by `heard.signals`).

A transcript segment goes to the call's pages as data (its words split at the cues); a new cue
re-sends the segments it was heard in, so their highlights appear. A call that the words made a
domestic abuse call joins the specialist queue here if intake's hook had not already put it there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from heard.db.uow import Database
from heard.incidents.models import Call
from heard.live import channels
from heard.live import service as live
from heard.live.service import Outgoing
from heard.review import service, transcript_view
from heard.signals.events import (
    CallBackRecorded,
    CueDetected,
    GradeChangeDecided,
    GradeSet,
    GradeSuggested,
    TranscriptSegmentStored,
    WarningSignAcknowledged,
    WarningSignEscalated,
    WarningSignRaised,
)
from heard.signals.models import CallCue, CallSignalState

SignEvent = WarningSignRaised | WarningSignAcknowledged | WarningSignEscalated
GradeEvent = GradeSuggested | GradeSet | CallBackRecorded | GradeChangeDecided


class SignalsFeed:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _send(self, messages: Iterable[Outgoing]) -> None:
        live.publish(self._db, messages)

    def _join_queue_if_domestic_abuse(self, call_id: int) -> list[Outgoing]:
        with self._db.unit_of_work() as uow:
            state = uow.session.get(CallSignalState, call_id)
            if state is None or not state.domestic_abuse:
                return []
            if service.review_for(uow.session, call_id=call_id) is not None:
                return []
            call = uow.session.get_one(Call, call_id)
            service.ensure_review(uow.session, call=call)
            uow.commit()
            data = {"call_id": call_id, "change": "domestic_abuse"}
            return [Outgoing(call.force_id, channels.QUEUE, "queue", data)]

    def segment_stored(self, event: TranscriptSegmentStored) -> None:
        with self._db.unit_of_work() as uow:
            found = transcript_view.segments(
                uow.session, call_id=event.call_id, segment_ids=[event.segment_id]
            )
        out = [
            Outgoing(event.force_id, channels.call(event.call_id), "transcript", seg)
            for seg in found
        ]
        self._send(out + self._join_queue_if_domestic_abuse(event.call_id))

    def cue_detected(self, event: CueDetected) -> None:
        with self._db.unit_of_work() as uow:
            cue = uow.session.get(CallCue, event.cue_id)
            ids = transcript_view.cue_segment_ids(cue) if cue else []
            found = transcript_view.segments(uow.session, call_id=event.call_id, segment_ids=ids)
        data: dict[str, Any] = {"call_id": event.call_id, "code": event.code, "segments": found}
        out = [Outgoing(event.force_id, channels.call(event.call_id), "cue", data)]
        self._send(out + self._join_queue_if_domestic_abuse(event.call_id))

    def sign_changed(self, event: SignEvent) -> None:
        data = {"call_id": event.call_id, "sign_id": event.sign_id}
        self._send(
            [
                Outgoing(event.force_id, channels.call(event.call_id), "signs", data),
                Outgoing(event.force_id, channels.QUEUE, "queue", data),
                Outgoing(event.force_id, channels.BOARD, "board", data),
            ]
        )

    def grade_changed(self, event: GradeEvent) -> None:
        data = {"call_id": event.call_id}
        self._send(
            [
                Outgoing(event.force_id, channels.call(event.call_id), "grade", data),
                Outgoing(event.force_id, channels.QUEUE, "queue", data),
                Outgoing(event.force_id, channels.BOARD, "board", data),
            ]
        )


def install(db: Database) -> SignalsFeed:
    feed = SignalsFeed(db)
    handlers: list[tuple[type[Any], Callable[[Any], None]]] = [
        (TranscriptSegmentStored, feed.segment_stored),
        (CueDetected, feed.cue_detected),
        (WarningSignRaised, feed.sign_changed),
        (WarningSignAcknowledged, feed.sign_changed),
        (WarningSignEscalated, feed.sign_changed),
        (GradeSuggested, feed.grade_changed),
        (GradeSet, feed.grade_changed),
        (CallBackRecorded, feed.grade_changed),
        (GradeChangeDecided, feed.grade_changed),
    ]
    for event_type, handler in handlers:
        db.bus.subscribe(event_type, handler)
    return feed
