"""The background mix: the same seed gives the same calls, at the rate asked for, none of them
domestic abuse, with people recorded the untidy way real records are."""

from __future__ import annotations

import random
from datetime import date
from itertools import islice

from heard.sim.live.background import BackgroundMix, as_recorded, synthetic_pool
from heard.sim.live.timeline import Kind, merge_runs

TODAY = date(2026, 11, 30)


def mix(seed: int, rate: float = 20.0) -> BackgroundMix:
    pool = synthetic_pool(size=50, seed=7)
    return BackgroundMix(pool, seed=seed, rate_per_hour=rate, run_tag="BG", today=TODAY)


def first(seed: int, n: int = 200) -> list[tuple[float, str, str, dict]]:
    return [(a.at, a.kind, a.call, a.body) for a in islice(merge_runs(mix(seed).runs()), n)]


def test_the_same_seed_gives_the_same_background_calls():
    assert first(seed=5) == first(seed=5)


def test_a_different_seed_gives_different_background_calls():
    assert first(seed=5) != first(seed=6)


def test_the_synthetic_pool_is_the_same_for_the_same_seed():
    assert synthetic_pool(size=30, seed=2) == synthetic_pool(size=30, seed=2)


def test_calls_arrive_at_the_rate_asked_for():
    hours = 100
    calls = list(mix(seed=1, rate=20).runs(end=hours * 3600))
    # Poisson: 2,000 expected, standard deviation about 45.
    assert 1_850 <= len(calls) <= 2_150


def test_background_calls_are_not_domestic_abuse_and_every_call_is_closed():
    actions = list(islice(merge_runs(mix(seed=3).runs()), 500))
    calls = {a.call for a in actions if a.kind is Kind.CALL}
    for action in actions:
        assert "relationship" not in action.body
    closed = {a.call for a in actions if a.kind is Kind.CLOSE}
    assert closed <= calls
    assert {a.body["channel"] for a in actions if a.kind is Kind.CALL} >= {"999", "101"}


def test_people_are_recorded_with_the_slips_real_records_have():
    pool = synthetic_pool(size=200, seed=4)
    rng = random.Random(1)
    recorded = [as_recorded(rng, person, "caller", today=TODAY) for person in pool]
    assert any("age" in r and "date_of_birth" not in r for r in recorded)
    assert any("phone" not in r for r in recorded)
    assert any(r["given_name"] != p.given_name for r, p in zip(recorded, pool, strict=True))
    assert sum("date_of_birth" in r for r in recorded) > len(recorded) / 2
