"""CPU time per transcript segment for the live cue detector, and throughput on this machine.

Usage: .venv/bin/python bench/bench_cues.py [--repeat 20] [--workers 2]

Feeds every segment of the dev and held-out transcripts through fresh per-call states,
timing each `feed` with time.process_time (CPU, not wall clock), then measures segments per
second with one process per core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from heard.signals.cues import CueDetector, Segment, parse_transcript

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "cues"


def load_calls() -> list[list[Segment]]:
    calls: list[list[Segment]] = []
    for name in ("dev.jsonl", "heldout.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            calls.append(parse_transcript(json.loads(line)["transcript"]))
    return calls


def cpu_per_segment(calls: list[list[Segment]], repeat: int) -> list[float]:
    detector = CueDetector()
    samples: list[float] = []
    for _ in range(repeat):
        for segments in calls:
            state = detector.new_call()
            for segment in segments:
                started = time.process_time()
                state.feed(segment)
                samples.append(time.process_time() - started)
    return samples


def _run_share(repeat: int) -> int:
    calls = load_calls()
    detector = CueDetector()
    fed = 0
    for _ in range(repeat):
        for segments in calls:
            state = detector.new_call()
            for segment in segments:
                state.feed(segment)
                fed += 1
    return fed


def throughput(repeat: int, workers: int) -> float:
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        fed = sum(pool.map(_run_share, [repeat] * workers))
    return fed / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    calls = load_calls()
    cpu_per_segment(calls, 1)  # warm the regex caches before measuring
    samples = sorted(cpu_per_segment(calls, args.repeat))
    p99 = samples[int(len(samples) * 0.99) - 1]
    print(f"segments timed: {len(samples)} ({sum(map(len, calls))} distinct)")
    median, mean = statistics.median(samples), statistics.mean(samples)
    print(f"CPU ms per segment: median {median * 1000:.3f}, p99 {p99 * 1000:.3f}, ", end="")
    print(f"max {samples[-1] * 1000:.3f}, mean {mean * 1000:.3f}")
    print(f"single process: {len(samples) / sum(samples):.0f} segments per CPU second")
    # Other work on a shared machine shows up here, so the load average is printed alongside.
    print(f"load average before throughput: {os.getloadavg()[0]:.2f}")
    for workers in sorted({1, args.workers}):
        rate = throughput(args.repeat, workers)
        print(f"{workers} process(es): {rate:.0f} segments/s wall clock")


if __name__ == "__main__":
    main()
