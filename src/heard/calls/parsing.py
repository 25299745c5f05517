"""Lenient reading of the optional parts of a call: keep the raw value, note the problem, carry on.

A 999 call is never refused because an optional field is malformed. Each reader returns the value
it could understand (or None) and appends a note naming the field and what was wrong with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from heard.incidents.models import Connection, Role
from heard.people import normalise
from heard.people.models import Sex

MAX_TEXT = 20_000
_DMY = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2,4})$")
_SEX_WORDS = {
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "woman": Sex.FEMALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "man": Sex.MALE,
}


@dataclass
class Notes:
    """Problems with optional fields, in the order found."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, path: str, raw: Any, problem: str) -> None:
        self.items.append({"field": path, "raw": _printable(raw), "problem": problem})


def _printable(raw: Any) -> Any:
    if isinstance(raw, str | int | float | bool) or raw is None:
        return raw if not isinstance(raw, str) else raw[:500]
    return repr(raw)[:500]


def text(raw: Any, path: str, notes: Notes, *, limit: int = MAX_TEXT) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        notes.add(path, raw, "expected text")
        return None
    value = raw.strip()
    if len(value) > limit:
        notes.add(path, raw, f"longer than {limit} characters; cut to that length")
        value = value[:limit]
    return value or None


def date_of_birth(raw: Any, path: str, notes: Notes, *, today: date) -> date | None:
    value = text(raw, path, notes, limit=40)
    if value is None:
        return None
    parsed = _parse_date(value)
    if parsed is None:
        notes.add(path, raw, "not a date (use YYYY-MM-DD or DD/MM/YYYY); kept as given")
    elif parsed > today or parsed.year < today.year - 120:
        notes.add(path, raw, "date of birth out of range; kept as given")
        return None
    return parsed


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = _DMY.match(value)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 1900 if year > 30 else 2000
    try:
        return date(year, month, day)  # British order: day first
    except ValueError:
        return None


def age(raw: Any, path: str, notes: Notes) -> int | None:
    if raw is None:
        return None
    try:
        years = int(str(raw).strip().removeprefix("about ").removeprefix("approx "))
    except ValueError:
        notes.add(path, raw, "age is not a whole number")
        return None
    if not 0 <= years <= 120:
        notes.add(path, raw, "age out of range")
        return None
    return years


def sex(raw: Any, path: str, notes: Notes) -> Sex:
    value = text(raw, path, notes, limit=20)
    if value is None:
        return Sex.UNKNOWN
    found = _SEX_WORDS.get(value.lower())
    if found is None:
        notes.add(path, raw, "not understood as female or male; recorded as unknown")
        return Sex.UNKNOWN
    return found


def phone(raw: Any, path: str, notes: Notes) -> tuple[str | None, str | None]:
    """(raw text, E.164 or None)."""
    value = text(raw, path, notes, limit=40)
    if value is None:
        return None, None
    e164 = normalise.phone_e164(value)
    if e164 is None:
        notes.add(path, raw, "not a recognisable phone number; kept as given")
    return value, e164


def postcode(raw: Any, path: str, notes: Notes) -> str | None:
    value = text(raw, path, notes, limit=12)
    if value is None:
        return None
    canonical = normalise.postcode(value)
    if canonical is None:
        notes.add(path, raw, "not shaped like a UK postcode; ignored for matching")
    return canonical


def role(raw: Any, path: str, notes: Notes) -> Role:
    value = text(raw, path, notes, limit=20)
    try:
        return Role((value or "").lower())
    except ValueError:
        notes.add(path, raw, "role not understood; recorded as witness")
        return Role.WITNESS


def connection(raw: Any, path: str, notes: Notes) -> Connection | None:
    value = text(raw, path, notes, limit=40)
    if value is None:
        return None
    try:
        return Connection(value.lower())
    except ValueError:
        allowed = ", ".join(c.value for c in Connection)
        notes.add(path, raw, f"relationship not one of: {allowed}")
        return None


def coordinate(raw: Any, path: str, notes: Notes, *, low: float, high: float) -> float | None:
    if raw is None:
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        notes.add(path, raw, "not a number")
        return None
    if not low <= value <= high:
        notes.add(path, raw, f"outside {low}..{high}")
        return None
    return value


def mapping(raw: Any, path: str, notes: Notes) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        notes.add(path, raw, "expected an object")
        return {}
    return raw
