"""The live detector: one state per call, fed one transcript segment at a time."""

from __future__ import annotations

from dataclasses import dataclass

from heard.signals.cues.decisions import CallCues, decide
from heard.signals.cues.engine import Hit, answer_hits, match_segment
from heard.signals.cues.taxonomy import Speaker
from heard.signals.cues.text import SegmentText

MAX_SEGMENT_CHARS = 4000


@dataclass(frozen=True, slots=True)
class Segment:
    """One utterance as the transcription service sends it; offsets are ms into the call."""

    speaker: Speaker
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


class CallState:
    """Everything the detector has learnt about one call so far.

    Each segment is read once, when it arrives, with the call's earlier segments as context (the
    handler's question before a caller's "yes"). Hits are never withdrawn: a warning sign once
    shown stays for a person to acknowledge, even if the caller later plays it down.
    """

    __slots__ = ("_hits", "_segments", "_snapshot", "_speakers")

    def __init__(self) -> None:
        self._segments: list[SegmentText] = []
        self._speakers: list[Speaker] = []
        self._hits: list[Hit] = []
        self._snapshot: CallCues | None = None

    def feed(self, segment: Segment) -> CallCues:
        """Read the next segment and return the call's cues as they now stand."""
        index = len(self._segments)
        # Very long segments are cut so one pathological input cannot blow the CPU budget.
        text = SegmentText(segment.text[:MAX_SEGMENT_CHARS])
        self._segments.append(text)
        self._speakers.append(segment.speaker)
        self._hits.extend(match_segment(text, segment.speaker, index))
        answers_handler = index > 0 and self._speakers[index - 1] is Speaker.HANDLER
        if segment.speaker is Speaker.CALLER and answers_handler:
            self._hits.extend(answer_hits(self._segments[index - 1], text, index - 1, index))
        self._snapshot = None
        return self.snapshot()

    def snapshot(self) -> CallCues:
        if self._snapshot is None:
            self._snapshot = decide(self._hits, len(self._segments))
        return self._snapshot

    @property
    def segment_texts(self) -> list[str]:
        return [segment.text for segment in self._segments]


class CueDetector:
    """Creates per-call states; the rules are compiled once at import and shared."""

    def new_call(self) -> CallState:
        return CallState()

    def detect_segments(self, segments: list[Segment]) -> CallCues:
        state = self.new_call()
        for segment in segments:
            state.feed(segment)
        return state.snapshot()

    def detect_transcript(self, transcript: str) -> CallCues:
        """Feed a `CALLER:`/`HANDLER:` transcript line by line, exactly as a live call would be."""
        return self.detect_segments(parse_transcript(transcript))


def parse_transcript(transcript: str) -> list[Segment]:
    """Lines starting `CALLER:`/`HANDLER:`; a line without a prefix continues the previous one."""
    segments: list[Segment] = []
    for raw in transcript.splitlines():
        line = raw.strip()
        if not line:
            continue
        speaker, text = _split_speaker(line)
        if speaker is None:
            if segments:
                previous = segments[-1]
                segments[-1] = Segment(previous.speaker, f"{previous.text} {text}")
                continue
            speaker = Speaker.CALLER
        segments.append(Segment(speaker, text))
    return segments


def _split_speaker(line: str) -> tuple[Speaker | None, str]:
    head, sep, rest = line.partition(":")
    if sep and head.strip().upper() in Speaker.__members__:
        return Speaker(head.strip().upper()), rest.strip()
    return None, line
