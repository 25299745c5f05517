"""Identifiers in canonical form.

The raw value is always kept beside the normalised one, and a value that cannot be normalised gives
None rather than an error: a 999 call is never refused because of it.
"""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_ADDRESS_ABBREVIATIONS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "gr": "grove",
    "gro": "grove",
    "cres": "crescent",
    "dr": "drive",
    "terr": "terrace",
    "ter": "terrace",
    "gdns": "gardens",
    "ct": "court",
    "pl": "place",
}


def phone_e164(raw: str | None) -> str | None:
    """A UK number as +44 and its national significant number; other countries pass through."""
    if not raw:
        return None
    text = raw.strip()
    plus = text.startswith("+")
    digits = "".join(ch for ch in text if ch.isdigit())
    if not plus and digits.startswith("00"):
        plus, digits = True, digits[2:]
    if plus or digits.startswith("44"):
        if digits.startswith("44"):
            national = digits[2:].removeprefix("0")  # "+44 (0)7700..." is common
            return f"+44{national}" if len(national) in (9, 10) else None
        return f"+{digits}" if 8 <= len(digits) <= 15 else None
    if digits.startswith("0") and len(digits) in (10, 11):
        return f"+44{digits[1:]}"
    return None


def postcode(raw: str | None) -> str | None:
    """Canonical 'TS5 6QT' form, or None when the text is not shaped like a UK postcode."""
    if not raw:
        return None
    compact = re.sub(r"[^A-Za-z0-9]", "", raw).upper()
    match = _POSTCODE.match(compact)
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


def address(raw: str) -> str:
    """Lower case, punctuation removed and common street abbreviations spelled out."""
    words = re.sub(r"[^a-z0-9 ]", " ", raw.lower()).split()
    return " ".join(_ADDRESS_ABBREVIATIONS.get(word, word) for word in words)
