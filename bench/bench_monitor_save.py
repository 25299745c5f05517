"""The live monitor alone on `bench_telemetry.py`'s feed: CPU for reading, processing and saving.

    .venv/bin/python bench/bench_monitor_save.py                      # SQLite, breach-dense feed
    .venv/bin/python bench/bench_monitor_save.py --feed realistic     # 1 point in 2,000 opens one
    .venv/bin/python bench/bench_monitor_save.py --database-url postgresql+psycopg://...

The 5,000 orders and the feed are seeded as in `bench_telemetry.py`; the points are stored through
`telemetry.receive` (no HTTP), the first batch is processed to build the processors, and then
`LiveMonitor.run_once()` runs until it has read everything. Reported: CPU time of this process in
the monitor's read, process and save steps, and the save's CPU per breach raised.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_telemetry import Feed, seed, throughput_bodies
from sqlalchemy import func, select

from heard.auth.models import Force
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.orders import telemetry
from heard.orders.live import LiveMonitor
from heard.orders.records import Breach


def timed(spent: dict[str, float], name: str, step: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return step(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - began

    return wrapper


def breach_count(db: Database) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(Breach)) or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--feed", choices=("dense", "realistic"), default="dense")
    parser.add_argument("--rounds", type=int, default=40, help="reports per device")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'monitor.db'}"
    rng = random.Random(20261130)
    _, homes, zones = seed(url, rng, 0.5, curfews_active=args.feed == "dense")
    bodies = throughput_bodies(rng, Feed(args.feed, rng, homes, zones), args.rounds)
    db = Database(make_engine(url), InProcessBus())
    with db.unit_of_work() as uow:
        force_id = uow.session.scalar(select(Force.id))
    for index, body in enumerate(bodies):
        with db.unit_of_work() as uow:
            telemetry.receive(uow.session, force_id=force_id, raw=json.loads(body)["points"])
            uow.commit()
        if index == 0:
            monitor = LiveMonitor(db)
            monitor.run_once()  # builds the processors, as a running monitor has
    spent = {"read": 0.0, "process": 0.0, "save": 0.0}
    for name in spent:
        setattr(monitor, f"_{name}", timed(spent, name, getattr(monitor, f"_{name}")))
    before = breach_count(db)
    wall, cpu, read = time.perf_counter(), time.process_time(), 0
    while (batch := monitor.run_once()) > 0:
        read += batch
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    raised = breach_count(db) - before
    print(
        f"{args.feed}: {read} points, {raised} breaches; wall {wall:.2f} s, CPU {cpu:.2f} s "
        f"({read / cpu:,.0f} points per CPU-second); CPU read {spent['read']:.2f} s, "
        f"process {spent['process']:.2f} s, save {spent['save']:.2f} s "
        f"({spent['save'] / max(raised, 1) * 1000:.2f} ms per breach)"
    )
    db.dispose()


if __name__ == "__main__":
    main()
