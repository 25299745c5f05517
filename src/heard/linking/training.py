"""Unsupervised training of m and u on the force's own records (no labels).

u, the chance that two different people agree at a level, comes from random pairs: almost every
random pair is two different people. m, the chance that two records of one person agree at a
level, comes from expectation maximisation over pairs that share a blocking key, where matches
and non-matches are both common. EM here is maximum a posteriori: each field's starting m values
count as a number of pseudo-matches, so a force whose records hold few duplicates (or a file with
none) keeps sensible m values instead of fitting noise, while a force with many learns its own.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from heard.linking.blocking import BlockingIndex
from heard.linking.comparisons import FIELDS, MISSING, compare
from heard.linking.model import Model
from heard.linking.prepared import Prepared

Pattern = tuple[int, ...]
# A likelihood ratio of about 65,000 to one (16 bits) under the starting m values: more than a
# household's shared family name, address and phone can reach with two different people.
SURE_MATCH_NATS = 16 * math.log(2)


@dataclass(frozen=True)
class TrainingSettings:
    u_pairs: int = 200_000
    em_pairs: int = 200_000
    max_iterations: int = 40
    tolerance: float = 1e-5
    # How many pseudo-matches the starting m values are worth, per field.
    prior_strength: float = 200.0
    # Fewer near-certain matches than this among the blocked pairs and EM would learn what
    # merely similar people look like; m then stays at its starting values.
    min_sure_pairs: int = 50
    seed: int = 20240601


def estimate_u(records: Sequence[Prepared], pairs: int, rng: random.Random) -> list[list[float]]:
    """u per level from random pairs, with add-one smoothing so no level is impossible."""
    counts = [[0] * len(spec.levels) for spec in FIELDS]
    size = len(records)
    if size >= 2:
        for _ in range(pairs):
            left = rng.randrange(size)
            right = rng.randrange(size - 1)
            right += right >= left
            for at, level in enumerate(compare(records[left], records[right])):
                if level != MISSING:
                    counts[at][level] += 1
    return [[(count + 1) / (sum(row) + len(row)) for count in row] for row in counts]


def _posterior(pattern: Pattern, log_m: list[list[float]], log_u: list[list[float]]) -> float:
    weight = 0.0
    for at, level in enumerate(pattern):
        if level != MISSING:
            weight += log_m[at][level] - log_u[at][level]
    return weight


def _sure_pairs(patterns: Counter[Pattern], m: list[list[float]], log_u: list[list[float]]) -> int:
    """How many pairs are near-certain matches under the starting m values.

    EM has more than one fixed point. Left to update the share of matches itself on records
    with few or no duplicates, it inflates it until "matches" are merely people with the same
    name or neighbours. The share is therefore taken from the pairs the starting model is
    already sure of (as Splink estimates it from deterministic rules) and held fixed while m
    is learned.
    """
    log_m = [[math.log(max(value, 1e-12)) for value in row] for row in m]
    sure = sum(
        count
        for pattern, count in patterns.items()
        if _posterior(pattern, log_m, log_u) >= SURE_MATCH_NATS
    )
    return sure


def expectation_maximisation(
    patterns: Counter[Pattern], u: list[list[float]], settings: TrainingSettings
) -> tuple[list[list[float]], float, int]:
    """(m, share of pairs that match, iterations) from comparison patterns and their counts."""
    m = [list(spec.prior_m) for spec in FIELDS]
    log_u = [[math.log(max(value, 1e-12)) for value in row] for row in u]
    total = sum(patterns.values())
    sure = _sure_pairs(patterns, m, log_u)
    if not total or sure < settings.min_sure_pairs:
        return m, sure / total if total else 0.0, 0
    share = min(sure / total, 0.5)
    iterations = 0
    while iterations < settings.max_iterations:
        iterations += 1
        new_m = _maximise(_expected_counts(patterns, m, log_u, share), settings)
        change = max(
            abs(new - old)
            for new_row, old_row in zip(new_m, m, strict=True)
            for new, old in zip(new_row, old_row, strict=True)
        )
        m = new_m
        if change < settings.tolerance:
            break
    return m, share, iterations


def _expected_counts(
    patterns: Counter[Pattern], m: list[list[float]], log_u: list[list[float]], share: float
) -> list[list[float]]:
    """E step: how many matching pairs are expected at each level, given the current m."""
    log_m = [[math.log(max(value, 1e-12)) for value in row] for row in m]
    prior = math.log(share / (1 - share))
    sums = [[0.0] * len(spec.levels) for spec in FIELDS]
    for pattern, count in patterns.items():
        logit = prior + _posterior(pattern, log_m, log_u)
        weight = count / (1.0 + math.exp(-logit)) if logit > -700 else 0.0
        for at, level in enumerate(pattern):
            if level != MISSING:
                sums[at][level] += weight
    return sums


def _maximise(sums: list[list[float]], settings: TrainingSettings) -> list[list[float]]:
    """M step with the starting m values as pseudo-counts (a Dirichlet prior)."""
    strength = settings.prior_strength
    return [
        [
            (sums[at][level] + strength * spec.prior_m[level]) / (sum(sums[at]) + strength)
            for level in range(len(spec.levels))
        ]
        for at, spec in enumerate(FIELDS)
    ]


def train(
    records: Sequence[Prepared], index: BlockingIndex, settings: TrainingSettings, base: Model
) -> Model:
    """A model trained on these records; thresholds and expected matches are kept from `base`."""
    rng = random.Random(settings.seed)  # noqa: S311 (sampling pairs, not secrets)
    u = estimate_u(records, settings.u_pairs, rng)
    pairs = index.sample_pairs(settings.em_pairs, rng)
    patterns: Counter[Pattern] = Counter(
        compare(records[left], records[right]) for left, right in pairs
    )
    m, share, iterations = expectation_maximisation(patterns, u, settings)
    return Model(
        m=m,
        u=u,
        expected_matches=base.expected_matches,
        thresholds=base.thresholds,
        trained={
            "records": len(records),
            "u_pairs": settings.u_pairs if len(records) >= 2 else 0,
            "em_pairs": len(pairs),
            "em_patterns": len(patterns),
            "em_iterations": iterations,
            "em_match_share": share,
            "prior_strength": settings.prior_strength,
            "m_source": "em" if iterations else "starting values (too few near-certain matches)",
        },
    )
