"""How a rule is written: a pattern over normalised tokens, with its scope and trap exceptions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from heard.signals.cues.taxonomy import Speaker

# Codes that start with "_" are internal evidence (abuse verbs, order mentions, relationships)
# used by the call-level decisions; they never leave the detector.
ABUSE = "_ABUSE"
CONFLICT = "_CONFLICT"
DOMESTIC = "_DOMESTIC"
ORDER = "_ORDER"
CONTACT = "_CONTACT"
REL_PREFIX = "_REL:"
DISTRESS = "_DISTRESS"
PERSON_FEAR = "_PERSON_FEAR"

CALLER_ONLY = frozenset({Speaker.CALLER})
ANY_SPEAKER = frozenset({Speaker.CALLER, Speaker.HANDLER})

MACROS: dict[str, str] = {
    "HE": r"(?:he|she|they)",
    "HES": r"(?:he's|she's|they're|he is|she is|they are|he has|she has|they have|they've)",
    "HE_WILL": (
        r"(?:he'll|she'll|they'll|hell|he will|she will|they will|he'd|she'd|they'd|he would|"
        r"she would|(?:he's|she's|they're|he is|she is|they are) (?:going to|gonna)|going to)"
    ),
    "SAY": (
        r"(?:said|says|saying|say|told me|telling me|tells me|told her|threatened|threatening|"
        r"threatens|threat|shouting|shouted|shouts|screaming|screamed|yelling|yelled|texted|"
        r"texting|text|messaged|messaging|message|messages|voicemails?|swore|swears|promised|"
        r"warned|warning|sent me)"
    ),
    "VICTIM": r"(?:me|her|him|us|you|them|both of us|everyone|the lot of us)",
    "KIDS": (
        r"(?:kids|kid|children|child|son|sons|daughter|daughters|baby|babies|little ones?|"
        r"toddler|boys?|girls?|twins|stepson|stepdaughter|grandchildren|grandkids|youngest|eldest)"
    ),
    "PET": (
        r"(?:dog|dogs|cat|cats|puppy|kitten|rabbit|pet|pets|hamster|budgie|bird|guinea pig|"
        r"tortoise|horse|parrot|ferret|fish)"
    ),
    "NP": (
        r"(?:(?:my|her|his|their|the|our) (?:ex |ex-)?(?:husband|wife|partner|boyfriend|"
        r"girlfriend|fiancé|fiancée|ex|son|daughter|brother|sister|dad|father|mum|mother|"
        r"stepdad|stepfather|stepmum|uncle|cousin|grandson|nephew|man|bloke|fella|civil partner))"
    ),
    "NPS": (
        r"(?:(?:husband|wife|partner|boyfriend|girlfriend|fiancé|fiancée|ex|son|daughter|"
        r"brother|sister|dad|father|mum|mother|stepdad|uncle|cousin|grandson|nephew|fella|"
        r"bloke|man|someone|somebody)'s)"
    ),
}

_MACRO = re.compile(r"<([A-Z_]+)>")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    pattern: re.Pattern[str]
    confidence: float
    speakers: frozenset[Speaker]
    # Scope checks this rule is immune to, e.g. a threat rule reads "he'd kill me" despite "would".
    ignore: frozenset[str]
    veto_around: re.Pattern[str] | None
    veto_before: re.Pattern[str] | None
    around: int
    also: tuple[str, ...] = field(default=())


def expand(pattern: str) -> str:
    return _MACRO.sub(lambda match: MACROS[match.group(1)], pattern)


def rule(
    code: str,
    pattern: str,
    *,
    confidence: float = 0.8,
    speakers: frozenset[Speaker] = CALLER_ONLY,
    ignore: tuple[str, ...] = (),
    veto: str | None = None,
    veto_before: str | None = None,
    around: int = 8,
    also: tuple[str, ...] = (),
    name: str = "",
) -> Rule:
    """Compile one rule; the pattern matches whole tokens of the normalised, space-joined text."""
    compiled = re.compile(r"(?<!\S)(?:" + expand(pattern) + r")(?!\S)")
    return Rule(
        code=code,
        name=name or f"{code}:{pattern[:40]}",
        pattern=compiled,
        confidence=confidence,
        speakers=speakers,
        ignore=frozenset(ignore),
        veto_around=_words(veto),
        veto_before=_words(veto_before),
        around=around,
        also=also,
    )


def _words(pattern: str | None) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    return re.compile(r"(?<![\w'])(?:" + expand(pattern) + r")(?:'s)?(?![\w'])")
