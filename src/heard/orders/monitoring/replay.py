"""Replay a recorded feed (`DIR/orders.json`, `DIR/points.csv`) through the monitoring processor."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heard.orders.monitoring.episodes import Alert
from heard.orders.monitoring.points import (
    Point,
    RejectedRow,
    format_ts,
    open_points,
    read_points,
)
from heard.orders.monitoring.processor import (
    DEFAULT_LATENESS_S,
    MonitoringProcessor,
    ProcessorStats,
)
from heard.orders.monitoring.spec import OrderSpec, load_orders

CHUNK_POINTS = 2_000


@dataclass
class ReplayResult:
    """One final snapshot per episode, in a stable order, plus what the input looked like."""

    alerts: list[Alert]
    stats: ProcessorStats
    rejected: list[RejectedRow] = field(default_factory=list)


def _collect(
    snapshots: Iterable[Alert], episodes: dict[tuple[str, str, str, str, int], Alert]
) -> None:
    # Later snapshots of an episode (upgraded, closed) replace earlier ones.
    for alert in snapshots:
        episodes[alert.episode_key] = alert


def _sort_key(alert: Alert) -> tuple[int, str, str, str, str]:
    return (alert.start_ts, alert.device_id, str(alert.order_id), alert.kind, alert.condition)


def replay_points(
    orders: Sequence[OrderSpec],
    points: Iterable[Point],
    *,
    lateness_s: float = DEFAULT_LATENESS_S,
) -> tuple[list[Alert], ProcessorStats]:
    """Feed points in arrival order to a fresh processor; the final snapshot of each episode."""
    processor = MonitoringProcessor(orders, lateness_s=lateness_s)
    episodes: dict[tuple[str, str, str, str, int], Alert] = {}
    stream = iter(points)
    while chunk := list(itertools.islice(stream, CHUNK_POINTS)):
        _collect(processor.ingest_many(chunk), episodes)
    # Feed end is the largest time in points.csv over all devices (rules §1).
    _collect(processor.finish(processor.max_seen), episodes)
    return sorted(episodes.values(), key=_sort_key), processor.stats


def replay_dir(directory: Path, *, lateness_s: float = DEFAULT_LATENESS_S) -> ReplayResult:
    """Run the feed in `directory` through a fresh processor, as the live path would."""
    orders = load_orders(directory / "orders.json")
    rejected: list[RejectedRow] = []
    with open_points(directory / "points.csv") as stream:
        alerts, stats = replay_points(orders, read_points(stream, rejected), lateness_s=lateness_s)
    return ReplayResult(alerts=alerts, stats=stats, rejected=rejected)


def alert_line(alert: Alert, *, detail: bool = False) -> str:
    """The contract's JSON line; `detail` adds the zone or curfew window and the end time."""
    record: dict[str, Any] = {
        "device_id": alert.device_id,
        "order_id": alert.order_id,
        "kind": str(alert.kind),
        "start_ts": format_ts(alert.start_ts),
        "confidence": str(alert.confidence),
    }
    if detail:
        record["condition"] = alert.condition or None
        record["end_ts"] = None if alert.end_ts is None else format_ts(alert.end_ts)
    return json.dumps(record, separators=(",", ":"))


def alert_lines(alerts: Iterable[Alert], *, detail: bool = False) -> Iterator[str]:
    for alert in alerts:
        yield alert_line(alert, detail=detail)
