"""Telemetry points: validation, timestamps and the `points.csv` reader.

Times are whole microseconds since the Unix epoch (UTC): integer arithmetic keeps the rules'
boundaries (`> 15 min`, `>= 300 s`, `<= 600 s`) exact where floats would wobble.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple, TextIO

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_S = 1_000_000
CSV_COLUMNS = ("device_id", "ts", "lat", "lon", "accuracy_m", "battery_pct", "tamper")
# Curfew windows and no-signal starts do date arithmetic a day or more either side of a point.
EARLIEST_TS = (datetime(1971, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)
LATEST_TS = (datetime(9000, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(microseconds=1)


class PointError(ValueError):
    """A point that cannot be monitored (bad time, position, accuracy or flag)."""


class Point(NamedTuple):
    """One validated fix from a device. `battery` is None when the device sent no reading."""

    device_id: str
    ts: int
    lat: float
    lon: float
    accuracy_m: float
    battery: float | None
    tamper: bool


def parse_ts(text: str) -> int:
    """ISO-8601 with a zone (e.g. `2026-03-01T10:00:00Z`) to epoch microseconds."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise PointError(f"not an ISO-8601 time: {text!r}") from exc
    if moment.tzinfo is None:
        raise PointError(f"time has no zone (add Z for UTC): {text!r}")
    return to_us(moment)


def to_us(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def from_us(ts: int) -> datetime:
    return EPOCH + timedelta(microseconds=ts)


def format_ts(ts: int) -> str:
    """UTC ISO-8601 with a Z; fractional seconds only when the time has them."""
    moment = from_us(ts)
    spec = "seconds" if moment.microsecond == 0 else "microseconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def make_point(
    device_id: str,
    ts: int,
    lat: float,
    lon: float,
    accuracy_m: float,
    battery: float | None,
    tamper: bool,
) -> Point:
    """Build a point, refusing values the processor cannot reason about."""
    if not device_id:
        raise PointError("device_id is empty")
    if not EARLIEST_TS <= ts < LATEST_TS:
        raise PointError(f"time out of range (1971 to 9000): {ts} us since 1970")
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise PointError(f"latitude out of range: {lat}")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise PointError(f"longitude out of range: {lon}")
    if not (math.isfinite(accuracy_m) and accuracy_m >= 0.0):
        raise PointError(f"accuracy_m must be a number >= 0: {accuracy_m}")
    if battery is not None and not math.isfinite(battery):
        raise PointError(f"battery_pct must be a number: {battery}")
    return Point(device_id, ts, lat, lon, accuracy_m, battery, tamper)


def _number(text: str, column: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise PointError(f"{column} is not a number: {text!r}") from exc


def _tamper(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true"):
        return True
    if value in ("0", "false", ""):
        return False
    raise PointError(f"tamper must be 0 or 1: {text!r}")


def point_from_row(row: dict[str, str | None]) -> Point:
    """A `points.csv` row as a point; an empty battery_pct means no reading."""
    missing = [c for c in CSV_COLUMNS if c != "battery_pct" and not (row.get(c) or "").strip()]
    if missing:
        raise PointError(f"missing {', '.join(missing)}")
    battery_text = (row.get("battery_pct") or "").strip()
    return make_point(
        device_id=(row["device_id"] or "").strip(),
        ts=parse_ts(row["ts"] or ""),
        lat=_number(row["lat"] or "", "lat"),
        lon=_number(row["lon"] or "", "lon"),
        accuracy_m=_number(row["accuracy_m"] or "", "accuracy_m"),
        battery=_number(battery_text, "battery_pct") if battery_text else None,
        tamper=_tamper(row.get("tamper") or ""),
    )


@dataclass
class RejectedRow:
    line: int
    reason: str


def read_points(stream: TextIO, rejected: list[RejectedRow]) -> Iterator[Point]:
    """Yield points in file (arrival) order; bad rows go to `rejected` instead of stopping."""
    reader = csv.DictReader(stream)
    absent = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if absent:
        raise PointError(f"points.csv lacks columns: {', '.join(absent)}")
    for row in reader:
        try:
            yield point_from_row(row)
        except PointError as exc:
            rejected.append(RejectedRow(reader.line_num, str(exc)))


def open_points(path: Path) -> TextIO:
    # utf-8-sig: spreadsheet exports often start with a byte-order mark.
    return path.open(newline="", encoding="utf-8-sig")
