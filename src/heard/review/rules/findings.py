"""What a rule is and what it finds."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from heard.review.rules.case import Severity
from heard.review.rules.index import CaseIndex


@dataclass(frozen=True)
class Draft:
    """A rule's finding before the engine stamps it with the rule's id and severity.

    `at` is when the opportunity was missed: the moment of the decision (a lowered grade, a
    call-back, "not relevant") or the moment a standard's deadline passed.
    """

    at: datetime
    evidence: tuple[str, ...]
    about: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    at: datetime
    evidence: tuple[str, ...]
    # The people the finding is about: a victim, a suspect, a pair, or a child.
    about: tuple[str, ...]
    summary: str

    @property
    def fingerprint(self) -> str:
        """Stable across sweeps: the same rule over the same evidence is the same finding."""
        text = "|".join((self.rule, *self.evidence))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def contract_line(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "at": iso(self.at),
            "evidence": list(self.evidence),
        }


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def unique(ids: Iterable[str | None]) -> tuple[str, ...]:
    """Evidence in first-seen order without repeats or blanks."""
    seen: dict[str, None] = {}
    for item in ids:
        if item is not None:
            seen.setdefault(item, None)
    return tuple(seen)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    description: str
    severity: Severity
    check: Callable[[CaseIndex, Any], Iterable[Draft]]
