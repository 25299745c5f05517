"""Telemetry through the API into the live monitor: stored first, then checked against orders."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from heard.auth.permissions import Role
from heard.orders import live, telemetry
from heard.orders.leader import Leadership
from heard.orders.live import LiveMonitor
from heard.orders.records import Breach, OrderAlert, TelemetryPoint
from heard.orders.wakeup import CommitListener
from tests.support.orders_helpers import HOME, iso, order_body, people
from tests.support.tracks import moved

NOW = datetime.now(UTC).replace(microsecond=0)


def fix(device, minutes_before, north_m=2000.0, east_m=0.0, acc=5.0, **extra):
    lat, lon = moved(north_m, east_m, origin=HOME)
    point = {
        "device_id": device,
        "ts": iso(NOW - timedelta(minutes=minutes_before)),
        "lat": lat,
        "lon": lon,
        "accuracy_m": acc,
        "battery_pct": 80,
        "tamper": False,
        "signal": "good",
    }
    return point | extra


def post(client, world, points, force="WMP"):
    return world.token_client(client, force).post("/api/v1/telemetry", json={"points": points})


def tagged_order(client, world, db, **extra):
    subject, protected = people(db, world)
    body = order_body(subject, protected, made_at=iso(NOW - timedelta(days=1)), **extra)
    manager = world.client_for(client, "WMP", Role.ORDER_MANAGER)
    response = manager.post("/api/v1/orders", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def count(db, model, *where):
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def breaches(db):
    with db.unit_of_work() as uow:
        found = list(uow.session.scalars(select(Breach).order_by(Breach.id)))
        uow.session.expunge_all()
        return found


def test_a_batch_is_stored_before_the_answer_and_a_resend_stores_nothing_twice(client, world, db):
    points = [fix("TAG-1", m) for m in (3, 2, 1)]
    first = post(client, world, points)
    assert first.status_code == 200
    assert first.json() == {"stored": 3, "duplicates": 0, "rejected": []}
    again = post(client, world, [*points, points[0]])
    assert again.json() == {"stored": 0, "duplicates": 4, "rejected": []}
    assert count(db, TelemetryPoint) == 3


def test_bad_points_are_reported_by_index_while_the_good_ones_are_stored(client, world, db):
    good = fix("TAG-1", 1)
    batch = [good, {**good, "lat": 123}, "not a point", {**good, "ts": "2026-11-30T10:00:00"}]
    batch.append({**good, "ts": iso(NOW + timedelta(hours=2))})
    response = post(client, world, batch)
    assert response.status_code == 200
    body = response.json()
    assert body["stored"] == 1
    reasons = {r["index"]: " ".join(r["errors"]) for r in body["rejected"]}
    assert set(reasons) == {1, 2, 3, 4}
    assert "lat" in reasons[1] and "timezone" in reasons[3].lower() and "clock" in reasons[4]


def test_a_batch_with_no_good_point_is_refused_with_every_reason(client, world, db):
    response = post(client, world, [{"device_id": "TAG-1"}, {"lat": 1}])
    assert response.status_code == 422
    assert {e["index"] for e in response.json()["errors"]} == {0, 1}
    assert count(db, TelemetryPoint) == 0


def test_only_a_monitoring_centre_token_may_post_telemetry(client, world, db):
    manager = world.client_for(client, "WMP", Role.ORDER_MANAGER)
    response = manager.post("/api/v1/telemetry", json={"points": [fix("TAG-1", 1)]})
    assert response.status_code == 403


def test_entering_an_exclusion_zone_raises_one_emergency_breach_despite_jitter(client, world, db):
    order = tagged_order(client, world, db)
    # Outside, then in, then flickering across the 200 m edge within the fix accuracy, then away.
    track = [fix("TAG-1", 12), fix("TAG-1", 11, north_m=100)]
    track += [fix("TAG-1", 10 - k * 0.5, north_m=205 if k % 2 else 195, acc=20) for k in range(8)]
    track += [fix("TAG-1", 6 - k * 2, north_m=2000) for k in range(4)]
    assert post(client, world, track).status_code == 200
    LiveMonitor(db).run_once()
    (breach,) = breaches(db)
    assert (breach.kind.value, breach.grade.value, breach.order_id) == (
        "zone_entry",
        "emergency",
        order["id"],
    )
    assert breach.confidence == "confirmed" and breach.ended_at is not None
    assert breach.evidence["zone"]["zone_id"] == "home"
    assert breach.point_received_at is not None


def test_coming_within_the_dynamic_zone_of_the_protected_persons_device_is_a_breach(
    client, world, db
):
    tagged_order(client, world, db)
    track = [fix("PHONE-1", 3, north_m=-3000), fix("TAG-1", 2.9, north_m=-3100)]
    post(client, world, track)
    LiveMonitor(db).run_once()
    assert [b.kind.value for b in breaches(db)] == ["proximity"]


def test_a_silent_device_raises_a_no_signal_alert_for_the_order_manager(client, world, db):
    tagged_order(client, world, db)
    post(client, world, [fix("TAG-1", 40), fix("TAG-1", 39)])
    LiveMonitor(db).run_once()
    alerts = world.client_for(client, "WMP", Role.ORDER_MANAGER).get("/api/v1/order-alerts")
    assert [a["kind"] for a in alerts.json()] == ["no_signal"]
    assert count(db, Breach) == 0


def test_an_order_made_while_the_monitor_runs_is_checked_from_then_on(client, world, db):
    monitor = LiveMonitor(db)
    post(client, world, [fix("TAG-1", 6, north_m=50)])
    monitor.run_once()
    assert count(db, Breach) == 0, "no order names TAG-1 yet"
    tagged_order(client, world, db)
    post(client, world, [fix("TAG-1", 4, north_m=2000), fix("TAG-1", 3, north_m=50)])
    monitor.run_once()
    assert [b.kind.value for b in breaches(db)] == ["zone_entry"]


def test_a_restarted_monitor_resumes_from_stored_points_and_raises_nothing_twice(client, world, db):
    tagged_order(client, world, db)
    first_entry = [fix("TAG-1", 20), fix("TAG-1", 19, north_m=50)]
    first_entry += [fix("TAG-1", 18 - k * 2) for k in range(4)]
    post(client, world, first_entry)
    frozen = NOW - timedelta(minutes=30)  # a wall clock behind the feed holds the newest point
    LiveMonitor(db, clock=lambda: frozen).run_once()
    assert len(breaches(db)) == 1
    post(client, world, [fix("TAG-1", 5), fix("TAG-1", 4, north_m=50)])
    crashed = LiveMonitor(db, clock=lambda: frozen)
    crashed.run_once()
    assert len(breaches(db)) == 1, "the entering point is still inside the reorder window"
    LiveMonitor(db).run_once()  # a new process: warm-up from monitoring_progress
    found = breaches(db)
    assert len(found) == 2, [b.episode_key for b in found]
    assert found[1].started_at == NOW - timedelta(minutes=4)


def test_device_health_alerts_are_raised_once_per_episode(client, world, db):
    tagged_order(client, world, db)
    low = [fix("TAG-1", 10 - k, battery_pct=b) for k, b in enumerate((30, 15, 16, 14, 15))]
    post(client, world, low)
    LiveMonitor(db).run_once()
    LiveMonitor(db).run_once()
    assert count(db, OrderAlert, OrderAlert.kind == "low_battery") == 1


def test_a_failure_while_saving_alerts_loses_none_of_them(client, world, db, monkeypatch):
    tagged_order(client, world, db)
    post(client, world, [fix("TAG-1", 5), fix("TAG-1", 4, north_m=50)])
    monitor = LiveMonitor(db)
    real = live.persist_alerts
    calls = []

    def fail_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(live, "persist_alerts", fail_once)
    with pytest.raises(RuntimeError):
        monitor.run_once()
    assert count(db, Breach) == 0
    monitor.run_once()
    assert [b.kind.value for b in breaches(db)] == ["zone_entry"]


def test_only_one_monitor_leads_and_a_standby_takes_over_when_it_goes(db):
    leader, standby = Leadership(db.engine), Leadership(db.engine)
    try:
        assert leader.acquire() is True
        assert standby.acquire() is False
        leader.release()
        assert standby.acquire() is True
    finally:
        leader.release()
        standby.release()


def test_a_monitor_in_another_process_is_woken_by_a_batchs_commit_and_not_before(world, db):
    woken = threading.Event()
    listener = CommitListener(db.engine, woken.set)
    listener.start()
    try:
        if db.engine.dialect.name != "postgresql":
            assert not woken.wait(0.5)  # SQLite has no signal: that monitor polls instead
            return
        assert woken.wait(10), "the listener wakes once on connecting"
        woken.clear()
        with db.unit_of_work() as uow:
            telemetry.receive(uow.session, force_id=world.forces["WMP"], raw=[fix("TAG-9", 1)])
            assert not woken.wait(0.5), "nothing is sent before the commit"
            uow.commit()
        assert woken.wait(10)
    finally:
        listener.stop()
