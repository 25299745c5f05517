"""Helpers for the orders tests: people to put on orders, order bodies, and running jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from heard.app import build_job_registry
from heard.db.uow import Database
from heard.jobs.worker import Worker
from tests.support.personas import _intake
from tests.support.world import World

_refs = iter(range(10**9))
HOME = (54.5742, -1.2350)  # Middlesbrough: the protected person's synthetic home


def people(db: Database, world: World) -> tuple[int, int]:
    """(subject record id, protected record id) of a fresh synthetic call in WMP."""
    result = _intake(db, world, f"ORD{next(_refs)}")
    (victim, _, _), (suspect, _, _) = result.people
    return suspect.id, victim.id


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def order_body(
    subject: int, protected: int, *, order_type: str = "dapo", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "order_type": order_type,
        "subject_record_id": subject,
        "protected": [{"person_record_id": protected, "device_id": "PHONE-1"}],
        "applicant_type": "police",
        "issued_by": "Teesside Magistrates' Court",
        "made_at": "2026-11-27T14:00:00Z",
        "conditions": {
            "no_contact": {"direct": True, "indirect": True, "online": True},
            "exclusion_zones": [
                {
                    "kind": "circle",
                    "zone_id": "home",
                    "label": "Ingleby Road and the streets around it",
                    "address": "7 Ingleby Road",
                    "lat": HOME[0],
                    "lon": HOME[1],
                    "radius_m": 200,
                }
            ],
            "dynamic_zone": {"device_id": "PHONE-1", "radius_m": 500},
            "electronic_monitoring": {"device_id": "TAG-1", "type": "gps"},
        },
    }
    body.update(extra)
    return body


def run_jobs(db: Database, *, limit: int = 50) -> int:
    worker = Worker(db, build_job_registry(), lease_seconds=30, worker_id="test-worker")
    ran = 0
    while ran < limit and worker.run_once():
        ran += 1
    return ran


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)
