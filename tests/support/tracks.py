"""Build monitoring tracks in metres and minutes, and run them through the real processor."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from heard.orders.monitoring import Alert, OrderSpec, Point, make_point
from heard.orders.monitoring.geo import EARTH_RADIUS_M
from heard.orders.monitoring.points import format_ts, to_us
from heard.orders.monitoring.replay import replay_points

# A Wednesday in winter (GMT), so local time equals UTC unless a test says otherwise.
BASE = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
CENTRE = (54.5742, -1.2350)  # Middlesbrough


def ts(minutes: float = 0.0, *, base: datetime = BASE) -> int:
    return to_us(base) + round(minutes * 60_000_000)


def moved(
    north_m: float, east_m: float, origin: tuple[float, float] = CENTRE
) -> tuple[float, float]:
    """The point `north_m` north and `east_m` east of `origin` (sphere, exact enough for km)."""
    lat0, lon0 = origin
    dlat = math.degrees(north_m / EARTH_RADIUS_M)
    dlon = math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat0))))
    return lat0 + dlat, lon0 + dlon


def fix(
    device: str,
    when: int,
    north_m: float = 0.0,
    east_m: float = 0.0,
    *,
    acc: float = 5.0,
    battery: float | None = 80.0,
    tamper: bool = False,
    origin: tuple[float, float] = CENTRE,
) -> Point:
    lat, lon = moved(north_m, east_m, origin)
    return make_point(device, when, lat, lon, acc, battery, tamper)


def run(
    orders: Sequence[OrderSpec], points: Iterable[Point], *, lateness_s: float = 60.0
) -> list[Alert]:
    alerts, _ = replay_points(orders, list(points), lateness_s=lateness_s)
    return alerts


def summary(alerts: Iterable[Alert]) -> list[tuple[str, str, str, str]]:
    """(kind, condition, start time, confidence) per alert: what a test usually asserts on."""
    return [(a.kind.value, a.condition, format_ts(a.start_ts), a.confidence.value) for a in alerts]


def of_kind(alerts: Iterable[Alert], kind: str) -> list[Alert]:
    return [a for a in alerts if a.kind == kind]
