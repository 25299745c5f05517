"""Run the rules over one segment and keep the matches that this call asserts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from heard.signals.cues import scope
from heard.signals.cues.questions import QUESTIONS, answer_matches
from heard.signals.cues.rules_base import Rule
from heard.signals.cues.rules_control import CONTROL_RULES
from heard.signals.cues.rules_people import PEOPLE_RULES
from heard.signals.cues.rules_state import STATE_RULES
from heard.signals.cues.rules_violence import VIOLENCE_RULES
from heard.signals.cues.taxonomy import Speaker
from heard.signals.cues.text import Quote, SegmentText

ALL_RULES: tuple[Rule, ...] = VIOLENCE_RULES + CONTROL_RULES + STATE_RULES + PEOPLE_RULES
_HEAD_GROUPS = ("h", "h2", "h3", "h4")
_WORD = re.compile(r"[a-z']+")
QUESTION_CONFIDENCE = 0.75


@dataclass(frozen=True, slots=True)
class Span:
    """Where the words behind a cue were said: segment index and character offsets in its text."""

    segment_index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Hit:
    code: str
    spans: tuple[Span, ...]
    confidence: float
    segment_index: int
    head: int
    speaker: Speaker
    rule: str


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    literals: frozenset[str]


_COMPILED: tuple[_Compiled, ...] = tuple(
    _Compiled(rule=item, literals=frozenset(_WORD.findall(item.pattern.pattern)))
    for item in ALL_RULES
)


def match_segment(segment: SegmentText, speaker: Speaker, index: int) -> list[Hit]:
    """Every rule match in this segment that survives scope and trap checks."""
    if not segment.tokens:
        return []
    conditions = scope.condition_spans(segment)
    frames = scope.frame_spans(segment)
    hits: list[Hit] = []
    for compiled in _COMPILED:
        current = compiled.rule
        if speaker not in current.speakers:
            continue
        for match in current.pattern.finditer(segment.joined):
            first, last = segment.token_range(match.start(), match.end())
            head = _head(match, segment, first)
            if _vetoed(current, segment, first, last) or _out_of_scope(
                compiled, segment, first, head, conditions, frames
            ):
                continue
            quote = segment.quote(first, last)
            span = Span(index, quote.start, quote.end, quote.text)
            for code in (current.code, *current.also):
                hits.append(
                    Hit(code, (span,), current.confidence, index, head, speaker, current.name)
                )
    return hits


def _head(match: re.Match[str], segment: SegmentText, first: int) -> int:
    groups = match.groupdict()
    for name in _HEAD_GROUPS:
        if groups.get(name) is not None:
            return segment.token_at(match.start(name))
    return first


def _vetoed(rule: Rule, segment: SegmentText, first: int, last: int) -> bool:
    if rule.veto_around and rule.veto_around.search(
        segment.window(first - rule.around, last + rule.around)
    ):
        return True
    return bool(
        rule.veto_before
        and first > 0
        and rule.veto_before.search(segment.window(first - rule.around, first - 1))
    )


def _out_of_scope(
    compiled: _Compiled,
    segment: SegmentText,
    first: int,
    head: int,
    conditions: list[tuple[int, int]],
    frames: list[tuple[int, int]],
) -> bool:
    ignore = compiled.rule.ignore
    if "negation" not in ignore and (
        scope.negated(segment, first) or _negated_inside(compiled, segment, first, head)
    ):
        return True
    if "hypothetical" not in ignore and scope.hypothetical(conditions, head):
        return True
    if "modal" not in ignore and scope.modal(segment, head):
        return True
    return "frame" not in ignore and scope.in_frame(frames, head)


def _negated_inside(compiled: _Compiled, segment: SegmentText, first: int, head: int) -> bool:
    """A negator that a gap in the pattern swallowed ("he's got no knife"), in the head's clause."""
    for index in range(head - 1, first, -1):
        word = segment.tokens[index].norm
        if segment.tokens[index + 1].boundary_before or word in scope.SUBJECTS:
            return False
        if word not in compiled.literals and (
            word in {"no", "not", "never"} or word.endswith("n't")
        ):
            return True
    return False


def answer_hits(
    question: SegmentText, answer: SegmentText, question_index: int, answer_index: int
) -> list[Hit]:
    """Cues asserted by a caller's short answer to the handler's closed question just before."""
    if not question.tokens or not answer.tokens:
        return []
    answer_head = answer.window(0, 7)
    hits: list[Hit] = []
    for item in QUESTIONS:
        match = item.pattern.search(question.joined)
        if match is None or not answer_matches(item, answer_head):
            continue
        q_first, q_last = question.token_range(match.start(), match.end())
        q_quote = _sentence_quote(question, q_first, q_last)
        a_quote = answer.quote(0, min(len(answer.tokens) - 1, 3))
        spans = (
            Span(question_index, q_quote.start, q_quote.end, q_quote.text),
            Span(answer_index, a_quote.start, a_quote.end, a_quote.text),
        )
        for code in item.codes:
            hits.append(
                Hit(code, spans, QUESTION_CONFIDENCE, answer_index, 0, Speaker.CALLER, "question")
            )
    return hits


def _sentence_quote(segment: SegmentText, first: int, last: int) -> Quote:
    while first > 0 and not segment.tokens[first].boundary_before:
        first -= 1
    return segment.quote(first, last)
