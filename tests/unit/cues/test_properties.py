"""Properties over arbitrary text: no crash, taxonomy codes only, line by line equals one go."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.signals.cues import ALL_CODES, CueDetector, Segment, Speaker
from tests.unit.cues.helpers import DETECTOR

PHRASES = [
    "my husband", "he's got a knife", "he never touched me", "if he comes back", "i'm scared",
    "he's outside", "she strangled me", "my friend's husband", "[whispering]", "no", "yes",
    "the kids are upstairs", "he's drunk", "i'll kill you", "in the game", "choking on a grape",
    "pregnant", "my ex", "keeps texting me", "can you talk freely?", "where is he now?", ".",
]  # fmt: skip
speakers = st.sampled_from([Speaker.CALLER, Speaker.HANDLER])
phrase_lines = st.lists(st.sampled_from(PHRASES), min_size=1, max_size=6).map(" ".join)
segments = st.lists(st.tuples(speakers, st.one_of(phrase_lines, st.text(max_size=200))), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_never_crashes_and_yields_only_taxonomy_codes(text: str) -> None:
    result = DETECTOR.detect_transcript(text)
    assert set(result.codes()) <= ALL_CODES
    for cue in result.cues:
        assert 0.0 < cue.confidence <= 1.0
        assert cue.spans


@settings(max_examples=150, deadline=None)
@given(segments)
def test_every_span_quotes_its_own_segment(pairs: list[tuple[Speaker, str]]) -> None:
    call = CueDetector().new_call()
    for speaker, text in pairs:
        call.feed(Segment(speaker, text))
    texts = call.segment_texts
    for cue in call.snapshot().cues:
        for span in cue.spans:
            assert texts[span.segment_index][span.start : span.end] == span.text


@settings(max_examples=150, deadline=None)
@given(segments)
def test_feeding_line_by_line_equals_detecting_the_transcript_in_one_go(
    pairs: list[tuple[Speaker, str]],
) -> None:
    lines = [(speaker, " ".join(text.split())) for speaker, text in pairs]
    lines = [(speaker, text) for speaker, text in lines if text]
    call = CueDetector().new_call()
    for speaker, text in lines:
        call.feed(Segment(speaker, text))
    transcript = "\n".join(f"{speaker.value}: {text}" for speaker, text in lines)
    assert CueDetector().detect_transcript(transcript) == call.snapshot()


@settings(max_examples=100, deadline=None)
@given(segments)
def test_cues_already_shown_are_never_dropped_by_later_segments(
    pairs: list[tuple[Speaker, str]],
) -> None:
    call = CueDetector().new_call()
    shown: set[str] = set()
    for speaker, text in pairs:
        now = set(call.feed(Segment(speaker, text)).codes())
        assert shown <= now
        shown = now
