"""Benchmark: generate a synthetic force into a fresh database and report time and size.

    .venv/bin/python bench/bench_generate.py --people 1000000
    .venv/bin/python bench/bench_generate.py --people 100000 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/heard_bench

Run it under `/usr/bin/time -v` for the whole-process wall time and peak memory (max RSS).
A SQLite file is deleted and recreated; a PostgreSQL database must exist and is emptied first.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from sqlalchemy import text

from heard.auth import service
from heard.db import migrate
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.sim.generate import Params, generate


def fresh_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database", default="sqlite:///var/bench-generate.db")
    args = parser.parse_args()

    fresh_database(args.database)
    engine = make_engine(args.database)
    with Database(engine, InProcessBus()).transaction() as session:
        force_id = service.create_force(session, code="BENCH", name="Benchmark (synthetic)").id
    started = time.perf_counter()
    summary = generate(
        engine,
        force_id=force_id,
        params=Params(people=args.people, seed=args.seed, years=args.years),
        workers=args.workers,
    )
    seconds = time.perf_counter() - started
    engine.dispose()
    size = None
    if args.database.startswith("sqlite:///"):
        size = Path(args.database.removeprefix("sqlite:///")).stat().st_size
    print(
        json.dumps(
            {
                "people": args.people,
                "workers": args.workers,
                "database": args.database.split("://")[0],
                "generate_s": round(seconds, 1),
                "rows": summary.rows,
                "total_rows": sum(summary.rows.values()),
                "db_bytes": size,
            }
        )
    )


if __name__ == "__main__":
    main()
