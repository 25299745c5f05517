"""Benchmark telemetry end to end: HTTP -> stored -> live monitor -> breach, 5,000 tagged subjects.

    .venv/bin/python bench/bench_telemetry.py                    # SQLite file in a temp dir
    .venv/bin/python bench/bench_telemetry.py --database-url postgresql+psycopg://...
    .venv/bin/python bench/bench_telemetry.py --feed realistic   # 1 point in 2,000 opens a breach

A real `uvicorn heard.asgi:app` runs on 127.0.0.1 with the in-process live monitor. Everything is
synthetic and seeded. Bounded: a fixed number of requests in each phase, then it stops.

1. Throughput: batches of 500 points (already encoded, so the client spends little CPU) from
   two client threads, as fast as the server answers. Points are from the recent past, so the
   reorder window has already passed them when they arrive. The first batch is sent before the
   clock starts, so the monitor has built its processor. "Accepted" is acknowledged points/s;
   "processed" is points/s until the monitor's progress row reaches the last stored id.
2. Latency: 1,000 points/s in batches of 100, with entries into exclusion zones; each breach's
   latency is its raised_at minus the received_at of the point that opened it. Run twice:
   fresh points (time = send time: the window must pass) and points sent 2 s after their time
   (a monitoring centre forwarding with a delay).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, insert, select

from heard.audit.service import system_actor
from heard.auth import service as auth
from heard.auth.permissions import Permission
from heard.db import migrate
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.orders import force_settings
from heard.orders.models import Order
from heard.orders.records import Breach, MonitoringProgress, MonitoringSettings, TelemetryPoint
from heard.people.models import PersonRecord

AREA = (54.46, 54.73, -1.45, -0.79)
DEVICES = 5_000
BATCH = 500
R = 6_371_008.8
LONDON = ZoneInfo("Europe/London")
REALISTIC_ENTRY = 1 / 2_000  # realistic feed: the share of points that enter the tag's zone


def offset(lat: float, lon: float, north: float, east: float) -> tuple[float, float]:
    dlat = math.degrees(north / R)
    return lat + dlat, lon + math.degrees(east / (R * math.cos(math.radians(lat))))


def curfew_hours(*, active: bool) -> tuple[str, str]:
    """A 10-hour curfew window (London time) that contains the run, or that lies after it.

    The dense feed's breaches are mostly these curfews: every tag with one is 4 km from home.
    The first measurements (20:55-21:25 UTC) had the fixed 21:00-07:00 window open; choosing
    the window from the clock makes either feed the same whatever the hour of the run.
    """
    start = (datetime.now(LONDON).hour + (-2 if active else 3)) % 24
    return f"{start:02d}:00", f"{(start + 10) % 24:02d}:00"


def conditions(
    rng: random.Random, i: int, home: tuple[float, float], curfew_window: tuple[str, str]
) -> dict[str, Any]:
    zlat, zlon = offset(*home, rng.uniform(-3000, 3000), rng.uniform(-3000, 3000))
    zones: list[dict[str, Any]] = []
    if rng.random() < 0.5:
        zones.append({"kind": "circle", "zone_id": "c", "lat": zlat, "lon": zlon, "radius_m": 300})
    else:
        corners = rng.randint(5, 12)
        coords = [
            list(
                offset(
                    zlat,
                    zlon,
                    400 * math.cos(2 * math.pi * k / corners),
                    400 * math.sin(2 * math.pi * k / corners),
                )
            )
            for k in range(corners)
        ]
        zones.append({"kind": "polygon", "zone_id": "p", "coords": coords})
    found: dict[str, Any] = {
        "exclusion_zones": zones,
        "electronic_monitoring": {"device_id": f"TAG-{i:05d}", "type": "gps"},
    }
    if rng.random() < 0.3:
        found["dynamic_zone"] = {"device_id": f"PHONE-{i:05d}", "radius_m": 500}
    if rng.random() < 0.4:
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        curfew = {"days": days, "start": curfew_window[0], "end": curfew_window[1]}
        found["curfews"] = [curfew | {"home": {"lat": home[0], "lon": home[1], "radius_m": 150}}]
    return found


def seed(
    url: str, rng: random.Random, window_s: float, *, curfews_active: bool
) -> tuple[str, dict[str, tuple[float, float]], dict]:
    migrate.upgrade(url)
    db = Database(make_engine(url), InProcessBus())
    now = datetime.now(UTC)
    homes: dict[str, tuple[float, float]] = {}
    zones: dict[str, dict[str, Any]] = {}
    curfew_window = curfew_hours(active=curfews_active)
    with db.transaction() as session:
        force = auth.create_force(session, code="BENCH", name="Benchmark force")
        _, token = auth.create_token(
            session,
            force=force,
            name="Monitoring centre",
            permissions=frozenset({Permission.TELEMETRY_WRITE}),
            actor=system_actor(force.id),
        )
        session.add(
            MonitoringSettings(
                force_id=force.id,
                live_lateness_s=window_s,
                escalate_after_minutes=60,
                warmup_minutes=20,
                updated_at=now,
                updated_by="bench",
            )
        )
        records = [
            {
                "force_id": force.id,
                "recorded_at": now,
                "name_raw": f"Synthetic {i}",
                "sex": "unknown",
            }
            for i in range(DEVICES)
        ]
        session.execute(insert(PersonRecord), records)
        record_ids = list(session.scalars(select(PersonRecord.id).order_by(PersonRecord.id)))
        rows = []
        for i, record_id in enumerate(record_ids):
            home = (rng.uniform(AREA[0], AREA[1]), rng.uniform(AREA[2], AREA[3]))
            homes[f"TAG-{i:05d}"] = home
            document = conditions(rng, i, home, curfew_window)
            zones[f"TAG-{i:05d}"] = document["exclusion_zones"][0]
            rows.append(
                {
                    "force_id": force.id,
                    "version": 1,
                    "order_type": "dapo",
                    "status": "active",
                    "subject_record_id": record_id,
                    "issued_by": "Benchmark court",
                    "made_at": now - timedelta(days=1),
                    "conditions": document,
                }
            )
        session.execute(insert(Order), rows)
    db.dispose()
    return token, homes, zones


def zone_centre(zone: dict[str, Any]) -> tuple[float, float]:
    if zone["kind"] == "circle":
        return zone["lat"], zone["lon"]
    coords = zone["coords"]
    return sum(c[0] for c in coords) / len(coords), sum(c[1] for c in coords) / len(coords)


def point(device: str, at: datetime, lat: float, lon: float) -> dict[str, Any]:
    return {
        "device_id": device,
        "ts": at.isoformat().replace("+00:00", "Z"),
        "lat": lat,
        "lon": lon,
        "accuracy_m": 10.0,
        "battery_pct": 80.0,
        "tamper": False,
    }


class Feed:
    """Where each device's points fall.

    "dense" (the default, as in the first measurements): a random walk about 4 km north of
    home while the curfews are in force, so every tag with a curfew (40 %) breaches it, and
    some walk into their zones.
    "realistic": curfews not in force, each tag stays about 2.5 km from its zone, and 1 point
    in 2,000 is placed inside the zone, so about that share opens a breach.
    """

    def __init__(self, kind: str, rng: random.Random, homes: dict, zones: dict) -> None:
        self.kind, self.homes, self.zones = kind, homes, zones
        self.away: dict[str, tuple[float, float]] = {}
        bearings = random.Random(2000)  # its own, so the dense feed's draws are as before
        for device, zone in zones.items():
            bearing = bearings.uniform(0, 2 * math.pi)
            centre = zone_centre(zone)
            self.away[device] = offset(*centre, 2500 * math.cos(bearing), 2500 * math.sin(bearing))

    def position(self, rng: random.Random, device: str) -> tuple[float, float]:
        if self.kind == "dense":
            return offset(*self.homes[device], rng.gauss(4000, 300), rng.gauss(0, 300))
        if rng.random() < REALISTIC_ENTRY:
            return zone_centre(self.zones[device])
        return offset(*self.away[device], rng.gauss(0, 150), rng.gauss(0, 150))


def throughput_bodies(rng: random.Random, feed: Feed, rounds: int) -> list[bytes]:
    # The whole feed lies in the past, so the later latency phase's points are newer.
    start = datetime.now(UTC) - timedelta(seconds=rounds * 10 + 60)
    points = []
    for r in range(rounds):
        for device in feed.homes:
            lat, lon = feed.position(rng, device)
            at = start + timedelta(seconds=r * 10, microseconds=rng.randint(0, 9_000_000))
            points.append(point(device, at, lat, lon))
    return [
        json.dumps({"points": points[i : i + BATCH]}).encode() for i in range(0, len(points), BATCH)
    ]


class Server:
    """uvicorn with the live monitor in-process, or beside it as `heard orders monitor`."""

    def __init__(
        self, url: str, port: int, log: Path, *, monitor_process: bool, workers: int = 1
    ) -> None:
        env = dict(
            os.environ,
            HEARD_ENVIRONMENT="test",
            HEARD_DATABASE_URL=url,
            HEARD_RUN_WORKER_IN_PROCESS=str(not monitor_process).lower(),
            HEARD_LOG_LEVEL="WARNING",
            HEARD_MAX_REQUEST_BYTES="5000000",
        )
        command = [sys.executable, "-m", "uvicorn", "heard.asgi:app", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--no-access-log", "--workers", str(workers)]
        output = log.open("wb")
        self.process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
        self.monitor: subprocess.Popen[bytes] | None = None
        if monitor_process:
            heard = str(Path(sys.executable).with_name("heard"))
            self.monitor = subprocess.Popen(
                [heard, "orders", "monitor"], env=env, stdout=output, stderr=output
            )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit(f"server did not start; see {log}")

    def _pids(self) -> list[int]:
        """uvicorn (with its worker processes, if any) and the monitor."""
        pids = [p.pid for p in (self.process, self.monitor) if p is not None]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return pids + [int(pid) for pid in children.read_text().split()]

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server (and monitor) processes so far."""
        total = 0.0
        for pid in self._pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def peak_rss_mb(self) -> list[float]:
        peaks = []
        for pid in self._pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return peaks

    def stop(self) -> None:
        for process in (self.process, self.monitor):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def post_all(base: str, token: str, bodies: list[bytes], threads: int = 2) -> tuple[int, float]:
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    stored = [0] * threads

    def run(index: int) -> None:
        with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
            for body in bodies[index::threads]:
                response = http.post("/api/v1/telemetry", content=body)
                response.raise_for_status()
                stored[index] += response.json()["stored"]

    began = time.perf_counter()
    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(stored), time.perf_counter() - began


def wait_processed(db: Database, began: float, limit_s: float = 300) -> float:
    with db.unit_of_work() as uow:
        last = uow.session.scalar(select(func.max(TelemetryPoint.id)))
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with db.unit_of_work() as uow:
            done = uow.session.scalar(select(func.max(MonitoringProgress.last_point_id)))
        if done is not None and done >= (last or 0):
            return time.perf_counter() - began
        time.sleep(0.05)
    raise SystemExit("the monitor did not catch up in time")


def latency_phase(
    base: str,
    token: str,
    feed: Feed,
    rng: random.Random,
    *,
    delay_s: float,
    seconds: int,
) -> None:
    """1,000 points/s for `seconds`: 10 requests of 100 points per second, 2% entering a zone."""
    headers = {"authorization": f"Bearer {token}"}
    devices = list(feed.homes)
    with httpx.Client(base_url=base, timeout=30, headers=headers) as http:
        for _tick in range(seconds * 10):
            started = time.perf_counter()
            points = []
            for _ in range(100):
                device = rng.choice(devices)
                at = datetime.now(UTC) - timedelta(seconds=delay_s)
                if rng.random() < 0.02:
                    lat, lon = zone_centre(feed.zones[device])
                else:
                    lat, lon = feed.position(rng, device)
                points.append(point(device, at, lat, lon))
            http.post("/api/v1/telemetry", json={"points": points}).raise_for_status()
            time.sleep(max(0.0, 0.1 - (time.perf_counter() - started)))  # pacing the sender


def latencies(db: Database, since: datetime) -> list[float]:
    with db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Breach.raised_at, Breach.point_received_at).where(
                Breach.point_received_at >= since,
                Breach.point_received_at.is_not(None),
                Breach.kind == "zone_entry",
            )
        ).all()
    return sorted((raised - received).total_seconds() for raised, received in rows)


def breach_count(db: Database) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(Breach)) or 0


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--rounds", type=int, default=40, help="reports per device, throughput")
    parser.add_argument("--latency-seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--monitor-process",
        action="store_true",
        help="run the live monitor as `heard orders monitor` beside uvicorn (uses both cores)",
    )
    parser.add_argument(
        "--window",
        type=float,
        default=force_settings.DEFAULT_LIVE_LATENESS_S,
        help="the force's live window (live_lateness_s); default: Heard's default",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--feed",
        choices=("dense", "realistic"),
        default="dense",
        help="dense: curfews in force, about 2,000 breaches; realistic: 1 point in 2,000 opens one",
    )
    args = parser.parse_args()
    rng = random.Random(20261130)
    workdir = Path(tempfile.mkdtemp(prefix="heard-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    token, homes, zones = seed(url, rng, args.window, curfews_active=args.feed == "dense")
    feed = Feed(args.feed, rng, homes, zones)
    bodies = throughput_bodies(rng, feed, args.rounds)
    db = Database(make_engine(url), InProcessBus())
    server = Server(
        url,
        args.port,
        workdir / "server.log",
        monitor_process=args.monitor_process,
        workers=args.workers,
    )
    try:
        # A running monitor built its 5,000 orders' zones long ago: do that before the clock.
        post_all(server.base, token, bodies[:1], threads=1)
        wait_processed(db, time.perf_counter())
        print(f"load average at start: {os.getloadavg()}")
        breaches_before = breach_count(db)
        cpu_before = server.cpu_seconds()
        began = time.perf_counter()
        stored, took = post_all(server.base, token, bodies[1:])
        processed_s = wait_processed(db, began)
        cpu = server.cpu_seconds() - cpu_before
        print(
            f"throughput: {stored} points stored; accepted {stored / took:,.0f} points/s; "
            f"processed {stored / processed_s:,.0f} points/s ({processed_s:.1f} s end to end); "
            f"server CPU {cpu / stored * 1e6:.0f} us per point "
            f"({stored / cpu:,.0f} points per CPU-second)"
        )
        raised = breach_count(db) - breaches_before
        print(
            f"feed {args.feed}: {raised} breaches raised in the timed phase, "
            f"1 per {stored / max(raised, 1):,.0f} points"
        )
        for delay in (0.0, 2.0):
            # Each phase's points must be newer than every device's last one from before.
            time.sleep(delay + 1.5)
            since = datetime.now(UTC)
            latency_phase(
                server.base, token, feed, rng, delay_s=delay, seconds=args.latency_seconds
            )
            wait_processed(db, time.perf_counter())
            found = latencies(db, since)
            print(
                f"latency, points {delay:.0f} s old on arrival: {len(found)} breaches; "
                f"p50 {pct(found, 0.5) * 1000:.0f} ms, p99 {pct(found, 0.99) * 1000:.0f} ms, "
                f"max {max(found) * 1000 if found else float('nan'):.0f} ms"
            )
        peaks = ", ".join(f"{mb:.0f} MB" for mb in server.peak_rss_mb())
        print(
            f"peak RSS (server[, workers][, monitor]): {peaks}; database: {url.split(':')[0]}; "
            f"live window {args.window} s; {args.workers} worker(s)"
        )
        print(f"load average at end: {os.getloadavg()}")
    finally:
        server.stop()
        db.dispose()


if __name__ == "__main__":
    main()
