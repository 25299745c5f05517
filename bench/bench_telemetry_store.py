"""CPU cost per point of each step of telemetry intake, in-process, without HTTP or the monitor.

    .venv/bin/python bench/bench_telemetry_store.py                    # SQLite file in a temp dir
    .venv/bin/python bench/bench_telemetry_store.py --database-url postgresql+psycopg://...

Times are this thread's CPU time (`time.thread_time`), which a busy machine disturbs less than
the wall clock; the wall clock is printed beside it. Synthetic, seeded, bounded: 40 batches of
500 points, each step run over all of them. On PostgreSQL the database server's own CPU time is
not included (it is in the wall time).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_telemetry import offset, point

from heard.auth import service as auth
from heard.db import migrate
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.orders import telemetry
from heard.orders.schemas import TelemetryIn

BATCHES = 40
BATCH = 500


def bodies(rng: random.Random) -> list[bytes]:
    now = datetime.now(UTC)
    found = []
    for b in range(BATCHES):
        points = []
        for i in range(BATCH):
            at = now - timedelta(seconds=600 - b * 10, microseconds=rng.randint(0, 9_000_000))
            lat, lon = offset(54.5, -1.0, rng.gauss(0, 300), rng.gauss(0, 300))
            points.append(point(f"TAG-{i:05d}", at, lat, lon))
        found.append(json.dumps({"points": points}).encode())
    return found


def clock(label: str, step: Callable[[int], Any]) -> list[Any]:
    cpu, wall = time.thread_time(), time.perf_counter()
    out = [step(i) for i in range(BATCHES)]
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    per = 1e6 / (BATCHES * BATCH)
    print(f"{label:34s} {cpu * per:6.1f} us CPU a point   {wall * per:6.1f} us wall a point")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    args = parser.parse_args()
    rng = random.Random(20261130)
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'store.db'}"
    encoded = bodies(rng)
    loaded = clock("json.loads", lambda i: json.loads(encoded[i]))
    clock("TelemetryIn.model_validate", lambda i: TelemetryIn.model_validate(loaded[i]))
    received_at = datetime.now(UTC)
    checked = clock(
        "check_points",
        lambda i: telemetry.check_points(loaded[i]["points"], received_at=received_at),
    )
    migrate.upgrade(url)
    db = Database(make_engine(url), InProcessBus())
    with db.transaction() as session:
        force_id = auth.create_force(session, code=f"S{time.time_ns() % 10**6}", name="Bench").id

    def store(i: int) -> int:
        with db.unit_of_work() as uow:
            stored = telemetry.store(
                uow.session, force_id=force_id, received_at=received_at, rows=checked[i].rows
            )
            uow.commit()
        return stored

    new = clock("store + commit", store)
    again = clock("store + commit, all repeats", store)
    print(f"stored {sum(new)} new, then {sum(again)} of the same again; database: {url}")
    db.dispose()


if __name__ == "__main__":
    main()
