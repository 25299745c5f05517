"""Call intake to full safeguarding context, on a generated force.

Posts new calls one at a time through the real ASGI app (in process, no network) and times each
from request to the complete context (linking, history, orders, warning signs and the suggested
grade, audit, commit). Each call names a DA victim and suspect as they were recorded on an earlier
incident, so linking and history have real work to do. Run after `heard sim generate` into the
same database:

    .venv/bin/python bench/bench_intake.py \
        --database-url sqlite:///var/bench-generate.db --force BENCH --seed 13 --seed 14
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from heard.app import create_app
from heard.audit.service import system_actor
from heard.auth import service as auth
from heard.auth.permissions import ROLE_PERMISSIONS, Role
from heard.settings import Environment, load_settings

PAIRS_SQL = """
SELECT v.given_name, v.family_name, v.date_of_birth, v.phone_raw, v.address_raw, l.postcode,
       s.given_name, s.family_name, s.date_of_birth
FROM incidents inc
JOIN involvements iv ON iv.incident_id = inc.id AND iv.role = 'victim'
JOIN person_records v ON v.id = iv.person_record_id
JOIN involvements isu ON isu.incident_id = inc.id AND isu.role = 'suspect'
JOIN person_records s ON s.id = isu.person_record_id
LEFT JOIN locations l ON l.id = v.location_id
WHERE inc.force_id = :force AND inc.is_domestic_abuse AND inc.id % 97 = :bucket
LIMIT :limit
"""


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def call_bodies(db: Any, force_id: int, count: int, seed: int) -> list[dict[str, Any]]:
    with db.unit_of_work() as uow:
        rows = uow.session.execute(
            text(PAIRS_SQL), {"force": force_id, "bucket": seed % 97, "limit": count}
        ).all()
    rng = random.Random(seed)
    bodies = []
    for n, row in enumerate(rows):
        vg, vf, vdob, vphone, vaddr, vpc, sg, sf, sdob = row
        bodies.append(
            {
                "source_ref": f"BENCH-{seed}-{n}",
                "channel": rng.choice(["999", "999", "101"]),
                "received_at": "2026-11-30T21:00:00Z",
                "caller_number": vphone,
                "address": vaddr,
                "postcode": vpc,
                "people": [
                    {
                        "role": "victim",
                        "given_name": vg,
                        "family_name": vf,
                        "date_of_birth": str(vdob) if vdob else None,
                        "phone": vphone,
                    },
                    {
                        "role": "suspect",
                        "given_name": sg,
                        "family_name": sf,
                        "date_of_birth": str(sdob) if sdob else None,
                    },
                ],
                "relationship": {"connection": "intimate_relationship", "former": True},
            }
        )
    return bodies


class CollectorClock:
    """Milliseconds the garbage collector ran, and how many full collections, since `reset`."""

    def __init__(self) -> None:
        self.ms = 0.0
        self.full = 0
        self._started = 0.0
        gc.callbacks.append(self._seen)

    def reset(self) -> None:
        self.ms, self.full = 0.0, 0

    def stop(self) -> None:
        gc.callbacks.remove(self._seen)

    def _seen(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        self.ms += (time.perf_counter() - self._started) * 1000
        self.full += info["generation"] == 2


class StatementCounter:
    """Counts SQL statements sent while `counting` is set (the timed requests only), and keeps
    each one slower than `SLOW_MS` with its wall time: where a call waited, if it did."""

    SLOW_MS = 15.0

    def __init__(self) -> None:
        self.counting = False
        self.count = 0
        self.slow: list[tuple[float, str]] = []
        event.listen(Engine, "before_cursor_execute", self._before)
        event.listen(Engine, "after_cursor_execute", self._after)

    # The start is kept on the connection: the live hub's thread runs statements meanwhile.
    def _before(self, conn: Any, *_: Any) -> None:
        if self.counting:
            self.count += 1
            conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        started = conn.info.pop("bench_started", None)
        if self.counting and started is not None:
            took = (time.perf_counter() - started) * 1000
            if took >= self.SLOW_MS:
                self.slow.append((round(took, 1), " ".join(statement.split())[:100]))


PARTS = ("link", "history", "hooks", "commit", "events", "index")


def slowest(
    totals: list[float], cpu: list[float], parts: dict[str, list[float]], collected: list[float]
) -> list[dict[str, float]]:
    """The slowest 1 % of calls with their parts: what the tail is made of. A call whose CPU is
    well under its total waited (for a lock, the disk, or a core the machine gave elsewhere).
    `rest` is what no part covers: the framework, credentials, reading the body, the answer."""
    order = sorted(range(len(totals)), key=lambda i: totals[i], reverse=True)
    rows = []
    for i in order[: max(1, len(totals) // 100)]:
        row = {"total": round(totals[i], 1), "cpu": round(cpu[i], 1)}
        row |= {name: round(parts[name][i], 1) for name in PARTS}
        row["rest"] = round(totals[i] - sum(parts[name][i] for name in PARTS), 1)
        row["gc"] = round(collected[i], 1)
        rows.append(row)
    return rows


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(percentile(values, 0.95), 2),
        "p99": round(percentile(values, 0.99), 2),
        "max": round(max(values), 2),
    }


def timed_calls(
    client: TestClient, bodies: list[dict[str, Any]], statements: StatementCounter
) -> dict[str, Any]:
    """Posts each body in turn; the figures of one seed's calls."""
    totals, cpu = list[float](), list[float]()
    parts: dict[str, list[float]] = {name: [] for name in PARTS}
    collector, collected, full_collections = CollectorClock(), list[float](), 0
    statements.count, statements.slow = 0, []
    for body in bodies:
        statements.counting = True
        collector.reset()
        c0, t0 = time.process_time(), time.perf_counter()
        response = client.post("/api/v1/calls", json=body)
        totals.append((time.perf_counter() - t0) * 1000)
        # the whole process's CPU: the request's thread, plus the live hub's polling
        cpu.append((time.process_time() - c0) * 1000)
        collected.append(collector.ms)
        full_collections += collector.full
        statements.counting = False
        assert response.status_code == 201, response.text
        timings = response.json()["timings_ms"]
        for name in PARTS:
            parts[name].append(timings.get(name, 0.0))
    collector.stop()
    return {
        "calls": len(totals),
        "intake_to_context_ms": summary(totals),
        "cpu_per_call_ms": summary(cpu),
        "statements_per_call": round(statements.count / max(1, len(totals)), 1),
        # hooks: every registered call hook (warning signs and grade, the specialist
        # queue); events: delivering the commit's events (the live feed's append)
        **{f"{name}_ms": summary(parts[name]) for name in PARTS},
        "rest_ms": summary([t - sum(parts[n][i] for n in PARTS) for i, t in enumerate(totals)]),
        "gc_ms": summary(collected),
        "full_collections": full_collections,
        "slowest_1pct": slowest(totals, cpu, parts, collected),
        "statements_over_15ms": sorted(statements.slow, reverse=True)[:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--force", default="NMP")
    parser.add_argument("--calls", type=int, default=1000)
    # Several seeds share one index build (minutes at 1M); each seed's calls are reported apart.
    parser.add_argument("--seed", type=int, action="append")
    # Calls posted first and not counted, from a seed of their own: the store's pages and the
    # process's caches as a server has them after its first minutes, not just after start-up.
    parser.add_argument("--warmup-calls", type=int, default=0)
    parser.add_argument("--warmup-seed", type=int, default=9973)
    args = parser.parse_args()
    settings = load_settings(
        environment=Environment.TEST,
        database_url=args.database_url,
        run_worker_in_process=False,
        link_warm_on_start=False,  # warmed below, timed
        log_level="WARNING",
        log_json=False,
    )
    app = create_app(settings)
    db = app.state.runtime.db
    with db.transaction() as session:
        force = auth.force_by_code(session, code=args.force)
        force_id = force.id
        _, secret = auth.create_token(
            session,
            force=force,
            name="bench",
            permissions=ROLE_PERMISSIONS[Role.SYSTEM],
            actor=system_actor(force.id, reason_source="bench"),
        )
    before = rss_mib()
    started = time.perf_counter()
    app.state.link_indexes.warm(db)  # what start-up does, without SQLite's write lock
    build_s, index_mib = time.perf_counter() - started, rss_mib() - before
    with db.read_only() as session:
        records = len(app.state.link_indexes.for_force(session, force_id=force_id).linker)
    statements = StatementCounter()
    with TestClient(app) as client:
        client.headers["authorization"] = f"Bearer {secret}"
        if args.warmup_calls:
            warmup = call_bodies(db, force_id, args.warmup_calls, args.warmup_seed)
            for body in warmup:
                assert client.post("/api/v1/calls", json=body).status_code == 201
        for seed in args.seed or [1]:
            bodies = call_bodies(db, force_id, args.calls, seed)
            report = {
                "database": db.dialect,
                "seed": seed,
                "records_indexed": records,
                "index_build_s": round(build_s, 1),
                "index_rss_mib": round(index_mib),
                "warmup_calls": args.warmup_calls,
                **timed_calls(client, bodies, statements),
                "peak_rss_mib": round(rss_mib()),
            }
            print(json.dumps(report, indent=1), flush=True)


if __name__ == "__main__":
    main()
