"""What a run plays: scenarios one after another (or round and round), and background calls."""

from __future__ import annotations

import heapq
import itertools
import secrets
from collections.abc import Iterator, Sequence

from heard.clock import utcnow
from heard.sim.live.background import BackgroundMix
from heard.sim.live.schema import Scenario
from heard.sim.live.timeline import Action, compile_scenario, merge_runs

DEFAULT_INTERVAL_S = 45.0


def new_run_tag() -> str:
    """Unique per run, so call references never collide with an earlier run's on the same server."""
    return f"SIM{utcnow():%Y%m%d%H%M%S}{secrets.token_hex(2)}"


def scenario_runs(
    scenarios: Sequence[Scenario], *, run_tag: str, interval: float, repeat: bool
) -> Iterator[tuple[float, list[Action]]]:
    """(start, actions) per playing, starts at least `interval` apart.

    With `repeat` the list is played round and round; a scenario is never started again while
    its previous playing is still going, so the same people are never in two copies of a story.
    """
    busy_until: dict[str, float] = {}
    slot = 0.0
    rounds = itertools.count() if repeat else range(1)
    playing = 0
    for _ in rounds:
        for scenario in scenarios:
            playing += 1
            start = max(slot, busy_until.get(scenario.name, 0.0))
            actions = compile_scenario(scenario, start=start, tag=f"{run_tag}-{playing:03d}")
            busy_until[scenario.name] = actions[-1].at + interval
            slot = start + interval
            yield start, actions


def stream(
    scenarios: Sequence[Scenario],
    *,
    run_tag: str,
    interval: float = DEFAULT_INTERVAL_S,
    repeat: bool = False,
    background: BackgroundMix | None = None,
) -> Iterator[Action]:
    """Every action of the run in time order.

    Played once, background calls stop when the last scenario's last request is sent; repeated,
    the stream is endless and the runner's duration or stop ends it.
    """
    if repeat and not scenarios and background is None:
        return iter(())
    runs = scenario_runs(scenarios, run_tag=run_tag, interval=interval, repeat=repeat)
    if background is None:
        return merge_runs(runs)
    if repeat:
        return heapq.merge(merge_runs(runs), merge_runs(background.runs()), key=_at)
    played = list(runs)
    end = max((run[-1].at for _, run in played), default=None)
    return heapq.merge(merge_runs(played), merge_runs(background.runs(end=end)), key=_at)


def _at(action: Action) -> float:
    return action.at
