"""Benchmark the monitoring processor alone: 5,000 tagged subjects, mixed zones, a live-like feed.

    .venv/bin/python bench/bench_monitoring.py                 # throughput, latency, memory
    .venv/bin/python bench/bench_monitoring.py --projection-check

Throughput feeds batches of 500 points (one telemetry request) through `ingest_many`; latency
times single-point `ingest` calls, as a live path with one point per request would see them.
Both run on one core: the processor is single-threaded. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import resource
import statistics
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from datetime import time as wall_time
from typing import Any

from heard.orders.monitoring import (
    CurfewSpec,
    Home,
    MonitoringProcessor,
    OrderSpec,
    Point,
    make_point,
)
from heard.orders.monitoring.geo import EARTH_RADIUS_M, CircleZone, PolygonZone
from heard.orders.monitoring.points import to_us

START = to_us(datetime(2026, 3, 6, 20, 50, tzinfo=UTC))  # Friday: 21:00 curfews start 10 min in
AREA = (54.46, 54.73, -1.45, -0.79)  # Cleveland's bounding box


def offset(lat: float, lon: float, north: float, east: float) -> tuple[float, float]:
    dlat = math.degrees(north / EARTH_RADIUS_M)
    dlon = math.degrees(east / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


def polygon(rng: random.Random, lat: float, lon: float, size: float) -> list[list[float]]:
    corners = rng.randint(5, 12)
    ring = []
    for k in range(corners):
        angle = 2 * math.pi * k / corners
        radius = size * rng.uniform(0.6, 1.0)
        ring.append(list(offset(lat, lon, radius * math.cos(angle), radius * math.sin(angle))))
    return ring


def build_orders(rng: random.Random, devices: int) -> tuple[list[OrderSpec], dict[str, tuple]]:
    """Orders with a mix of zone types; each subject's home lies 0.3-3 km from its zones."""
    orders: list[OrderSpec] = []
    homes: dict[str, tuple[float, float]] = {}
    for i in range(devices):
        lat = rng.uniform(AREA[0], AREA[1])
        lon = rng.uniform(AREA[2], AREA[3])
        subject = f"TAG-{i:05d}"
        homes[subject] = (lat, lon)
        zlat, zlon = offset(lat, lon, rng.uniform(-3000, 3000), rng.uniform(-3000, 3000))
        mix = rng.random()
        zones: list[CircleZone | PolygonZone] = []
        if mix < 0.4 or mix >= 0.9:
            zones.append(CircleZone(f"c{i}", zlat, zlon, rng.uniform(100, 800)))
        if 0.4 <= mix < 0.9:
            zones.append(PolygonZone(f"p{i}", polygon(rng, zlat, zlon, rng.uniform(150, 1500))))
        if mix >= 0.7:
            zones.append(CircleZone(f"v{i}", *offset(zlat, zlon, 900, 0), 200))
        protected = f"PHONE-{i:05d}" if rng.random() < 0.3 else None
        curfews = ()
        if rng.random() < 0.4:
            curfews = (
                CurfewSpec(frozenset(range(7)), wall_time(21), wall_time(7), Home(lat, lon, 150)),
            )
        orders.append(
            OrderSpec(
                order_id=f"DAPO-{i:05d}",
                subject_device=subject,
                protected_device=protected,
                zones=tuple(zones),
                proximity_m=500.0 if protected else None,
                curfews=curfews,
                no_signal_minutes=15,
                low_battery_pct=20,
            )
        )
        if protected:
            homes[protected] = (zlat, zlon)
    return orders, homes


def build_feed(rng: random.Random, homes: dict[str, tuple], count: int) -> list[Point]:
    """Every device reports about every 30 s; arrival up to 10 s out of order, 0.5% copies.

    2% of devices fall silent for 20 minutes (no_signal); 5% run their battery down past 20%.
    """
    devices = list(homes)
    rounds = max(1, count // len(devices))
    silent = set(rng.sample(devices, len(devices) // 50))
    walkers = {d: [0.0, 0.0, rng.uniform(21, 23) if rng.random() < 0.05 else 90.0] for d in devices}
    timed: list[tuple[float, Point]] = []
    for r in range(rounds):
        for device in devices:
            if device in silent and 10 <= r < 50:
                continue
            north, east, battery = walkers[device]
            north += rng.gauss(0, 60)
            east += rng.gauss(0, 60)
            battery = max(0.0, battery - 0.02)
            walkers[device] = [north, east, battery]
            lat, lon = offset(*homes[device], north, east)
            ts = START + r * 30_000_000 + rng.randint(0, 29_000_000)
            acc = rng.choice((5.0, 8.0, 15.0, 30.0, 60.0, 400.0))
            reading = round(battery + rng.uniform(-1, 1), 1)
            point = make_point(device, ts, lat, lon, acc, reading, rng.random() < 0.001)
            timed.append((ts + rng.uniform(0, 10_000_000), point))
            if rng.random() < 0.005:
                timed.append((ts + rng.uniform(0, 10_000_000), point))
    timed.sort(key=lambda pair: pair[0])
    return [point for _, point in timed]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput_run(orders: list[OrderSpec], feed: list[Point], batch: int) -> tuple[float, Counter]:
    processor = MonitoringProcessor(orders, lateness_s=15)
    kinds: Counter[str] = Counter()
    gc.collect()
    began = time.perf_counter()
    for start in range(0, len(feed), batch):
        for alert in processor.ingest_many(feed[start : start + batch]):
            kinds[alert.kind.value] += 1
    for alert in processor.finish():
        kinds[alert.kind.value] += 1
    return len(feed) / (time.perf_counter() - began), kinds


def latency_run(
    orders: list[OrderSpec], feed: list[Point]
) -> tuple[list[int], list[int], list[int]]:
    """Single-point ingest calls: wall time per call, per processed point, and alert delays.

    A call releases every held point the watermark has passed, so calls come in bursts; the
    per-point cost divides each call's time by the points it processed. The alert delay is how
    far the feed's newest time moved between the ingest of the point that opened an episode and
    the ingest that emitted it: the reorder window's cost.
    """
    processor = MonitoringProcessor(orders, lateness_s=15)
    clock = time.perf_counter_ns
    cpu_clock = time.thread_time_ns
    calls: list[int] = []
    per_point: list[int] = []
    per_point_cpu: list[int] = []
    newest_at_ingest: dict[tuple[str, int], int] = {}
    delays: list[int] = []
    seen: set[tuple[str, str, str, str, int]] = set()
    stats = processor.stats
    for point in feed:
        before = stats.processed
        began, began_cpu = clock(), cpu_clock()
        alerts = processor.ingest(point)
        spent, spent_cpu = clock() - began, cpu_clock() - began_cpu
        calls.append(spent)
        released = stats.processed - before
        if released:
            per_point.extend([spent // released] * released)
            per_point_cpu.extend([spent_cpu // released] * released)
        newest = processor.max_seen
        assert newest is not None
        newest_at_ingest.setdefault((point.device_id, point.ts), newest)
        for alert in alerts:
            opened_at = newest_at_ingest.get((alert.device_id, alert.start_ts))
            if opened_at is not None and alert.episode_key not in seen:
                delays.append(newest - opened_at)
            seen.add(alert.episode_key)
    return {"call": calls, "point": per_point, "point_cpu": per_point_cpu, "delay": delays}


def processor_memory_mb(orders: list[OrderSpec], feed: list[Point]) -> tuple[float, float]:
    """Memory the processor itself allocates over the feed (tracemalloc): (held at end, peak)."""
    import tracemalloc

    tracemalloc.start()
    processor = MonitoringProcessor(orders, lateness_s=15)
    for start in range(0, len(feed), 500):
        processor.ingest_many(feed[start : start + 500])
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del processor
    return held / 2**20, peak / 2**20


def percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000


def main_benchmark(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    orders, homes = build_orders(rng, args.devices)
    feed = build_feed(rng, homes, args.points)
    zone_kinds = Counter(type(z).__name__ for o in orders for z in o.zones)
    print(f"devices: {args.devices} subjects + {len(homes) - args.devices} protected phones")
    print(f"zones: {dict(zone_kinds)}; curfews: {sum(bool(o.curfews) for o in orders)}")
    print(f"feed: {len(feed)} points over {(feed[-1].ts - feed[0].ts) / 60e6:.0f} min (event time)")
    base_rss = rss_mb()
    # A live process does not hold the whole feed: keep the collector from rescanning it.
    gc.freeze()
    rates = []
    for _ in range(args.repeats):
        rate, kinds = throughput_run(orders, feed, args.batch)
        rates.append(rate)
        print(f"  run: {rate:,.0f} points/s; alerts snapshots by kind {dict(kinds)}")
    print(
        f"throughput median {statistics.median(rates):,.0f} points/s "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f}, {args.repeats} runs, batch {args.batch})"
    )
    results: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.repeats):
        for name, values in latency_run(orders, feed).items():
            scale = 1e3 if name == "delay" else 1.0  # delays are in us of feed time, not ns
            results[name + "50"].append(percentile(values, 0.50) / scale)
            results[name + "99"].append(percentile(values, 0.99) / scale)
    med = {k: statistics.median(v) for k, v in results.items()}
    print(
        f"processing per point, wall: p50 {med['point50']:.1f} us, p99 {med['point99']:.1f} us; "
        f"CPU: p50 {med['point_cpu50']:.1f} us, p99 {med['point_cpu99']:.1f} us"
    )
    print(
        f"single-point ingest call, wall: p50 {med['call50']:.1f} us, p99 {med['call99']:.1f} us "
        f"(medians of {args.repeats} runs)"
    )
    print(
        f"alert delay in feed time (reorder window 15 s): p50 {med['delay50']:.1f} s, "
        f"p99 {med['delay99']:.1f} s"
    )
    print(f"peak RSS {rss_mb():.0f} MB (after generating the feed: {base_rss:.0f} MB)")
    held, peak = processor_memory_mb(orders, feed)
    print(f"processor's own allocations: {held:.0f} MB held at feed end, {peak:.0f} MB peak")


def _signed_depth(shape: Any, x: float, y: float) -> float:
    import shapely

    point = shapely.Point(x, y)
    distance = float(shape.boundary.distance(point))
    return distance if shape.contains(point) else -distance


def projection_check(args: argparse.Namespace) -> None:
    """Local equirectangular depths against the sphere (exact) and the British National Grid."""
    import shapely
    from pyproj import Transformer

    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    rng = random.Random(args.seed)
    # name -> [largest |difference|, the depth where it occurred, largest relative difference]
    worst = {"sphere": [0.0, 0.0, 0.0], "BNG": [0.0, 0.0, 0.0]}
    for _ in range(2000):
        lat, lon = rng.uniform(50.0, 58.5), rng.uniform(-5.5, 1.7)
        size = rng.uniform(100, 1500)
        ring = polygon(rng, lat, lon, size)
        zone = PolygonZone("z", ring)
        # Azimuthal equidistant on the rules' sphere: distances from the centre are exact.
        aeqd = Transformer.from_crs(
            "EPSG:4326", f"+proj=aeqd +R={EARTH_RADIUS_M} +lat_0={lat} +lon_0={lon}", always_xy=True
        )
        plat, plon = offset(lat, lon, rng.uniform(-2, 2) * size, rng.uniform(-2, 2) * size)
        ours = zone.depth(plat, plon, 1e12)
        assert ours is not None
        for name, transform in (("sphere", aeqd), ("BNG", to_bng)):
            shape = shapely.Polygon([transform.transform(c[1], c[0]) for c in ring])
            theirs = _signed_depth(shape, *transform.transform(plon, plat))
            if abs(ours - theirs) > worst[name][0]:
                worst[name][:2] = [abs(ours - theirs), theirs]
            worst[name][2] = max(worst[name][2], abs(ours - theirs) / max(1.0, abs(theirs)))
    print("2,000 polygons (100 m-1.5 km across) over Great Britain, points within 2x their size:")
    for name, (absolute, depth, relative) in worst.items():
        print(
            f"  vs {name}: largest difference {absolute:.2f} m (at depth {depth:.0f} m); "
            f"largest relative difference {relative * 100:.2f} % (depths under 1 m count as 1 m)"
        )
    _projection_timing(rng, to_bng)


def _projection_timing(rng: random.Random, to_bng: Any) -> None:
    n = 100_000
    lat0, lon0 = 54.57, -1.23
    began = time.perf_counter()
    for i in range(n):
        to_bng.transform(lon0 + i * 1e-7, lat0)
    pyproj_us = (time.perf_counter() - began) / n * 1e6
    zone = PolygonZone("z", polygon(rng, lat0, lon0, 500))
    timings = []
    for north in (0.0, 5000.0):  # a point near the zone, then one the prefilter skips
        began = time.perf_counter()
        for i in range(n):
            zone.depth(lat0 + north / 111_195 + i * 1e-8, lon0, 50.0)
        timings.append((time.perf_counter() - began) / n * 1e6)
    print(
        f"  one pyproj BNG transform: {pyproj_us:.2f} us; our polygon depth: "
        f"{timings[0]:.2f} us near the zone (Shapely), {timings[1]:.2f} us when prefiltered"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--points", type=int, default=300_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--projection-check", action="store_true")
    args = parser.parse_args()
    if args.projection_check:
        projection_check(args)
    else:
        main_benchmark(args)


if __name__ == "__main__":
    main()
