"""Telemetry intake: check each point, store the good ones, report the bad ones by index.

A batch is stored in the request's transaction and the view commits before it answers, so an
acknowledged point is on disk. The unique (force, device, time) key makes a resent point a
no-op. Points are processed afterwards by the live monitor (`heard.orders.live`), which reads
them back from the table in id order; on PostgreSQL each batch takes a transaction-level
advisory lock first, so ids become visible in the order they were handed out and the reader's
id cursor never skips a batch that committed late (SQLite's single writer gives this already).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Table
from sqlalchemy.orm import Session

from heard.clock import utcnow
from heard.orders.monitoring.points import EARLIEST_TS, LATEST_TS, PointError, make_point, to_us
from heard.orders.records import TelemetryPoint
from heard.orders.schemas import PointIn, RejectedPoint
from heard.orders.wakeup import CHANNEL

# A device clock this far ahead would drag the watermark with it and make every honest point late.
MAX_FUTURE = timedelta(minutes=5)
# Advisory locks are cluster-wide: the database's name is half the key, so databases don't queue.
# The same round trip queues the wake-up for a monitor in another process; it is sent at commit.
_INTAKE_LOCK = (
    "SELECT pg_advisory_xact_lock(hashtext('heard.telemetry'), hashtext(current_database())),"
    f" pg_notify('{CHANNEL}', '')"
)


# A row is the force, the point's `Fields` and received_at, in the order of these columns.
_SQLITE_INSERT = (
    "INSERT INTO telemetry_points (force_id, device_id, ts_us, lat, lon, accuracy_m,"
    " battery_pct, tamper, signal, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (force_id, device_id, ts_us) DO NOTHING"
)
# On PostgreSQL one statement takes each column as an array: one round trip and one plan.
_POSTGRESQL_INSERT = (
    "INSERT INTO telemetry_points (force_id, device_id, ts_us, lat, lon, accuracy_m,"
    " battery_pct, tamper, signal, received_at)"
    " SELECT %s, d, t, la, lo, a, b, tp, s, %s FROM unnest(%s::text[], %s::bigint[],"
    " %s::float8[], %s::float8[], %s::float8[], %s::float8[], %s::boolean[], %s::text[])"
    " AS p(d, t, la, lo, a, b, tp, s)"
    " ON CONFLICT (force_id, device_id, ts_us) DO NOTHING"
)
# device, ts_us, lat, lon, accuracy_m, battery_pct, tamper, signal
Fields = tuple[str, int, float, float, float, float | None, bool, str | None]


@dataclass
class Checked:
    rows: list[Fields] = field(default_factory=list)
    rejected: list[RejectedPoint] = field(default_factory=list)
    repeated_in_batch: int = 0


def _reasons(exc: ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(p) for p in err['loc']) or 'point'}: {err['msg']}" for err in exc.errors()
    ]


_FIELDS = frozenset(PointIn.model_fields)
_NUMBER = (int, float)


def _number(value: Any, low: float, high: float) -> bool:
    return type(value) in _NUMBER and low <= value <= high  # NaN fails both comparisons


def _fast(item: Any) -> Fields | None:
    """The common, well-typed point without Pydantic; None sends it to the full check."""
    if type(item) is not dict or not item.keys() <= _FIELDS:
        return None
    values: dict[str, Any] = item
    device, ts, battery = values.get("device_id"), values.get("ts"), values.get("battery_pct")
    lat, lon, acc = values.get("lat"), values.get("lon"), values.get("accuracy_m")
    tamper, signal = values.get("tamper", False), values.get("signal")
    if type(device) is not str or not 0 < len(device) <= 64 or type(ts) is not str:
        return None
    if not (_number(lat, -90, 90) and _number(lon, -180, 180) and _number(acc, 0, 100_000)):
        return None
    if battery is not None and not _number(battery, 0, 100):
        return None
    if type(tamper) is not bool or (
        signal is not None and (type(signal) is not str or len(signal) > 16)
    ):
        return None
    try:
        moment = datetime.fromisoformat(ts)
    except ValueError:
        return None
    if moment.tzinfo is None or device != device.strip():
        return None
    micros = to_us(moment)
    if not EARLIEST_TS <= micros < LATEST_TS:
        return None  # the full check names the problem
    charge = None if battery is None else float(battery)
    return device, micros, float(lat), float(lon), float(acc), charge, tamper, signal  # type: ignore[arg-type]


def _full(item: Any) -> Fields:
    point = PointIn.model_validate(item)
    ts = to_us(point.ts)
    make_point(point.device_id, ts, point.lat, point.lon, point.accuracy_m, None, False)
    return (
        point.device_id,
        ts,
        point.lat,
        point.lon,
        point.accuracy_m,
        point.battery_pct,
        point.tamper,
        point.signal,
    )


def check_points(raw: list[Any], *, received_at: datetime) -> Checked:
    """Rows ready to insert, and every bad point with the reasons, by its index in the batch."""
    checked = Checked()
    rows, seen = checked.rows, set[tuple[str, int]]()
    latest = to_us(received_at + MAX_FUTURE)
    for index, item in enumerate(raw):
        try:
            fields = _fast(item) or _full(item)
        except ValidationError as exc:
            checked.rejected.append(RejectedPoint(index=index, errors=_reasons(exc)))
            continue
        except PointError as exc:
            checked.rejected.append(RejectedPoint(index=index, errors=[str(exc)]))
            continue
        if fields[1] > latest:
            reason = "ts is more than 5 minutes ahead of Heard's clock; check the device clock"
            checked.rejected.append(RejectedPoint(index=index, errors=[reason]))
            continue
        key = fields[:2]
        if key in seen:
            checked.repeated_in_batch += 1
            continue
        seen.add(key)
        rows.append(fields)
    return checked


def store(session: Session, *, force_id: int, received_at: datetime, rows: list[Fields]) -> int:
    """Insert the rows, skipping any (force, device, time) already stored; the number new.

    One statement through the driver rather than the ORM: binding 500 row dictionaries through
    SQLAlchemy cost more than everything else intake does (docs/benchmarks.md, Monitoring).
    """
    if not rows:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    table = TelemetryPoint.__table__
    assert isinstance(table, Table)
    bind = table.c.received_at.type.dialect_impl(dialect).bind_processor(dialect)
    received = bind(received_at) if bind is not None else received_at
    if dialect.name == "postgresql":
        connection.exec_driver_sql(_INTAKE_LOCK)
        columns = (list(column) for column in zip(*rows, strict=True))
        inserted = connection.exec_driver_sql(_POSTGRESQL_INSERT, (force_id, received, *columns))
    else:
        many = [(force_id, *fields, received) for fields in rows]
        inserted = connection.exec_driver_sql(_SQLITE_INSERT, many)
    return max(0, inserted.rowcount)


def receive(session: Session, *, force_id: int, raw: list[Any]) -> tuple[int, int, Checked]:
    """Check and store a batch: (stored, duplicates, checked)."""
    received_at = utcnow()
    checked = check_points(raw, received_at=received_at)
    stored = store(session, force_id=force_id, received_at=received_at, rows=checked.rows)
    duplicates = len(checked.rows) - stored + checked.repeated_in_batch
    return stored, duplicates, checked
