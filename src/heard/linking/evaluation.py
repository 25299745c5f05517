"""`heard link-eval`: load existing records, train without labels, match new ones one at a time.

The left file is loaded through `Linker.build`, the same path that fills the index at start-up;
each right record is matched alone, as a new call would be, and timed alone. With a truth file
the best candidate of each right record at probability 0.5 or more counts as its predicted link.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from heard.linking.linker import Linker, timed_build
from heard.linking.records import read_records
from heard.linking.training import TrainingSettings

PAIR_THRESHOLD = 0.01
LINK_THRESHOLD = 0.5


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the value below which `share` of the values fall."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def read_truth(path: Path) -> set[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"left_id", "right_id"} <= set(reader.fieldnames):
            raise ValueError(f"{path} needs the columns left_id,right_id")
        return {(row["left_id"].strip(), row["right_id"].strip()) for row in reader}


def score(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> Scores:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def _write_pairs(path: Path, rows: Iterable[tuple[str, str, float]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("left_id", "right_id", "probability"))
        for left_id, right_id, chance in rows:
            writer.writerow((left_id, right_id, f"{chance:.6f}"))


def link_eval(
    directory: Path, out: Path, settings: TrainingSettings | None = None
) -> dict[str, Any]:
    """Run the evaluation contract on DIR and return the figures printed as its JSON line."""
    linker, build_s = timed_build(read_records(directory / "left.csv"))
    started = time.perf_counter()
    linker.train(settings)
    train_s = time.perf_counter() - started
    pairs, best, timings = _match_all(linker, directory / "right.csv")
    _write_pairs(out, pairs)
    result: dict[str, Any] = {
        "n_left": len(linker),
        "n_right": len(timings),
        "build_s": round(build_s, 3),
        "train_s": round(train_s, 3),
        "p50_ms": round(percentile(timings, 0.50), 3),
        "p99_ms": round(percentile(timings, 0.99), 3),
    }
    truth_path = directory / "truth.csv"
    if truth_path.exists():
        scores = score(best, read_truth(truth_path))
        result.update(
            precision=round(scores.precision, 4),
            recall=round(scores.recall, 4),
            f1=round(scores.f1, 4),
        )
    return result


def _match_all(
    linker: Linker, right_path: Path
) -> tuple[list[tuple[str, str, float]], set[tuple[str, str]], list[float]]:
    pairs: list[tuple[str, str, float]] = []
    best: set[tuple[str, str]] = set()
    timings: list[float] = []
    for record in read_records(right_path):
        started = time.perf_counter()
        candidates = linker.match(record, limit=None, min_probability=PAIR_THRESHOLD)
        timings.append((time.perf_counter() - started) * 1000.0)
        pairs.extend(
            (c.record_id, record.record_id, c.probability)
            for c in candidates
            if c.probability > PAIR_THRESHOLD
        )
        if candidates and candidates[0].probability >= LINK_THRESHOLD:
            best.add((candidates[0].record_id, record.record_id))
    return pairs, best, timings
