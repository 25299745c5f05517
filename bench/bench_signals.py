"""Warning signs: transcript segments through the API, and the history recompute, on a force.

1. Segments: every transcript of the cue dev set is played into its own call, one segment per
   request (`POST /api/v1/calls/{id}/transcript`), through the real ASGI app in process. Each
   request is timed from send to answer (segment stored, detector fed, cues and signs stored,
   history and grade recomputed when a cue is new, commit), with its CPU time and the detector's.
2. Recompute: for calls already taken by `bench/bench_intake.py` on the same database, the
   signals-from-history recompute alone (`signals.service.refresh`), CPU time and SQL statements.

    .venv/bin/python bench/bench_signals.py --database-url sqlite:////tmp/b20k.db --force NMP
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, select

from heard.app import create_app
from heard.audit.service import system_actor
from heard.auth import service as auth
from heard.auth.permissions import ROLE_PERMISSIONS, Role
from heard.incidents.models import Call
from heard.settings import Environment, load_settings
from heard.signals import service
from heard.signals.cues import parse_transcript

DEV = Path(__file__).resolve().parent.parent / "tests" / "data" / "cues" / "dev.jsonl"


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": round(ordered[-1], 2),
    }


def segments_bench(client: TestClient, limit: int) -> dict[str, Any]:
    wall, cpu, detect = [], [], []
    lines = DEV.read_text("utf-8").splitlines()[:limit]
    for n, line in enumerate(lines):
        item = json.loads(line)
        body = {"source_ref": f"SEG-{n}", "channel": "999", "received_at": "2026-11-30T21:00:00Z"}
        created = client.post("/api/v1/calls", json=body)
        assert created.status_code in (200, 201), created.text
        call_id = created.json()["call"]["id"]
        for k, seg in enumerate(parse_transcript(item["transcript"])):
            payload = {
                "segment_id": f"{n}-{k}",
                "speaker": seg.speaker.value.lower(),
                "text": seg.text,
                "start_ms": k * 3000,
                "end_ms": k * 3000 + 2500,
            }
            t0, c0 = time.perf_counter(), time.process_time()
            answer = client.post(f"/api/v1/calls/{call_id}/transcript", json=payload)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert answer.status_code == 201, answer.text
            detect.append(answer.json()["timings_ms"]["detect_cpu"])
    return {
        "transcripts": len(lines),
        "segment_request_wall_ms": summary(wall),
        "segment_request_cpu_ms": summary(cpu),
        "detector_cpu_ms": summary(detect),
    }


def recompute_bench(db: Any, force_id: int) -> dict[str, Any] | None:
    statements = [0]
    event.listen(
        db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
    )
    with db.unit_of_work() as uow:
        ids = list(
            uow.session.scalars(
                select(Call.id).where(Call.force_id == force_id, Call.source_ref.like("BENCH-%"))
            )
        )
    if not ids:
        return None
    cpu, counts = [], []
    for call_id in ids:
        with db.unit_of_work() as uow:  # rolled back: the recompute is measured, not kept
            call = uow.session.get_one(Call, call_id)
            statements[0] = 0
            c0 = time.process_time()
            service.refresh(uow.session, call=call)
            cpu.append((time.process_time() - c0) * 1000)
            counts.append(float(statements[0]))
    return {"recompute_cpu_ms": summary(cpu), "recompute_sql_statements": summary(counts)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--force", default="NMP")
    parser.add_argument("--transcripts", type=int, default=135)
    args = parser.parse_args()
    settings = load_settings(
        environment=Environment.TEST,
        database_url=args.database_url,
        run_worker_in_process=False,
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
            name="bench-signals",
            permissions=ROLE_PERMISSIONS[Role.SYSTEM],
            actor=system_actor(force.id, reason_source="bench"),
        )
    result: dict[str, Any] = {"database": db.dialect}
    result["recompute"] = recompute_bench(db, force_id)
    with TestClient(app) as client:
        client.headers["authorization"] = f"Bearer {secret}"
        result["segments"] = segments_bench(client, args.transcripts)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
