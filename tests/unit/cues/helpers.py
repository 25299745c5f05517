"""Small helpers shared by the cue tests."""

from __future__ import annotations

from heard.signals.cues import CallCues, CueDetector

DETECTOR = CueDetector()


def detect(*caller_lines: str) -> CallCues:
    """Run caller-only lines through the live detector."""
    return DETECTOR.detect_transcript("\n".join(f"CALLER: {line}" for line in caller_lines))


def codes(*caller_lines: str) -> set[str]:
    return set(detect(*caller_lines).codes())
