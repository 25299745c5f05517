"""A killed server loses no acknowledged point, and monitoring resumes from the stored points."""

import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from heard.orders.records import Breach, TelemetryPoint
from tests.support.orders_helpers import HOME, iso
from tests.support.personas_orders import _order
from tests.support.server_process import ServerProcess
from tests.support.tracks import moved

BATCH = 200
BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def batch(number):
    """Other devices' points, plus TAG-1 walking into its exclusion zone in the third batch."""
    points = []
    for k in range(BATCH):
        lat, lon = moved(5000 + k, 0, origin=HOME)
        ts = BASE + timedelta(seconds=number * 10, milliseconds=k)
        points.append(
            {"device_id": f"OTHER-{k}", "ts": iso(ts), "lat": lat, "lon": lon, "accuracy_m": 10}
        )
    north = 50 if number >= 2 else 3000
    lat, lon = moved(north, 0, origin=HOME)
    ts = BASE + timedelta(seconds=number * 10 + 5)
    points.append({"device_id": "TAG-1", "ts": iso(ts), "lat": lat, "lon": lon, "accuracy_m": 5})
    return points


def keep_posting(server, token, acked, stop):
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        number = 0
        while not stop.is_set() and number < 500:
            points = batch(number)
            try:
                response = http.post(
                    "/api/v1/telemetry",
                    json={"points": points},
                    headers={"authorization": f"Bearer {token}"},
                )
            except httpx.HTTPError:
                return  # the server died mid-request: that batch was never acknowledged
            if response.status_code == 200:
                acked.update((p["device_id"], p["ts"]) for p in points)
            number += 1


def stored_keys(db):
    with db.unit_of_work() as uow:
        rows = uow.session.execute(select(TelemetryPoint.device_id, TelemetryPoint.ts_us))
        return {(device, iso(datetime.fromtimestamp(ts / 1e6, UTC))) for device, ts in rows}


def wait_for(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)  # polling a condition with a deadline
    return False


def test_killing_the_server_loses_no_acknowledged_point_and_monitoring_resumes(
    database_url, world, db, tmp_path
):
    _order(db, world, made_at=iso(BASE - timedelta(days=1)))
    server = ServerProcess(database_url, tmp_path / "server.log")
    # First life without the live monitor, so the breach can only come from the stored points.
    server.start(HEARD_RUN_WORKER_IN_PROCESS="false")
    acked: set[tuple[str, str]] = set()
    stop = threading.Event()
    poster = threading.Thread(target=keep_posting, args=(server, world.tokens["WMP"], acked, stop))
    try:
        poster.start()
        assert wait_for(lambda: len(acked) >= 5 * (BATCH + 1)), "batches were acknowledged"
        server.kill()
        stop.set()
        poster.join(timeout=30)
        assert acked <= stored_keys(db), "every acknowledged point survived the kill"
        server.start()
        assert wait_for(lambda: _breach_count(db) >= 1), "monitoring resumed from stored points"
        assert _breach_count(db) == 1
    finally:
        stop.set()
        server.stop()


def _breach_count(db):
    with db.unit_of_work() as uow:
        return len(list(uow.session.scalars(select(Breach.id))))
