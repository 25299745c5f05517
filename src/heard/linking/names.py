"""Names as the linker sees them: folded, stripped of titles, and keyed for variants.

Call handlers type what they hear. The same person arrives as "Mrs Zoë O'Brien-Smith", "zoe
obrien smith" or "SMITH, Zoe", so names are folded to plain lower-case letters before any
comparison, and three kinds of key let different spellings of one name meet: the variant table
(nicknames and known transliterations), a consonant skeleton (transliterations nobody listed)
and a phonetic code (mishearing).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

import jellyfish

TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "lady",
        "lord",
        "rev",
        "revd",
        "fr",
        "sr",
        "sgt",
        "pc",
        "dc",
        "master",
        "madam",
    ]
)
SUFFIXES = frozenset(["jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv"])

# Letters that NFKD does not decompose into an ASCII base letter.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "\u0131": "i",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
    }
)
# Spelling pairs that transliterations of one sound swap between (Mohammed/Muhammad,
# Yusuf/Yousef, Aisha/Ayesha). Order matters: digraphs before the single letters they contain.
_SKELETON_DIGRAPHS = (
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("sh", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
)
_SKELETON_LETTERS = str.maketrans({"q": "k", "w": "u", "y": "i", "z": "s", "v": "f", "j": "i"})
_VOWELS = frozenset("aeiou")


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        # Apostrophes join (O'Brien is one name); every other non-letter separates words.
        if char in "'\u2019`\u00b4":
            continue
        kept.append(char if char.isalpha() else " ")
    return " ".join("".join(kept).split())


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation and digits turned into single spaces."""
    # Casefolding and decomposition can each expose work for the other (e.g. Turkish dotted I),
    # so repeat until nothing changes; it settles in one or two rounds in practice.
    previous = text
    for _ in range(4):
        current = _fold_once(previous)
        if current == previous:
            return current
        previous = current
    return previous


def name_tokens(text: str | None) -> tuple[str, ...]:
    """The words of a name without leading titles or trailing suffixes (never all of them)."""
    if not text:
        return ()
    tokens = fold(text).split()
    while len(tokens) > 1 and tokens[0] in TITLES:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in SUFFIXES:
        tokens.pop()
    return tuple(tokens)


def normalise_name(text: str | None) -> str | None:
    """A name as space-separated folded words, or None when nothing name-like is left."""
    tokens = name_tokens(text)
    return " ".join(tokens) if tokens else None


@lru_cache(maxsize=200_000)
def skeleton(name: str) -> str:
    """A consonant skeleton that is equal for common transliterations of one name."""
    text = name.replace(" ", "")
    if not text.isascii():
        return text
    for old, new in _SKELETON_DIGRAPHS:
        text = text.replace(old, new)
    text = text.translate(_SKELETON_LETTERS)
    if len(text) > 1:
        text = text[0] + text[1:].replace("h", "")
    collapsed = _collapse(text)
    if not collapsed:
        return ""
    return _collapse(collapsed[0] + "".join(ch for ch in collapsed[1:] if ch not in _VOWELS))


def _collapse(text: str) -> str:
    out: list[str] = []
    for char in text:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=200_000)
def phonetic(name: str) -> str:
    """Metaphone code for comparing names that sound alike; the name itself for other scripts."""
    text = name.replace(" ", "")
    if not text.isascii() or not text:
        return text
    return jellyfish.metaphone(text).lower() or text


@lru_cache(maxsize=200_000)
def nysiis(name: str) -> str:
    """NYSIIS code: stabler than metaphone on a mistyped vowel, so used as a second block key."""
    text = name.replace(" ", "")
    if not text.isascii() or not text:
        return text
    return jellyfish.nysiis(text).lower() or text


def _load_variants() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    text = resources.files("heard.linking").joinpath("data/name_variants.csv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        _kind, canonical, *variants = (cell.strip() for cell in line.split(","))
        for name in (canonical, *variants):
            groups.setdefault(fold(name).replace(" ", ""), set()).add(canonical)
    return {name: frozenset(ids) for name, ids in groups.items()}


_VARIANTS = _load_variants()


def variant_groups(name: str | None) -> frozenset[str]:
    """The variant groups (by canonical name) a folded name belongs to; empty when unlisted."""
    if not name:
        return frozenset()
    return _VARIANTS.get(name.replace(" ", ""), frozenset())


def are_variants(left: str, right: str) -> bool:
    """True when two names are listed nicknames or spellings of one another."""
    return not variant_groups(left).isdisjoint(variant_groups(right))
