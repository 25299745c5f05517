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
from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from heard.clock import utcnow
from heard.orders.monitoring.points import PointError, make_point, to_us
from heard.orders.records import TelemetryPoint
from heard.orders.schemas import PointIn, RejectedPoint

# A device clock this far ahead would drag the watermark with it and make every honest point late.
MAX_FUTURE = timedelta(minutes=5)
# Advisory locks are cluster-wide: the database's name is half the key, so databases don't queue.
_INTAKE_LOCK = (
    "SELECT pg_advisory_xact_lock(hashtext('heard.telemetry'), hashtext(current_database()))"
)


@dataclass
class Checked:
    rows: list[dict[str, Any]] = field(default_factory=list)
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


def _fast(item: Any) -> tuple[str, datetime, float, float, float, Any, bool, Any] | None:
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
    numbers: tuple[float, float, float] = (float(lat), float(lon), float(acc))  # type: ignore[arg-type]
    return device, moment, *numbers, battery, tamper, signal


def _full(item: Any) -> tuple[str, datetime, float, float, float, Any, bool, Any]:
    point = PointIn.model_validate(item)
    return (
        point.device_id,
        point.ts,
        point.lat,
        point.lon,
        point.accuracy_m,
        point.battery_pct,
        point.tamper,
        point.signal,
    )


def check_points(raw: list[Any], *, force_id: int, received_at: datetime) -> Checked:
    """Rows ready to insert, and every bad point with the reasons, by its index in the batch."""
    checked = Checked()
    seen: set[tuple[str, int]] = set()
    latest = to_us(received_at + MAX_FUTURE)
    for index, item in enumerate(raw):
        try:
            fields = _fast(item) or _full(item)
            ts = to_us(fields[1])
            make_point(fields[0], ts, fields[2], fields[3], fields[4], None, False)
        except ValidationError as exc:
            checked.rejected.append(RejectedPoint(index=index, errors=_reasons(exc)))
            continue
        except PointError as exc:
            checked.rejected.append(RejectedPoint(index=index, errors=[str(exc)]))
            continue
        if ts > latest:
            reason = "ts is more than 5 minutes ahead of Heard's clock; check the device clock"
            checked.rejected.append(RejectedPoint(index=index, errors=[reason]))
            continue
        device = fields[0]
        if (device, ts) in seen:
            checked.repeated_in_batch += 1
            continue
        seen.add((device, ts))
        checked.rows.append(
            {
                "force_id": force_id,
                "device_id": device,
                "ts_us": ts,
                "lat": fields[2],
                "lon": fields[3],
                "accuracy_m": fields[4],
                "battery_pct": fields[5],
                "tamper": fields[6],
                "signal": fields[7],
                "received_at": received_at,
            }
        )
    return checked


def store(session: Session, *, rows: list[dict[str, Any]]) -> int:
    """Insert the rows, skipping any (force, device, time) already stored; the number new."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    table = TelemetryPoint.__table__
    assert isinstance(table, Table)
    keys = ["force_id", "device_id", "ts_us"]
    if dialect == "postgresql":
        session.execute(text(_INTAKE_LOCK))
        statement: Any = postgresql.insert(table).on_conflict_do_nothing(index_elements=keys)
    else:
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=keys)
    inserted = session.execute(statement.returning(table.c.id), rows).all()
    return len(inserted)


def receive(session: Session, *, force_id: int, raw: list[Any]) -> tuple[int, int, Checked]:
    """Check and store a batch: (stored, duplicates, checked)."""
    checked = check_points(raw, force_id=force_id, received_at=utcnow())
    stored = store(session, rows=checked.rows)
    duplicates = len(checked.rows) - stored + checked.repeated_in_batch
    return stored, duplicates, checked
