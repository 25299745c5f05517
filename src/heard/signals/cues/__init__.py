"""Live transcript risk cues: rules with negation, hypothetical and other-situation scope.

Feed a call's segments one at a time to a `CallState` from `CueDetector().new_call()`; each feed
returns the call's `CallCues` (codes from the shared taxonomy with the words behind each, whether
the call concerns domestic abuse, and the relationship if said). Pure: no database, no network.
"""

from heard.signals.cues.decisions import CallCues, DetectedCue
from heard.signals.cues.detector import CallState, CueDetector, Segment, parse_transcript
from heard.signals.cues.engine import Span
from heard.signals.cues.taxonomy import ALL_CODES, CueCode, Relationship, Speaker

__all__ = [
    "ALL_CODES",
    "CallCues",
    "CallState",
    "CueCode",
    "CueDetector",
    "DetectedCue",
    "Relationship",
    "Segment",
    "Span",
    "Speaker",
    "parse_transcript",
]
