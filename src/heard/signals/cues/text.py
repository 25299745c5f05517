"""One transcript segment as normalised tokens that map back to the caller's exact words."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from heard.signals.cues.lexicon import normalise_token

# A bracketed note from the transcriber ("[whispering]", "[line goes dead]") is kept as one token.
_TOKEN = re.compile(r"\[[^\]\n]{0,80}\]|[A-Za-z0-9\u00c0-\u024f]+(?:['\u2019][A-Za-z]+)*")
# Punctuation between two words closes a clause for scope purposes; a hyphen inside a word does not.
_CLAUSE_GAP = re.compile(r"[.!?;:,\u2014\u2013\n\"\u201c\u201d]|\s-\s")
_CLAUSE_WORDS = frozenset(
    {"but", "because", "so", "though", "although", "then", "anyway", "and", "or", "until", "while"}
)


@dataclass(frozen=True, slots=True)
class Token:
    norm: str
    start: int
    end: int
    boundary_before: bool


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    text: str


class SegmentText:
    """Tokens of one segment, and the joined normalised text that the rules search."""

    __slots__ = ("joined", "offsets", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.offsets: list[int] = []
        pieces: list[str] = []
        position = 0
        for token in self.tokens:
            self.offsets.append(position)
            pieces.append(token.norm)
            position += len(token.norm) + 1
        self.joined = " ".join(pieces)

    def token_at(self, char_index: int) -> int:
        """Index of the token that holds this position of the joined text."""
        return max(0, bisect_right(self.offsets, char_index) - 1)

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Token indices [first, last] covered by joined-text characters [start, end)."""
        return self.token_at(start), self.token_at(max(start, end - 1))

    def quote(self, first: int, last: int) -> Quote:
        """The caller's own words for tokens first..last, with offsets into the segment text."""
        start, end = self.tokens[first].start, self.tokens[last].end
        return Quote(start=start, end=end, text=self.text[start:end])

    def window(self, first: int, last: int) -> str:
        """Joined normalised text of tokens first..last (clipped to the segment)."""
        first, last = max(0, first), min(len(self.tokens) - 1, last)
        if first > last:
            return ""
        end = self.offsets[last] + len(self.tokens[last].norm)
        return self.joined[self.offsets[first] : end]


def _tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        if raw.startswith("["):
            norm = "[" + "_".join(raw[1:-1].lower().split()) + "]"
        else:
            norm = normalise_token(raw)
        gap = text[previous_end : match.start()]
        boundary = (
            not tokens
            or bool(_CLAUSE_GAP.search(gap))
            or norm in _CLAUSE_WORDS
            or norm.startswith("[")
            or tokens[-1].norm.startswith("[")
        )
        tokens.append(
            Token(norm=norm, start=match.start(), end=match.end(), boundary_before=boundary)
        )
        previous_end = match.end()
    return tokens
