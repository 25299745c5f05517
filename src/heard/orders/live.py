"""The live monitor: stored telemetry through the same `MonitoringProcessor` the replay uses.

One consumer per deployment reads points back from `telemetry_points` in id (arrival) order,
feeds each force's processor (built from that force's active orders with a device), and writes
breaches and device alerts, with its progress, in one transaction. The reorder window is short
(per force, about 1 s) because the issue asks for a breach alert within 1 s of ingest; the wall
clock also moves the watermark, so silence is noticed while a feed is quiet.

Nothing acknowledged is lost: the points are committed before the acknowledgement, and
`monitoring_progress` keeps, per force, the last point id read and the processed-up-to time.
A restarted monitor rebuilds each processor by replaying the last `warmup_minutes` of stored
points and everything after the last id read; episodes it re-finds are matched to stored ones by
their episode key, so none is raised twice. Details and limits: docs/orders.md.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from heard.auth import models as _auth_models  # noqa: F401 - forces, for foreign keys in a lone process
from heard.clock import utcnow
from heard.db.uow import Database
from heard.orders import force_settings
from heard.orders.episodes_store import persist_alerts
from heard.orders.events import MonitoredOrdersChanged
from heard.orders.leader import Leadership
from heard.orders.monitoring import Alert, MonitoringProcessor, Point
from heard.orders.monitoring.points import US_PER_S, to_us
from heard.orders.records import MonitoringProgress, TelemetryPoint
from heard.orders.register_specs import MonitoredOrders, fingerprint, load_monitored
from heard.orders.wakeup import CommitListener

log = logging.getLogger(__name__)
FLOOR_US = -(2**62)  # below any real time, and still a valid 64-bit column value
READ_LIMIT = 20_000
FINGERPRINT_EVERY_S = 5.0
PROGRESS_EVERY_S = 5.0
STANDBY_POLL_S = 2.0
_WROTE = "heard.orders.live.wrote"


@dataclass
class ForceStream:
    """One force's processor, the orders it was built from, and how far it has got."""

    force_id: int
    processor: MonitoringProcessor
    settings: force_settings.ForceMonitoring
    orders: MonitoredOrders
    last_point_id: int = 0
    # Episodes that start at or before this and are not stored already are warm-up artefacts.
    suppress_until_us: int = FLOOR_US
    checked_at: float = field(default_factory=time.monotonic)
    saved_point_id: int = -1
    saved_at: float = 0.0


# Plain rows, not ORM objects: the monitor reads every point once and a tuple costs far less.
COLUMNS = (
    TelemetryPoint.id,
    TelemetryPoint.force_id,
    TelemetryPoint.device_id,
    TelemetryPoint.ts_us,
    TelemetryPoint.lat,
    TelemetryPoint.lon,
    TelemetryPoint.accuracy_m,
    TelemetryPoint.battery_pct,
    TelemetryPoint.tamper,
)
Row = Sequence[Any]  # the COLUMNS above, in that order
_BY_TIME = attrgetter("ts")


def _point(row: Row) -> Point:
    # The columns after id and force are the point's fields in order; Boolean gives a bool.
    return Point._make(row[2:])


class LiveMonitor:
    """Drive with `run_once()` (tests, `heard worker`) or `start_thread()` (in-process default)."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utcnow,
        poll_seconds: float = 0.2,
    ) -> None:
        self.db = db
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.streams: dict[int, ForceStream] = {}
        self.cursor: int | None = None
        self._dirty: set[int] = set()
        self._dirty_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.leadership = Leadership(db.engine)
        self.listener = CommitListener(db.engine, self.notify)
        db.bus.subscribe(MonitoredOrdersChanged, self._on_change)

    def notify(self) -> None:
        """New points were committed: process them now rather than at the next poll."""
        self._wake.set()

    def _on_change(self, event: MonitoredOrdersChanged) -> None:
        with self._dirty_lock:
            self._dirty.add(event.force_id)
        self._wake.set()

    def run_once(self) -> int:
        """Process every stored point not yet read; the number read.

        If anything fails, the in-memory state is thrown away: the processors have moved on but
        their alerts were not committed, so the next run rebuilds them from the stored progress
        and finds those alerts again (the restart path), rather than losing them.
        """
        with self._run_lock:
            try:
                return self._run()
            except Exception:
                self.reset()
                raise

    def reset(self) -> None:
        self.cursor = None
        self.streams = {}

    def _run(self) -> int:
        """Read in one short transaction, process with none open, then write in another.

        On SQLite every transaction holds the single write lock, so processing thousands of
        points inside one would stop intake for as long; the alerts and the progress are still
        written together, which is all a restart relies on.
        """
        batches = self._read()
        done: list[tuple[ForceStream, list[Alert]]] = []
        for stream, rows in batches:
            done.append((stream, self._process(stream, rows)))
        now_us = to_us(self.clock())
        for stream in self.streams.values():
            lateness_us = round(stream.settings.live_lateness_s * US_PER_S)
            done.append((stream, stream.processor.advance(now_us - lateness_us)))
        with self.db.unit_of_work() as uow:
            for stream, alerts in done:
                self._save(uow.session, stream, alerts)
            if uow.session.new or uow.session.dirty or uow.session.info.get(_WROTE):
                uow.commit()
        return sum(len(rows) for _, rows in batches)

    def _read(self) -> list[tuple[ForceStream, list[Row]]]:
        """The points not yet read, by force, with each force's stream open and up to date."""
        with self.db.unit_of_work() as uow:
            session = uow.session
            if self.cursor is None:
                self._start(session)
            self._refresh(session)
            # Through the connection, not the session, and all at once rather than row by row:
            # plain rows without the ORM's loading.
            rows: list[Row] = list(
                session.connection()
                .execute(
                    select(*COLUMNS)
                    .where(TelemetryPoint.id > (self.cursor or 0))
                    .order_by(TelemetryPoint.id)
                    .limit(READ_LIMIT)
                )
                .all()
            )
            by_force: dict[int, list[Row]] = {}
            for row in rows:
                by_force.setdefault(row[1], []).append(row)
            batches = [
                (self.streams.get(force_id) or self._open(session, force_id), force_rows)
                for force_id, force_rows in by_force.items()
            ]
            if rows:
                self.cursor = rows[-1][0]
            if session.new or session.dirty or session.info.get(_WROTE):
                uow.commit()  # a stream opened here saved its warm-up
        return batches

    # --- start, warm-up and register changes -------------------------------------------------

    def _start(self, session: Session) -> None:
        """First run (or after a restart): rebuild every force's processor from stored points."""
        self.cursor = session.scalar(select(func.max(TelemetryPoint.id))) or 0
        forces = set(session.scalars(select(TelemetryPoint.force_id).distinct()))
        forces |= set(session.scalars(select(MonitoringProgress.force_id)))
        for force_id in sorted(forces):
            self._open(session, force_id)

    def _open(self, session: Session, force_id: int) -> ForceStream:
        chosen = force_settings.load(session, force_id=force_id)
        orders = load_monitored(session, force_id=force_id, at=self.clock())
        processor = MonitoringProcessor(orders.specs, lateness_s=chosen.live_lateness_s)
        processor.set_orders(orders.specs, keys=orders.keys)
        stream = ForceStream(force_id, processor, chosen, orders)
        self.streams[force_id] = stream
        progress = session.get(MonitoringProgress, force_id)
        if progress is not None:
            stream.last_point_id = progress.last_point_id
            stream.suppress_until_us = progress.processed_us
        self._warm_up(session, stream, progress)
        return stream

    def _warm_up(
        self, session: Session, stream: ForceStream, progress: MonitoringProgress | None
    ) -> None:
        since = FLOOR_US
        if progress is not None:
            warmup_us = round(stream.settings.warmup_minutes * 60 * US_PER_S)
            since = max(FLOOR_US, progress.processed_us - warmup_us)
        rows = session.execute(
            select(*COLUMNS)
            .where(
                TelemetryPoint.force_id == stream.force_id,
                TelemetryPoint.id <= (self.cursor or 0),
                or_(
                    TelemetryPoint.id > stream.last_point_id,
                    TelemetryPoint.ts_us > since,
                ),
            )
            .order_by(TelemetryPoint.id)
            .execution_options(yield_per=READ_LIMIT)
        )
        self._feed(session, stream, list(rows))

    def _refresh(self, session: Session) -> None:
        """Pick up register changes: at once for this process's changes, else every few s."""
        with self._dirty_lock:
            dirty, self._dirty = self._dirty, set()
        now = time.monotonic()
        for force_id, stream in self.streams.items():
            if force_id not in dirty and now - stream.checked_at < FINGERPRINT_EVERY_S:
                continue
            stream.checked_at = now
            at = self.clock()
            # Building specs parses every zone: only when the cheap fingerprint has moved.
            if fingerprint(session, force_id=force_id, at=at) != stream.orders.fingerprint:
                fresh = load_monitored(session, force_id=force_id, at=at, previous=stream.orders)
                stream.processor.set_orders(fresh.specs, keys=fresh.keys)
                stream.orders = fresh
            stream.settings = force_settings.load(session, force_id=force_id)

    # --- processing ---------------------------------------------------------------------------

    def _feed(self, session: Session, stream: ForceStream, rows: list[Row]) -> None:
        if rows:
            self._save(session, stream, self._process(stream, rows))

    def _process(self, stream: ForceStream, rows: list[Row]) -> list[Alert]:
        # Restore time order within what was read at once; arrival order breaks ties, so the
        # first copy of a repeated point is the one kept.
        points = sorted(map(_point, rows), key=_BY_TIME)
        alerts = stream.processor.ingest_many(points)
        stream.last_point_id = max(stream.last_point_id, rows[-1][0])
        return alerts

    def _save(self, session: Session, stream: ForceStream, alerts: list[Alert]) -> None:
        if alerts:
            persist_alerts(
                session,
                force_id=stream.force_id,
                alerts=alerts,
                orders=stream.orders,
                suppress_until_us=stream.suppress_until_us,
            )
            session.info[_WROTE] = True
        moved = stream.last_point_id != stream.saved_point_id
        if not (alerts or moved or time.monotonic() - stream.saved_at > PROGRESS_EVERY_S):
            return  # an idle tick: no write transaction just to move the watermark
        stream.saved_point_id, stream.saved_at = stream.last_point_id, time.monotonic()
        progress = session.get(MonitoringProgress, stream.force_id)
        if progress is None:
            progress = MonitoringProgress(force_id=stream.force_id)
            session.add(progress)
        progress.last_point_id = stream.last_point_id
        progress.processed_us = max(FLOOR_US, stream.processor.watermark)
        progress.updated_at = utcnow()

    # --- the in-process thread ----------------------------------------------------------------

    def _wait_seconds(self) -> float:
        now_us = to_us(self.clock())
        wait = self.poll_seconds
        for stream in self.streams.values():
            due = stream.processor.next_release
            if due is not None:
                # The wall clock releases a point `lateness` after its time: `due` already adds it.
                wait = min(wait, max(0.0, (due - now_us) / US_PER_S))
        return wait

    def run_forever(self) -> None:
        """Lead (or stand by until the leader goes), then process as points arrive."""
        self.listener.start()
        while not self._stop.is_set():
            if not self.leadership.acquire():
                self.reset()  # a standby rebuilds from stored progress when it takes over
                self._stop.wait(STANDBY_POLL_S)
                continue
            self._wake.clear()
            try:
                read = self.run_once()
            except Exception:  # a lost connection must not stop monitoring; try again shortly
                log.exception("live monitor iteration failed; retrying")
                self._stop.wait(1.0)
                continue
            if read < READ_LIMIT:
                self._wake.wait(self._wait_seconds())

    def start_thread(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.run_forever, name="live-monitor", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.listener.stop()
        self.leadership.release()
