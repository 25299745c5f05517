"""The live monitor saves every breach of one read together, in one transaction."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from heard.audit import service as audit_service
from heard.audit.models import AuditEntry
from heard.audit.verify import verify_chain
from heard.auth.permissions import Role
from heard.jobs.models import Job
from heard.orders import breaches as breach_service
from heard.orders.events import BreachRaised
from heard.orders.live import LiveMonitor
from heard.orders.monitoring.points import to_us
from heard.orders.records import Breach, MonitoringProgress
from tests.integration.test_orders_telemetry import NOW, fix, post
from tests.support.orders_helpers import iso, order_body, people

TAGS = 4


def tagged_orders(client, world, db, count=TAGS, first=1):
    """`count` orders, each with its own tag and phone, all with the same exclusion zone."""
    manager = world.client_for(client, "WMP", Role.ORDER_MANAGER)
    made = []
    for k in range(first, first + count):
        subject, protected = people(db, world)
        body = order_body(subject, protected, made_at=iso(NOW - timedelta(days=1)))
        body["protected"][0]["device_id"] = f"PHONE-{k}"
        body["conditions"]["dynamic_zone"]["device_id"] = f"PHONE-{k}"
        body["conditions"]["electronic_monitoring"]["device_id"] = f"TAG-{k}"
        response = manager.post("/api/v1/orders", json=body)
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


def every_tag_enters_its_zone(client, world, count=TAGS, minutes_before=6):
    track = []
    for k in range(1, count + 1):
        track += [fix(f"TAG-{k}", minutes_before), fix(f"TAG-{k}", minutes_before - 1, north_m=50)]
    assert post(client, world, track).status_code == 200


def stored(db):
    with db.unit_of_work() as uow:
        session = uow.session
        found = {
            "breaches": list(session.scalars(select(Breach).order_by(Breach.id))),
            "jobs": list(
                session.scalars(
                    select(Job).where(Job.kind == breach_service.ESCALATE_JOB).order_by(Job.id)
                )
            ),
            "audit": list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.action == "breach.raise")
                    .order_by(AuditEntry.seq)
                )
            ),
            "progress": list(session.scalars(select(MonitoringProgress))),
        }
        session.expunge_all()
        return found


def chain_verifies(db, force_id):
    with db.unit_of_work() as uow:
        return verify_chain(uow.session, force_id=force_id).ok


def watch_breach_events(db):
    """Each BreachRaised as delivered, and whether its breach was committed by then."""
    seen = []

    def on_raised(event):
        with db.unit_of_work() as uow:
            seen.append((event.breach_id, uow.session.get(Breach, event.breach_id) is not None))

    db.bus.subscribe(BreachRaised, on_raised)
    return seen


def test_many_breaches_in_one_read_are_saved_with_their_jobs_audit_entries_and_events(
    client, world, db, monkeypatch
):
    orders = tagged_orders(client, world, db)
    every_tag_enters_its_zone(client, world)
    seen = watch_breach_events(db)
    batches = []
    real = breach_service.open_breaches

    def counted(session, *, force_id, items):
        batches.append(len(items))
        return real(session, force_id=force_id, items=items)

    monkeypatch.setattr(breach_service, "open_breaches", counted)
    LiveMonitor(db).run_once()
    assert batches == [TAGS], "the read's breaches are raised as one batch"
    found = stored(db)
    raised = found["breaches"]
    assert sorted(b.order_id for b in raised) == sorted(o["id"] for o in orders)
    assert {b.device_id for b in raised} == {f"TAG-{k}" for k in range(1, TAGS + 1)}
    for breach in raised:
        assert (breach.kind.value, breach.grade.value, breach.status.value) == (
            "zone_entry",
            "emergency",
            "open",
        )
        assert breach.started_at == NOW - timedelta(minutes=5)
        assert breach.evidence["zone"]["zone_id"] == "home"
        assert (
            breach.evidence["opening_point"]["received_at"] == breach.point_received_at.isoformat()
        )
        assert breach.version == 1
    ids = [b.id for b in raised]
    jobs = found["jobs"]
    assert [j.payload["breach_id"] for j in jobs] == ids
    assert [j.dedupe_key for j in jobs] == [f"breach-escalate:{i}" for i in ids]
    assert [j.run_after for j in jobs] == [b.raised_at + timedelta(minutes=15) for b in raised]
    entries = found["audit"]
    assert [e.record_id for e in entries] == [str(i) for i in ids]
    assert [e.details for e in entries] == [
        {"order_id": b.order_id, "kind": "zone_entry", "confidence": b.confidence} for b in raised
    ]
    assert chain_verifies(db, world.forces["WMP"])
    assert seen == [(i, True) for i in ids], "one event per breach, each after its commit"


def test_a_failure_part_way_through_a_batch_saves_none_of_it_and_the_points_are_read_again(
    client, world, db, monkeypatch
):
    tagged_orders(client, world, db)
    every_tag_enters_its_zone(client, world)
    seen = watch_breach_events(db)
    monitor = LiveMonitor(db)
    real = audit_service.record_many
    calls = []

    def fail_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # after the breaches and their jobs were inserted
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(audit_service, "record_many", fail_once)
    with pytest.raises(RuntimeError):
        monitor.run_once()
    nothing = stored(db)
    assert (nothing["breaches"], nothing["jobs"], nothing["audit"]) == ([], [], [])
    entered_us = to_us(NOW - timedelta(minutes=5))
    assert all(p.processed_us < entered_us for p in nothing["progress"]), "not marked processed"
    assert seen == []
    monitor.run_once()
    found = stored(db)
    assert len(found["breaches"]) == len(found["jobs"]) == len(found["audit"]) == TAGS
    assert found["progress"][0].processed_us >= entered_us
    assert chain_verifies(db, world.forces["WMP"])
    assert [breach_id for breach_id, _ in seen] == [b.id for b in found["breaches"]]


def test_a_later_read_updates_stored_episodes_and_raises_only_new_ones(client, world, db):
    tagged_orders(client, world, db)
    every_tag_enters_its_zone(client, world, minutes_before=12)
    monitor = LiveMonitor(db)
    monitor.run_once()
    first = stored(db)["breaches"]
    assert len(first) == TAGS and all(b.ended_at is None for b in first)
    (late,) = tagged_orders(client, world, db, count=1, first=TAGS + 1)
    # Every tag leaves its zone for good, and the new order's tag enters it.
    track = [fix(f"TAG-{k}", m, north_m=2000) for k in range(1, TAGS + 1) for m in (10, 6, 2, 0)]
    track += [fix(f"TAG-{TAGS + 1}", 3), fix(f"TAG-{TAGS + 1}", 2, north_m=50)]
    post(client, world, track)
    monitor.run_once()
    after = stored(db)
    assert [b.id for b in after["breaches"][:TAGS]] == [b.id for b in first], "none raised twice"
    assert all(b.ended_at is not None for b in after["breaches"][:TAGS])
    assert all(b.version == 1 for b in after["breaches"]), "a snapshot never moves the version"
    assert [b.order_id for b in after["breaches"][TAGS:]] == [late["id"]]
    assert len(after["jobs"]) == len(after["audit"]) == TAGS + 1
    assert chain_verifies(db, world.forces["WMP"])
