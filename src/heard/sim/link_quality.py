"""How well the linker finds a person again, overall and per name origin, by the ground truth.

Each true person's appearances are taken in the order they were recorded. Every appearance but
each person's latest is filed in a linking index the way intake fills a force's index (rows read
by `records_after`, added one at a time), with weights trained without labels on those indexed
records (`Linker.train`, as `heard link train-force` does) or the force's stored model. Then each
latest appearance is matched alone, as the person on a new call is (`link_new_record`: the best
of the first `MAX_CANDIDATES`), and judged by who it really is: a link is right when the best
candidate at or above the threshold is an appearance of the same true person, and a latest
appearance whose person appears nowhere else should get no link at all.

Only evaluation and tests use this module: it reads the generator's truth tables.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.calls.index import force_model, records_after
from heard.calls.linking import MAX_CANDIDATES
from heard.linking import Linker, LinkRecord, Model
from heard.linking.evaluation import percentile, score
from heard.linking.training import TrainingSettings
from heard.people.models import PersonRecord
from heard.sim.truth import SimPerson, SimRecordTruth

# Groups with fewer true links than this are reported but left out of the gap: a handful of
# links moves their F1 by whole tenths.
MIN_LINKS_FOR_GAP = 30


@dataclass(frozen=True, slots=True)
class Appearance:
    record_id: str
    person_id: int
    origin: str
    noise: str
    recorded_at: datetime


@dataclass
class Split:
    """Appearances to index, the latest appearance of each person to match, and the truth."""

    indexed: set[str]
    held_out: list[Appearance]
    person_of: dict[str, int]
    # How many appearances each person has in the index (zero: a first-time appearance).
    indexed_count: Counter[int]
    people: int


@dataclass
class Outcome:
    """What matching one held-out appearance gave: the best candidate's person and probability."""

    appearance: Appearance
    best_person: int | None
    best_probability: float
    milliseconds: float


@dataclass
class Evaluation:
    split: Split
    model: Model
    outcomes: list[Outcome] = field(default_factory=list)
    build_s: float = 0.0
    train_s: float = 0.0


def appearances(session: Session, *, force_id: int) -> list[Appearance]:
    """Every person record of the force with the true person and origin behind it."""
    rows = session.execute(
        select(
            PersonRecord.id,
            PersonRecord.recorded_at,
            SimRecordTruth.sim_person_id,
            SimRecordTruth.noise,
            SimPerson.origin,
        )
        .join(SimRecordTruth, SimRecordTruth.person_record_id == PersonRecord.id)
        .join(SimPerson, SimPerson.id == SimRecordTruth.sim_person_id)
        .where(PersonRecord.force_id == force_id)
    )
    return [
        Appearance(str(row.id), row.sim_person_id, row.origin, row.noise, row.recorded_at)
        for row in rows
    ]


def split_latest(found: Iterable[Appearance], *, sample: int | None = None, seed: int = 1) -> Split:
    """Hold out each person's latest appearance (by time, then id); index the rest.

    `sample` keeps only that many held-out appearances to match (chosen at random with `seed`);
    the index still holds every earlier appearance of every person.
    """
    by_person: dict[int, list[Appearance]] = defaultdict(list)
    for appearance in found:
        by_person[appearance.person_id].append(appearance)
    held_out: list[Appearance] = []
    indexed: set[str] = set()
    person_of: dict[str, int] = {}
    indexed_count: Counter[int] = Counter()
    for person_id, seen in by_person.items():
        seen.sort(key=lambda a: (a.recorded_at, int(a.record_id)))
        held_out.append(seen[-1])
        for earlier in seen[:-1]:
            indexed.add(earlier.record_id)
            indexed_count[person_id] += 1
        for appearance in seen:
            person_of[appearance.record_id] = person_id
    held_out.sort(key=lambda a: int(a.record_id))
    if sample is not None and sample < len(held_out):
        held_out = sorted(
            random.Random(seed).sample(held_out, sample), key=lambda a: int(a.record_id)
        )
    return Split(indexed, held_out, person_of, indexed_count, len(by_person))


def evaluate(
    session: Session,
    *,
    force_id: int,
    sample: int | None = None,
    stored_model: bool = False,
    settings: TrainingSettings | None = None,
) -> Evaluation:
    """Index the earlier appearances, train (unless `stored_model`), match the latest ones."""
    split = split_latest(appearances(session, force_id=force_id), sample=sample)
    held = {appearance.record_id for appearance in split.held_out}
    started = time.perf_counter()
    linker = Linker(force_model(session, force_id=force_id))
    queries: dict[str, LinkRecord] = {}
    for record in records_after(session, force_id=force_id, after_id=0):
        if record.record_id in split.indexed:
            linker.add(record)
        elif record.record_id in held:
            queries[record.record_id] = record
    result = Evaluation(split, linker.model, build_s=time.perf_counter() - started)
    if not stored_model:
        started = time.perf_counter()
        linker.train(settings)
        result.train_s = time.perf_counter() - started
        result.model = linker.model
    for appearance in split.held_out:
        result.outcomes.append(_match(linker, queries[appearance.record_id], appearance, split))
    return result


def _match(linker: Linker, query: LinkRecord, appearance: Appearance, split: Split) -> Outcome:
    started = time.perf_counter()
    candidates = linker.match(query, limit=MAX_CANDIDATES)
    milliseconds = (time.perf_counter() - started) * 1000.0
    if not candidates:
        return Outcome(appearance, None, 0.0, milliseconds)
    best = candidates[0]
    return Outcome(appearance, split.person_of[best.record_id], best.probability, milliseconds)


def band_scores(outcomes: list[Outcome], split: Split, threshold: float) -> dict[str, Any]:
    # Pairs of (true person, held-out record): a link to any appearance of the person is right.
    predicted: set[tuple[str, str]] = set()
    truth: set[tuple[str, str]] = set()
    for outcome in outcomes:
        appearance = outcome.appearance
        if outcome.best_person is not None and outcome.best_probability >= threshold:
            predicted.add((str(outcome.best_person), appearance.record_id))
        if split.indexed_count[appearance.person_id]:
            truth.add((str(appearance.person_id), appearance.record_id))
    found = score(predicted, truth)
    return {
        "precision": round(found.precision, 4),
        "recall": round(found.recall, 4),
        "f1": round(found.f1, 4),
        "links_made": len(predicted),
        "right_links": len(predicted & truth),
    }


def _misses_by_noise(outcomes: list[Outcome], split: Split, threshold: float) -> dict[str, int]:
    """Noise tags on the latest appearances that were not linked to their own person."""
    tags: Counter[str] = Counter()
    for outcome in outcomes:
        appearance = outcome.appearance
        if not split.indexed_count[appearance.person_id]:
            continue
        right = outcome.best_person == appearance.person_id
        if right and outcome.best_probability >= threshold:
            continue
        tags.update(appearance.noise.split(",") if appearance.noise else ["(none)"])
    return dict(tags.most_common(6))


def _group(outcomes: list[Outcome], split: Split, model: Model) -> dict[str, Any]:
    link, suggest = model.thresholds.link, model.thresholds.suggest
    timings = [outcome.milliseconds for outcome in outcomes]
    return {
        "matched": len(outcomes),
        "true_links": sum(bool(split.indexed_count[o.appearance.person_id]) for o in outcomes),
        "link": band_scores(outcomes, split, link),
        "suggest": band_scores(outcomes, split, suggest),
        "p50_ms": round(percentile(timings, 0.50), 3),
        "p99_ms": round(percentile(timings, 0.99), 3),
        "misses_by_noise": _misses_by_noise(outcomes, split, link),
    }


def _gap(groups: dict[str, dict[str, Any]], band: str) -> dict[str, Any]:
    counted = {
        name: group[band]["f1"]
        for name, group in groups.items()
        if group["true_links"] >= MIN_LINKS_FOR_GAP
    }
    if not counted:
        return {"f1_gap": None, "lowest": None, "highest": None}
    lowest = min(counted, key=lambda name: counted[name])
    highest = max(counted, key=lambda name: counted[name])
    return {
        "f1_gap": round(counted[highest] - counted[lowest], 4),
        "lowest": lowest,
        "highest": highest,
    }


def report(evaluation: Evaluation) -> dict[str, Any]:
    """Overall and per-origin precision, recall and F1 at both bands, timings and the gaps."""
    split, model = evaluation.split, evaluation.model
    by_origin: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in evaluation.outcomes:
        by_origin[outcome.appearance.origin].append(outcome)
    groups = {name: _group(by_origin[name], split, model) for name in sorted(by_origin)}
    return {
        "indexed": len(split.indexed),
        "people": split.people,
        "build_s": round(evaluation.build_s, 2),
        "train_s": round(evaluation.train_s, 2),
        "m_source": model.trained.get("m_source", "starting values (untrained)"),
        "thresholds": {"link": model.thresholds.link, "suggest": model.thresholds.suggest},
        "overall": _group(evaluation.outcomes, split, model),
        "per_origin": groups,
        "gap_min_true_links": MIN_LINKS_FOR_GAP,
        "gap_link": _gap(groups, "link"),
        "gap_suggest": _gap(groups, "suggest"),
    }
