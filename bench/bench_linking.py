"""Linking benchmark: index N synthetic people, then match new noisy records one at a time.

Measures Heard's index build (seconds, memory), unsupervised training, single-record matching
(p50/p99 ms), incremental adds, linkage quality against the generator's truth (overall and per
name origin), and Splink's own real-time scoring of the same new records against the same people
for the ratio. Prints one JSON document.

    .venv/bin/python bench/bench_linking.py --people 100000 --queries 2000 --splink-queries 500
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import resource
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linking_synth import Person, people, queries

from heard.linking import Linker, LinkRecord
from heard.linking.evaluation import percentile, score

LINK_AT = 0.5


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summary(timings: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(timings, 0.50), 3),
        "p99_ms": round(percentile(timings, 0.99), 3),
        "mean_ms": round(statistics.fmean(timings), 3) if timings else 0.0,
        "max_ms": round(max(timings), 3) if timings else 0.0,
    }


def build(index: list[Person]) -> tuple[Linker, dict[str, float]]:
    gc.collect()
    before = rss_mib()
    started = time.perf_counter()
    linker = Linker.build(person.record for person in index)
    seconds = time.perf_counter() - started
    gc.collect()
    return linker, {
        "build_s": round(seconds, 2),
        "rss_before_build_mib": round(before, 1),
        "rss_after_build_mib": round(rss_mib(), 1),
        "index_mib": round(rss_mib() - before, 1),
        "blocking_keys": len(linker.index),
    }


def match_all(
    linker: Linker, calls: list[tuple[LinkRecord, str | None, str]], person_of: dict[str, str]
) -> tuple[list[float], dict[str, object]]:
    """Timings, and quality judged by person: linking to any record of the right person counts."""
    timings: list[float] = []
    predicted: dict[str, set[tuple[str, str]]] = defaultdict(set)
    truth: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for record, true_id, origin in calls:
        started = time.perf_counter()
        found = linker.match(record)
        timings.append((time.perf_counter() - started) * 1000)
        if found and found[0].probability >= LINK_AT:
            predicted[origin].add((person_of[found[0].record_id], record.record_id))
        if true_id is not None:
            truth[origin].add((true_id, record.record_id))
    return timings, quality(predicted, truth)


def quality(
    predicted: dict[str, set[tuple[str, str]]], truth: dict[str, set[tuple[str, str]]]
) -> dict[str, object]:
    every_predicted = set().union(*predicted.values()) if predicted else set()
    every_true = set().union(*truth.values()) if truth else set()
    overall = score(every_predicted, every_true)
    groups = {}
    for origin in sorted(set(truth) | set(predicted)):
        found = score(predicted[origin], truth[origin])
        groups[origin] = {
            "f1": round(found.f1, 4),
            "precision": round(found.precision, 4),
            "recall": round(found.recall, 4),
            "true_links": len(truth[origin]),
        }
    f1s = [group["f1"] for group in groups.values() if group["true_links"] >= 20]
    return {
        "precision": round(overall.precision, 4),
        "recall": round(overall.recall, 4),
        "f1": round(overall.f1, 4),
        "per_origin": groups,
        "f1_gap_between_origins": round(max(f1s) - min(f1s), 4) if f1s else None,
    }


def incremental_adds(linker: Linker, calls: list[tuple[LinkRecord, str | None, str]]) -> dict:
    timings = []
    for record, _, _ in calls:
        started = time.perf_counter()
        linker.add(replace(record, record_id="added-" + record.record_id))
        timings.append((time.perf_counter() - started) * 1000)
    return summary(timings)


def splink_realtime(
    index: list[Person], calls: list[tuple[LinkRecord, str | None, str]], sample: int
) -> dict[str, object]:
    person_of = {person.record.record_id: person.person_id for person in index}
    from heard.linking.splink_adapter import RealtimeScorer

    training_sample = min(len(index), 100_000)
    started = time.perf_counter()
    scorer = RealtimeScorer.trained_on(
        [person.record for person in index], training_sample=training_sample
    )
    setup = time.perf_counter() - started
    timings = []
    agree = 0
    for record, true_id, _ in calls[:sample]:
        started = time.perf_counter()
        found = scorer.match(record)
        timings.append((time.perf_counter() - started) * 1000)
        agree += bool(found) and person_of[found[0][0]] == true_id and found[0][1] >= LINK_AT
    known = sum(true_id is not None for _, true_id, _ in calls[:sample])
    return {
        **summary(timings),
        "queries": len(timings),
        "train_and_register_s": round(setup, 1),
        "trained_on_records": training_sample,
        "recall_at_0_5": round(agree / known, 4) if known else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--splink-queries", type=int, default=200, help="0 skips Splink")
    args = parser.parse_args()

    started = time.perf_counter()
    index = list(people(args.people))
    generated_s = time.perf_counter() - started
    linker, built = build(index)
    started = time.perf_counter()
    model = linker.train()
    trained_s = time.perf_counter() - started
    calls = queries(index, args.queries)
    person_of = {person.record.record_id: person.person_id for person in index}
    timings, found = match_all(linker, calls, person_of)
    result: dict[str, object] = {
        "people": args.people,
        "queries": args.queries,
        "python": platform.python_version(),
        "generate_s": round(generated_s, 1),
        **built,
        "train_s": round(trained_s, 1),
        "m_source": model.trained.get("m_source"),
        "heard_match": summary(timings),
        "quality": found,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }
    result["heard_add"] = incremental_adds(linker, calls)
    if args.splink_queries:
        splink = splink_realtime(index, calls, args.splink_queries)
        result["splink_match"] = splink
        heard_same = summary(timings[: args.splink_queries])
        result["heard_match_same_sample"] = heard_same
        result["ratio_heard_to_splink"] = {
            "p50": round(heard_same["p50_ms"] / float(splink["p50_ms"]), 5),
            "p99": round(heard_same["p99_ms"] / float(splink["p99_ms"]), 5),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
