"""The linker: records in memory, the blocking index over them, and the model that scores.

`match` is the real-time path a new call takes: prepare the record once, gather candidates from
the blocking index, score each with the model, and explain the few worth showing. `add` files a
record as it arrives; `build` does the same for a whole load at start-up.
"""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from heard.linking.blocking import DEFAULT_MAX_BLOCK, BlockingIndex
from heard.linking.comparisons import (
    FIELDS,
    MISSING,
    NameLevels,
    compare_remembering_names,
    tf_value,
)
from heard.linking.frequencies import TF_FIELDS, TermFrequencies
from heard.linking.model import Band, Model, probability
from heard.linking.prepared import Prepared, prepare
from heard.linking.records import LinkRecord
from heard.linking.training import TrainingSettings, train


@dataclass(frozen=True, slots=True)
class FieldExplanation:
    """One field's part in a score: the level it reached and the weight (bits) it added."""

    field: str
    level: str
    weight: float
    # Set when the weight reflects how common the shared value is (a common name counts less).
    value_frequency: float | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    record_id: str
    probability: float
    match_weight: float
    band: Band
    prior_weight: float
    explanation: tuple[FieldExplanation, ...]


class Linker:
    def __init__(self, model: Model | None = None, *, max_block: int = DEFAULT_MAX_BLOCK) -> None:
        self.model = model or Model.untrained()
        self.index = BlockingIndex(max_block=max_block)
        self.frequencies = TermFrequencies()
        self._records: list[Prepared] = []
        self._numbers: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._numbers

    @classmethod
    def build(cls, records: Iterable[LinkRecord], model: Model | None = None) -> Linker:
        """A linker holding every record of the iterable, added one by one as at run time."""
        linker = cls(model)
        for record in records:
            linker.add(record)
        # The index lives as long as the process: move it out of the collector's reach so a
        # full collection does not walk a million records in the middle of a 999 call.
        gc.collect()
        gc.freeze()
        return linker

    def add(self, record: LinkRecord) -> None:
        """File a new record: it is a candidate for the very next match, with no rebuild."""
        if record.record_id in self._numbers:
            raise ValueError(f"record {record.record_id} is already indexed")
        prepared = prepare(record)
        number = len(self._records)
        self._records.append(prepared)
        self._numbers[record.record_id] = number
        self.index.add(number, prepared)
        self.frequencies.add(prepared)

    def train(self, settings: TrainingSettings | None = None) -> Model:
        """Learn m and u from the indexed records without labels, and use the result."""
        self.model = train(self._records, self.index, settings or TrainingSettings(), self.model)
        return self.model

    def match(
        self, record: LinkRecord, *, limit: int | None = 10, min_probability: float = 0.01
    ) -> list[Candidate]:
        """Indexed records likely to be the same person, best first, each with its reasons.

        `limit=None` returns every candidate at or above `min_probability`.
        """
        query = prepare(record)
        prior = self.model.prior_weight(len(self._records))
        scored: list[tuple[float, int, tuple[int, ...]]] = []
        names: NameLevels = {}
        for number in self.index.candidates(query):
            candidate = self._records[number]
            if candidate.record_id == record.record_id:
                continue
            levels = compare_remembering_names(query, candidate, names)
            weight = prior + self._field_weight_total(levels, candidate)
            if probability(weight) >= min_probability:
                scored.append((weight, number, levels))
        scored.sort(key=lambda item: (-item[0], self._records[item[1]].record_id))
        return [
            self._candidate(self._records[number], levels, weight, prior)
            for weight, number, levels in scored[:limit]
        ]

    def _field_weight_total(self, levels: tuple[int, ...], candidate: Prepared) -> float:
        weights = self.model.weights
        total = 0.0
        for at, level in enumerate(levels):
            if level == MISSING:
                continue
            if level == 0 and at in TF_FIELDS:
                total += self._tf_weight(at, candidate)[0]
            else:
                total += weights[at][level]
        if levels[0] == 0 and levels[1] == 0:
            total += self._common_name_penalty(candidate)
        return total

    def _common_name_penalty(self, candidate: Prepared) -> float:
        """Bits taken off when both names agree exactly and the whole name is commoner than its
        parts' frequencies multiplied together say.

        Names are not drawn independently: a community's forenames go with its family names, so
        "Wei Wang" is far commoner than the shares of "Wei" and "Wang" multiplied. Adding the two
        term-frequency weights then overstates a shared name most for the smaller communities,
        whose names repeat most, and strangers with the same name reach the suggest band. The
        penalty only ever weakens agreement, and only by what the force's own records show.
        """
        combined = self.frequencies.other_name_frequency(candidate)
        if not combined:
            return 0.0
        given = self.frequencies.frequency(0, candidate.given or "")
        family = self.frequencies.frequency(1, candidate.family or "")
        expected = given * family
        if expected <= 0.0 or combined <= expected:
            return 0.0
        return -math.log2(combined / expected)

    def _tf_weight(self, at: int, candidate: Prepared) -> tuple[float, float | None]:
        value = tf_value(at, candidate)
        if value is None:
            return self.model.weights[at][0], None
        share = self.frequencies.frequency(at, value)
        return self.model.tf_weight(at, share), share

    def explain(self, levels: tuple[int, ...], candidate: Prepared) -> tuple[FieldExplanation, ...]:
        parts: list[FieldExplanation] = []
        for at, level in enumerate(levels):
            spec = FIELDS[at]
            if level == MISSING:
                parts.append(FieldExplanation(spec.name, "missing", 0.0))
            elif level == 0 and at in TF_FIELDS:
                weight, share = self._tf_weight(at, candidate)
                parts.append(FieldExplanation(spec.name, spec.levels[0], weight, share))
            else:
                parts.append(
                    FieldExplanation(spec.name, spec.levels[level], self.model.weights[at][level])
                )
        if levels[0] == 0 and levels[1] == 0:
            # The whole-name penalty is shown on the family name, so the parts still add up.
            family = parts[1]
            parts[1] = replace(family, weight=family.weight + self._common_name_penalty(candidate))
        return tuple(parts)

    def _candidate(
        self, candidate: Prepared, levels: tuple[int, ...], weight: float, prior: float
    ) -> Candidate:
        chance = probability(weight)
        return Candidate(
            record_id=candidate.record_id,
            probability=chance,
            match_weight=weight,
            band=self.model.thresholds.band(chance),
            prior_weight=prior,
            explanation=self.explain(levels, candidate),
        )


def timed_build(records: Iterable[LinkRecord], model: Model | None = None) -> tuple[Linker, float]:
    """A built linker and the seconds it took (reading the records included)."""
    started = time.perf_counter()
    linker = Linker.build(records, model)
    return linker, time.perf_counter() - started
