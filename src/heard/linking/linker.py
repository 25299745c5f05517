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
    compare_address,
    compare_dob,
    compare_family,
    compare_given,
    compare_phone,
    compare_sex,
    tf_value,
)
from heard.linking.frequencies import TF_FIELDS, TermFrequencies
from heard.linking.model import Band, Model, probability
from heard.linking.prepared import Prepared, prepare
from heard.linking.records import LinkRecord
from heard.linking.training import TrainingSettings, train

_TF_AT = frozenset(TF_FIELDS)


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


@dataclass(frozen=True, slots=True)
class _NamePart:
    given_level: int
    family_level: int
    given_weight: float
    family_weight: float
    penalty: float


def _weight_for(share: float) -> float:
    """The match weight (bits) whose probability is `share`: the inverse of `probability`."""
    if share <= 0.0:
        return -math.inf
    if share >= 1.0:
        return math.inf
    return math.log2(share / (1.0 - share))


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
        # Below this weight a candidate's probability is under min_probability (checked exactly
        # near the edge); most candidates of a big block stop here without the exponent.
        floor = _weight_for(min_probability) - 1e-9
        scored: list[tuple[float, int, tuple[int, ...]]] = []
        names: dict[tuple[str | None, str | None, tuple[str, ...]], _NamePart] = {}
        for number in self.index.candidates(query):
            candidate = self._records[number]
            if candidate.record_id == record.record_id:
                continue
            weight, levels = self._score(query, candidate, prior, names)
            if weight >= floor and probability(weight) >= min_probability:
                scored.append((weight, number, levels))
        scored.sort(key=lambda item: (-item[0], self._records[item[1]].record_id))
        return [
            self._candidate(self._records[number], levels, weight, prior)
            for weight, number, levels in scored[:limit]
        ]

    def _score(
        self,
        query: Prepared,
        candidate: Prepared,
        prior: float,
        names: dict[tuple[str | None, str | None, tuple[str, ...]], _NamePart],
    ) -> tuple[float, tuple[int, ...]]:
        """The weight and levels `field_weight_total(compare(...))` gives, name part remembered.

        A query's candidates come mostly from name blocks, so most share their names with
        another candidate. The name levels, their weights and the whole-name penalty depend on
        the candidate only through the key below (groups, skeletons and sound-alike codes are
        made from these names), and the sum is taken in the same order, so the result is equal
        to the plain computation to the last bit (tests/unit/linking/test_properties.py).
        """
        key = (candidate.given, candidate.family, candidate.family_tokens)
        named = names.get(key)
        if named is None:
            named = names[key] = self._name_part(query, candidate)
        levels = (
            named.given_level,
            named.family_level,
            compare_dob(query, candidate),
            compare_phone(query, candidate),
            compare_address(query, candidate),
            compare_sex(query, candidate),
        )
        total = 0.0 + named.given_weight + named.family_weight
        # `_level_weight` for fields 2-5, written out: this loop runs for every candidate. A
        # missing field adds nothing (skipping `+ 0.0` leaves the sum unchanged).
        weights = self.model.weights
        for at in (2, 3, 4, 5):
            level = levels[at]
            if level == MISSING:
                continue
            if level == 0 and at in _TF_AT:
                total += self._tf_weight(at, candidate)[0]
            else:
                total += weights[at][level]
        return prior + (total + named.penalty), levels

    def _name_part(self, query: Prepared, candidate: Prepared) -> _NamePart:
        given, family = compare_given(query, candidate), compare_family(query, candidate)
        both_exact = given == 0 and family == 0
        return _NamePart(
            given,
            family,
            self._level_weight(0, given, candidate),
            self._level_weight(1, family, candidate),
            self._common_name_penalty(candidate) if both_exact else 0.0,
        )

    def _level_weight(self, at: int, level: int, candidate: Prepared) -> float:
        if level == MISSING:
            return 0.0
        if level == 0 and at in TF_FIELDS:
            return self._tf_weight(at, candidate)[0]
        return self.model.weights[at][level]

    def field_weight_total(self, levels: tuple[int, ...], candidate: Prepared) -> float:
        """The sum of the field weights for these levels: what `match` computes, written plainly."""
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
