"""Whether a matched phrase is asserted about this situation.

Three checks, each over the tokens of one segment:
- negation: a negator earlier in the same clause ("he never touched me", "he hasn't got a knife");
- hypothetical: the phrase sits inside the condition of an "if"/"in case"/"unless" clause, or after
  a modal ("he might have a knife"); the consequent of a conditional threat still counts
  ("if I leave he'll kill me");
- other situation: a frame that moves the talk to someone else's story or to fiction
  ("my friend's husband strangled her", "a film where...").
"""

from __future__ import annotations

import re

from heard.signals.cues.text import SegmentText

NEGATION_WINDOW = 5
HYPOTHETICAL_WINDOW = 8
FRAME_WINDOW = 14

_NEGATORS = frozenset(
    {"not", "never", "no", "nobody", "nothing", "neither", "nor", "without", "none"}
)
_NOT_NEGATING_AFTER = frozenset({"just", "only", "stop", "one", "longer", "even"})
SUBJECTS = frozenset(
    {
        "i", "he", "she", "they", "we", "you", "i'm", "he's", "she's", "they're", "we're",
        "you're", "i'll", "he'll", "she'll", "they'll", "we'll", "you'll", "hell", "i've",
        "he'd", "she'd", "i'd", "they've", "we've", "there's",
    }
)  # fmt: skip
_NEG_RAISING = frozenset({"think", "reckon", "believe", "suppose", "know", "sure", "thought"})
_CONDITION_MARKERS = frozenset({"if", "unless", "whether", "suppose", "supposing", "imagine"})
_MODALS = frozenset({"might", "may", "could", "would", "maybe", "perhaps", "possibly", "should"})
_INTENSIFIED_NEVER = re.compile(
    r"^never (?:been (?:so|this|that|more)|seen (?:him|her|them) (?:so|this|like)|felt so)"
)
_FRAME = re.compile(
    r"(?<!\S)(?:"
    r"my (?:friend|mate|pal|colleague|workmate|friend's|mate's|colleague's|workmate's)"
    r"(?:'s)? (?:husband|boyfriend|partner|ex|wife|girlfriend|fella|dad|son|brother)"
    r"|(?:a|my|her|his) (?:friend|mate|colleague) (?:told|said|says|was telling|tells)"
    r"|(?:on|in) the (?:news|telly|tv|film|movie|programme|show|series|book|documentary|soap"
    r"|podcast)"
    r"|(?:watched|watching|saw|seen) (?:a|the) (?:film|movie|programme|documentary|show)"
    r"|(?:a|the) (?:film|movie|programme|documentary|book|soap|show) (?:was )?(?:about|where)"
    r"|(?:heard|read) about|(?:she|he) told me (?:her|his) (?:boyfriend|husband|partner|ex)"
    r")(?!\S)"
)
# "Now" alone is too common ("she's safe now") to pull a story back into this call.
_PRESENT_NOW = re.compile(r"(?<!\S)(?:right now|at the moment|as we speak|just now)(?!\S)")


def is_clause_start(text: SegmentText, index: int) -> bool:
    return text.tokens[index].boundary_before


def negated(text: SegmentText, head: int) -> bool:
    """A negator earlier in the head's clause, within a few words."""
    tokens = text.tokens
    if head > 0 and tokens[head].norm in SUBJECTS and tokens[head - 1].norm not in _NEG_RAISING:
        return False  # the phrase opens its own clause with its subject ("... he's outside")
    index, steps = head - 1, 0
    while index >= 0 and steps < NEGATION_WINDOW:
        if tokens[index + 1].boundary_before:
            return False
        if _is_negator(text, index):
            return True
        word = tokens[index].norm
        if word in SUBJECTS and (index == 0 or tokens[index - 1].norm not in _NEG_RAISING):
            # A new subject starts a new clause in unpunctuated speech ("i don't know where he is
            # he's outside"): stop, unless a verb like "think" raises the negation over it.
            return False
        index -= 1
        steps += 1
    return False


def _is_negator(text: SegmentText, index: int) -> bool:
    tokens = text.tokens
    word = tokens[index].norm
    if word not in _NEGATORS and not word.endswith("n't"):
        return False
    following = tokens[index + 1].norm if index + 1 < len(tokens) else ""
    if following in _NOT_NEGATING_AFTER:
        return False
    if word in {"no", "nope", "nah"} and (following in SUBJECTS or following.startswith("[")):
        return False  # an answer ("no, he's in the lounge"), not a negation of what follows
    return not (word == "never" and _INTENSIFIED_NEVER.match(text.window(index, index + 4)))


def condition_spans(text: SegmentText) -> list[tuple[int, int]]:
    """Token ranges (marker, last) of the conditions of "if"/"in case"/"unless" clauses."""
    tokens = text.tokens
    spans: list[tuple[int, int]] = []
    for index, token in enumerate(tokens):
        is_marker = token.norm in _CONDITION_MARKERS or (
            token.norm == "case" and index > 0 and tokens[index - 1].norm == "in"
        )
        if not is_marker:
            continue
        last = index
        for later in range(index + 1, min(len(tokens), index + 1 + HYPOTHETICAL_WINDOW)):
            if tokens[later].boundary_before and later > index + 1:
                break
            # The condition's own subject comes first; a second subject begins the consequent.
            if later > index + 1 and tokens[later].norm in SUBJECTS:
                break
            if tokens[later].norm == "then":
                break
            last = later
        spans.append((index, last))
    return spans


def hypothetical(spans: list[tuple[int, int]], head: int) -> bool:
    return any(marker < head <= last for marker, last in spans)


def modal(text: SegmentText, head: int) -> bool:
    """A modal verb just before the head in the same clause ("he might have a knife")."""
    for index in range(max(0, head - 3), head):
        if text.tokens[index].norm in _MODALS and not any(
            text.tokens[i].boundary_before for i in range(index + 1, head + 1)
        ):
            return True
    return False


def frame_spans(text: SegmentText) -> list[tuple[int, int]]:
    """Token ranges talking about someone else's situation or fiction, not this call's."""
    spans: list[tuple[int, int]] = []
    for match in _FRAME.finditer(text.joined):
        first, last = text.token_range(match.start(), match.end())
        end = first
        for later in range(last + 1, min(len(text.tokens), first + FRAME_WINDOW)):
            if text.tokens[later].boundary_before and text.tokens[later].norm in {
                "but",
                "anyway",
                "so",
            }:
                break
            if (
                text.tokens[later].boundary_before
                and later > last + 1
                and _sentence_gap(text, later)
            ):
                break
            end = later
        if _PRESENT_NOW.search(text.window(first, end)):
            continue  # "my friend's husband is hitting her right now" is this situation
        spans.append((first, max(end, last)))
    return spans


def _sentence_gap(text: SegmentText, index: int) -> bool:
    previous_end = text.tokens[index - 1].end
    gap = text.text[previous_end : text.tokens[index].start]
    return any(mark in gap for mark in ".!?;")


def in_frame(spans: list[tuple[int, int]], head: int) -> bool:
    return any(first <= head <= last for first, last in spans)
