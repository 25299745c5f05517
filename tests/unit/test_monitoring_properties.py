"""Properties of the monitoring processor on generated tracks.

The reference below is a second, deliberately naive reading of the alert rules (sort everything,
walk each condition's points) with none of the processor's buffering, prefilters or heaps.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from datetime import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.orders.monitoring import Alert, CurfewSpec, Home, OrderSpec, Point, make_point
from heard.orders.monitoring.geo import CircleZone, PolygonZone, haversine_m
from heard.orders.monitoring.replay import replay_points
from tests.support.tracks import CENTRE, fix, moved, run, ts

CIRCLE = CircleZone("circle", CENTRE[0], CENTRE[1], 200.0)
ORDER = OrderSpec(
    "O1",
    "S1",
    protected_device="V1",
    zones=(CIRCLE,),
    proximity_m=300.0,
    no_signal_minutes=15,
    low_battery_pct=20,
)
S = 1_000_000
Row = tuple[str, str, int, str]
SubjectRow = tuple[int, float, float, float | None, bool]
VictimRow = tuple[int, float, float]
Track = tuple[list[SubjectRow], list[VictimRow]]

step_s = st.one_of(st.integers(1, 90), st.integers(90, 1500))
subject_point = st.tuples(
    step_s,
    st.floats(-500, 500),  # metres north of the circle's edge... inside when < 200
    st.sampled_from([0.0, 5.0, 30.0, 150.0, 400.0]),
    st.sampled_from([None, 15.0, 19.0, 21.0, 24.0, 26.0, 60.0]),
    st.sampled_from([False, False, False, True]),
)
victim_point = st.tuples(step_s, st.floats(-800, 800), st.sampled_from([5.0, 50.0]))


def build(subject: list[SubjectRow], victim: list[VictimRow]) -> list[Point]:
    points: list[Point] = []
    when = ts(0)
    for gap, north, acc, battery, tamper in subject:
        when += gap * S
        points.append(fix("S1", when, north, acc=acc, battery=battery, tamper=tamper))
    when = ts(0)
    for gap, north, acc in victim:
        when += gap * S
        points.append(fix("V1", when, north, 150, acc=acc))
    return sorted(points, key=lambda p: (p.ts, p.device_id))


def classes_to_episodes(walk: list[tuple[int, int, bool]]) -> list[tuple[int, bool]]:
    """Rules §2 straight from the text: (ts, class, confirmed) -> (start, any confirmed)."""
    episodes: list[tuple[int, bool]] = []
    open_start: int | None = None
    confirmed = False
    run: list[int] = []
    for when, cls, conf in walk:
        if open_start is None:
            if cls == 1:
                open_start, confirmed, run = when, conf, []
            continue
        if cls == 2:
            run.append(when)
            if len(run) >= 3 and run[-1] - run[0] >= 300 * S:
                episodes.append((open_start, confirmed))
                open_start = None
            continue
        run = []
        confirmed = confirmed or (cls == 1 and conf)
    if open_start is not None:
        episodes.append((open_start, confirmed))
    return episodes


Walk = list[tuple[int, int, bool]]


def zone_walk(subject: list[Point]) -> Walk:
    walk = []
    for p in subject:
        depth = CIRCLE.radius_m - haversine_m(p.lat, p.lon, CIRCLE.lat, CIRCLE.lon)
        cls = 1 if depth >= 0 else (2 if -depth > p.accuracy_m else 0)
        walk.append((p.ts, cls, depth > p.accuracy_m))
    return walk


def proximity_walk(subject: list[Point], victim: list[Point], limit: float) -> Walk:
    walk = []
    for p in subject:
        before = [v for v in victim if v.ts <= p.ts]
        if not before or p.ts - before[-1].ts > 600 * S:
            walk.append((p.ts, 0, False))
            continue
        v = before[-1]
        d = haversine_m(p.lat, p.lon, v.lat, v.lon)
        slack = p.accuracy_m + v.accuracy_m
        walk.append((p.ts, 1 if d - slack < limit else 2, d + slack < limit))
    return walk


def battery_openings(subject: list[Point]) -> list[tuple[int, bool]]:
    low, opened = False, []
    for p in subject:
        if p.battery is None:
            continue
        if not low and p.battery < 20:
            low = True
            opened.append((p.ts, True))
        elif low and p.battery > 25:
            low = False
    return opened


def reference(order: OrderSpec, arrival: list[Point]) -> set[Row]:
    first: dict[tuple[str, int], Point] = {}
    for p in arrival:
        first.setdefault((p.device_id, p.ts), p)
    pts = sorted(first.values(), key=lambda p: p.ts)
    subject = [p for p in pts if p.device_id == order.subject_device]
    victim = [p for p in pts if p.device_id == order.protected_device]
    assert order.proximity_m is not None
    times = [p.ts for p in subject]
    limit = 15 * 60 * S
    gaps = [(a + limit, True) for a, b in itertools.pairwise(times) if b - a > limit]
    if times and max(p.ts for p in arrival) - times[-1] > limit:
        gaps.append((times[-1] + limit, True))
    episodes = {
        "zone_entry": classes_to_episodes(zone_walk(subject)),
        "proximity": classes_to_episodes(proximity_walk(subject, victim, order.proximity_m)),
        "tamper": classes_to_episodes([(p.ts, 1 if p.tamper else 2, True) for p in subject]),
        "low_battery": battery_openings(subject),
        "no_signal": gaps,
    }
    return {
        (kind, str(order.order_id), start, "confirmed" if conf else "possible")
        for kind, found in episodes.items()
        for start, conf in found
    }


def rows(alerts: list[Alert]) -> set[Row]:
    return {(a.kind.value, str(a.order_id), a.start_ts, a.confidence.value) for a in alerts}


def jittered(points: list[Point], seed: int, window_s: float = 15.0) -> list[Point]:
    """An arrival order in which no point is more than `window_s` behind one already seen."""
    rng = random.Random(seed)
    return sorted(points, key=lambda p: p.ts + rng.uniform(0, window_s * S))


def with_copies(points: list[Point], seed: int) -> list[Point]:
    rng = random.Random(seed)
    out: list[Point] = []
    for p in points:
        out.append(p)
        if rng.random() < 0.3:
            out.append(p)
    return out


tracks = st.tuples(
    st.lists(subject_point, min_size=1, max_size=40), st.lists(victim_point, max_size=25)
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(track=tracks, seed=st.integers(0, 2**32))
def test_the_processor_agrees_with_a_naive_reading_of_the_rules(track: Track, seed: int) -> None:
    points = jittered(with_copies(build(*track), seed), seed)
    assert rows(run([ORDER], points)) == reference(ORDER, points)


@FAST
@given(track=tracks, seed=st.integers(0, 2**32))
def test_reordering_within_15_seconds_never_changes_the_alerts(track: Track, seed: int) -> None:
    points = build(*track)
    expected = run([ORDER], points)
    assert run([ORDER], jittered(points, seed)) == expected
    # A window exactly as long as the disorder is enough.
    assert run([ORDER], jittered(points, seed), lateness_s=15) == expected


@FAST
@given(track=tracks, seed=st.integers(0, 2**32))
def test_duplicating_points_never_changes_the_alerts(track: Track, seed: int) -> None:
    points = build(*track)
    assert run([ORDER], with_copies(points, seed)) == run([ORDER], points)


SQUARE = PolygonZone(
    "square", [list(moved(n, e)) for n, e in ((-300, -300), (-300, 300), (300, 0))]
)
EVERYTHING = [
    OrderSpec(
        "A",
        "S1",
        protected_device="V1",
        zones=(CIRCLE, SQUARE),
        proximity_m=250.0,
        curfews=(CurfewSpec(frozenset({0, 5, 6}), time(22), time(6), Home(*CENTRE, 50.0)),),
        no_signal_minutes=10,
        low_battery_pct=15,
    ),
    OrderSpec(
        "B", "S1", curfews=(CurfewSpec(frozenset(range(7)), time(6), time(6), Home(*CENTRE, 5.0)),)
    ),
    OrderSpec("C", "S2", protected_device="S1", proximity_m=0.0, no_signal_minutes=0),
]
any_point = st.builds(
    make_point,
    device_id=st.sampled_from(["S1", "S2", "V1", "nobody"]),
    ts=st.integers(ts(-3 * 24 * 60), ts(3 * 24 * 60)),
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    accuracy_m=st.floats(0, 1e7),
    battery=st.none() | st.floats(-1e6, 1e6),
    tamper=st.booleans(),
)


@FAST
@given(points=st.lists(any_point, max_size=60), lateness=st.sampled_from([0.0, 15.0, 1e6]))
def test_arbitrary_valid_points_in_any_order_never_crash_and_keep_the_books(
    points: list[Point], lateness: float
) -> None:
    alerts, stats = replay_points(EVERYTHING, points, lateness_s=lateness)
    accounted = stats.processed + stats.duplicates + stats.late_dropped + stats.unmonitored
    assert stats.received == len(points) == accounted
    open_per_condition: dict[tuple[str, str, str, str], int] = defaultdict(int)
    point_times = {p.ts for p in points}
    for alert in alerts:
        assert alert.device_id in ("S1", "S2")
        if alert.kind != "no_signal":
            assert alert.start_ts in point_times
        if alert.end_ts is None:
            open_per_condition[
                (alert.device_id, str(alert.order_id), alert.kind, alert.condition)
            ] += 1
        else:
            assert alert.end_ts >= alert.start_ts
    assert all(count == 1 for count in open_per_condition.values())
