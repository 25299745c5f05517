"""Fellegi-Sunter weights: m and u per field level, the prior, the bands, and their JSON form.

A field level's weight is log2(m/u): how many times likelier that agreement is between two
records of one person (m) than between two different people (u). A pair's match weight is the
prior's weight plus its fields' weights, and its probability follows from that. A force's trained
model is stored as JSON and reloaded, so linking at start-up does not wait for training.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from heard.linking.comparisons import FIELDS, FieldSpec

FORMAT = "heard-linking-model"
VERSION = 1
# Probabilities are kept away from 0 and 1 so that no single field can be infinitely decisive.
_FLOOR = 1e-6


class Band(StrEnum):
    LINK = "link"
    SUGGEST = "suggest"
    NO_LINK = "no_link"


@dataclass(frozen=True)
class Thresholds:
    """Probability at or above which a candidate is linked, or suggested to a person."""

    link: float = 0.95
    suggest: float = 0.30

    def __post_init__(self) -> None:
        if not 0.0 < self.suggest <= self.link <= 1.0:
            raise ValueError("thresholds must satisfy 0 < suggest <= link <= 1")

    def band(self, probability: float) -> Band:
        if probability >= self.link:
            return Band.LINK
        if probability >= self.suggest:
            return Band.SUGGEST
        return Band.NO_LINK


@dataclass
class Model:
    """m and u for every level of every field, in the order of `FIELDS`."""

    m: list[list[float]]
    u: list[list[float]]
    # How many records of the same person a new record is expected to have in the index. With
    # the index size it gives the prior: one match among a million is a weak prior indeed.
    expected_matches: float = 1.0
    thresholds: Thresholds = field(default_factory=Thresholds)
    trained: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for values, name in ((self.m, "m"), (self.u, "u")):
            if [len(row) for row in values] != [len(spec.levels) for spec in FIELDS]:
                raise ValueError(f"{name} does not have one value per level of every field")
        if self.expected_matches <= 0:
            raise ValueError("expected_matches must be positive")
        self.weights = [
            [math.log2(max(m, _FLOOR) / max(u, _FLOOR)) for m, u in zip(m_row, u_row, strict=True)]
            for m_row, u_row in zip(self.m, self.u, strict=True)
        ]

    @classmethod
    def untrained(cls) -> Model:
        """Starting values: the prior m of each level and a u that makes agreement rare."""
        u = [_default_u(spec) for spec in FIELDS]
        return cls(m=[list(spec.prior_m) for spec in FIELDS], u=u)

    def prior_weight(self, index_size: int) -> float:
        chance = min(self.expected_matches / max(index_size, 1), 0.5)
        return math.log2(chance / (1.0 - chance))

    def tf_weight(self, field_at: int, frequency: float) -> float:
        """The exact level's weight for a value with this relative frequency among records."""
        spec = FIELDS[field_at]
        m_exact = max(self.m[field_at][0], _FLOOR)
        u_exact = max(self.u[field_at][0], _FLOOR)
        if spec.tf == "full":
            return math.log2(m_exact / max(frequency, _FLOOR))
        return math.log2(m_exact / max(frequency, u_exact))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "expected_matches": self.expected_matches,
            "thresholds": {"link": self.thresholds.link, "suggest": self.thresholds.suggest},
            "fields": [
                {
                    "name": spec.name,
                    "tf": spec.tf,
                    "levels": [
                        {"level": level, "m": m, "u": u}
                        for level, m, u in zip(spec.levels, m_row, u_row, strict=True)
                    ],
                }
                for spec, m_row, u_row in zip(FIELDS, self.m, self.u, strict=True)
            ],
            "trained": self.trained,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError(f"not a {FORMAT} version {VERSION} document")
        fields = data["fields"]
        names = [item["name"] for item in fields]
        if names != [spec.name for spec in FIELDS]:
            raise ValueError(f"model fields {names} do not match this linker's fields")
        for spec, item in zip(FIELDS, fields, strict=True):
            levels = tuple(level["level"] for level in item["levels"])
            if levels != spec.levels:
                raise ValueError(f"levels of {spec.name} differ from this linker's: {levels}")
        thresholds = data.get("thresholds", {})
        return cls(
            m=[[float(level["m"]) for level in item["levels"]] for item in fields],
            u=[[float(level["u"]) for level in item["levels"]] for item in fields],
            expected_matches=float(data.get("expected_matches", 1.0)),
            thresholds=Thresholds(**thresholds),
            trained=dict(data.get("trained", {})),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Model:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def _default_u(spec: FieldSpec) -> list[float]:
    # Before training, agreement at any level is taken to be rare between different people.
    agreeing = [0.01 / (2**at) for at in range(len(spec.levels) - 1)]
    return [*agreeing, 1.0 - sum(agreeing)]


def probability(match_weight: float) -> float:
    """Probability from a match weight in bits, safe for very large or small weights."""
    if match_weight >= 0:
        return 1.0 / (1.0 + math.pow(2.0, -match_weight))
    odds = math.pow(2.0, match_weight)
    return odds / (1.0 + odds)
