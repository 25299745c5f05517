"""The live detector reads one segment at a time and points at the right words."""

from __future__ import annotations

from heard.signals.cues import CueDetector, Segment, Speaker, parse_transcript


def test_a_cue_appears_when_the_segment_that_asserts_it_arrives() -> None:
    call = CueDetector().new_call()
    first = call.feed(Segment(Speaker.CALLER, "my husband and I had a row"))
    assert "THREAT_TO_KILL" not in first.codes()
    second = call.feed(Segment(Speaker.CALLER, "now he says he's going to kill me"))
    assert "THREAT_TO_KILL" in second.codes()


def test_a_span_points_at_the_segment_and_characters_that_said_it() -> None:
    call = CueDetector().new_call()
    call.feed(Segment(Speaker.CALLER, "Please send someone."))
    text = "He's got a knife in his hand."
    result = call.feed(Segment(Speaker.CALLER, text))
    (weapon,) = [cue for cue in result.cues if cue.code.value == "WEAPON"]
    (span,) = weapon.spans
    assert span.segment_index == 1
    assert text[span.start : span.end] == span.text
    assert "knife" in span.text


def test_a_yes_to_the_handlers_question_asserts_the_cue_with_both_quotes() -> None:
    call = CueDetector().new_call()
    call.feed(Segment(Speaker.CALLER, "my partner hit me"))
    call.feed(Segment(Speaker.HANDLER, "Is he still in the house with you?"))
    result = call.feed(Segment(Speaker.CALLER, "Yes."))
    (present,) = [cue for cue in result.cues if cue.code.value == "SUSPECT_PRESENT"]
    assert [span.segment_index for span in present.spans] == [1, 2]


def test_a_no_to_the_handlers_question_asserts_nothing() -> None:
    call = CueDetector().new_call()
    call.feed(Segment(Speaker.CALLER, "my partner hit me"))
    call.feed(Segment(Speaker.HANDLER, "Has he got any weapons?"))
    assert "WEAPON" not in call.feed(Segment(Speaker.CALLER, "No.")).codes()


def test_no_to_can_you_talk_freely_means_the_caller_cannot_speak() -> None:
    call = CueDetector().new_call()
    call.feed(Segment(Speaker.HANDLER, "Can you talk freely?"))
    assert "CANNOT_SPEAK" in call.feed(Segment(Speaker.CALLER, "no")).codes()


def test_a_handlers_question_alone_asserts_nothing() -> None:
    call = CueDetector().new_call()
    result = call.feed(Segment(Speaker.HANDLER, "Has he ever tried to strangle you?"))
    assert result.codes() == []


def test_the_handler_hearing_the_line_drop_is_cannot_speak() -> None:
    call = CueDetector().new_call()
    call.feed(Segment(Speaker.CALLER, "please my boyfriend"))
    result = call.feed(Segment(Speaker.HANDLER, "Hello? The line has gone dead."))
    assert "CANNOT_SPEAK" in result.codes()


def test_two_calls_fed_in_turn_do_not_share_state() -> None:
    detector = CueDetector()
    quiet, loud = detector.new_call(), detector.new_call()
    loud.feed(Segment(Speaker.CALLER, "my husband is strangling me"))
    quiet.feed(Segment(Speaker.CALLER, "I've lost my bike"))
    assert quiet.snapshot().codes() == []
    assert "STRANGULATION" in loud.snapshot().codes()


def test_a_warning_sign_is_not_withdrawn_when_the_caller_plays_it_down() -> None:
    call = CueDetector().new_call()
    call.feed(Segment(Speaker.CALLER, "my boyfriend has a knife"))
    result = call.feed(Segment(Speaker.CALLER, "it's fine, forget it, it's nothing"))
    assert "WEAPON" in result.codes()


def test_a_transcript_line_without_a_speaker_continues_the_previous_segment() -> None:
    segments = parse_transcript("CALLER: my husband has\na knife\nHANDLER: where is he")
    assert [(s.speaker, s.text) for s in segments] == [
        (Speaker.CALLER, "my husband has a knife"),
        (Speaker.HANDLER, "where is he"),
    ]
