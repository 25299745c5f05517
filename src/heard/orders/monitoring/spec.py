"""Monitored orders as the processor sees them, and the `orders.json` reader.

The JSON shapes are the replay contract of the orders-and-monitoring issue. Pydantic checks the
shapes and gives readable errors; the frozen specs below are what the processor runs on, so the
live path can build them from the register without going through JSON.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from heard.orders.monitoring.geo import CircleZone, PolygonZone, Zone, ZoneError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class SpecError(ValueError):
    """orders.json (or a monitored order built in code) that cannot be monitored."""


@dataclass(frozen=True)
class Home:
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class CurfewSpec:
    """A curfew: `days` are weekday numbers (Monday 0) on which a window *starts*."""

    days: frozenset[int]
    start: time
    end: time
    home: Home


@dataclass(frozen=True)
class OrderSpec:
    """What the processor needs to know about one order with electronic monitoring."""

    order_id: str | int
    subject_device: str
    protected_device: str | None = None
    zones: tuple[Zone, ...] = ()
    proximity_m: float | None = None
    curfews: tuple[CurfewSpec, ...] = ()
    no_signal_minutes: float | None = None
    low_battery_pct: float | None = None


class _Input(BaseModel):
    # Unknown keys are ignored: a monitoring centre's export may carry more than the contract.
    model_config = ConfigDict(extra="ignore")


class _Circle(_Input):
    zone_id: str | int
    kind: Literal["circle"]
    lat: float
    lon: float
    radius_m: float = Field(ge=0)


class _Polygon(_Input):
    zone_id: str | int
    kind: Literal["polygon"]
    coords: list[Annotated[list[float], Field(min_length=2, max_length=2)]]


class _Home(_Input):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_m: float = Field(ge=0)


class _Curfew(_Input):
    days: list[str]
    start: str
    end: str
    home: _Home

    @field_validator("days")
    @classmethod
    def _known_days(cls, value: list[str]) -> list[str]:
        days = [d.strip().lower()[:3] for d in value]
        unknown = [d for d in days if d not in DAY_NAMES]
        if unknown:
            raise ValueError(f"unknown day names {unknown}; use {', '.join(DAY_NAMES)}")
        return days

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value.strip()):
            raise ValueError("times are HH:MM, 00:00 to 23:59, Europe/London")
        return value.strip()


class _Order(_Input):
    order_id: str | int
    subject_device: str | int
    protected_device: str | int | None = None
    zones: list[Annotated[_Circle | _Polygon, Field(discriminator="kind")]] = []
    proximity_m: float | None = Field(default=None, ge=0)
    curfews: list[_Curfew] = []
    no_signal_minutes: float | None = Field(default=None, ge=0)
    low_battery_pct: float | None = None


class _OrdersFile(_Input):
    orders: list[_Order]


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _zone(raw: _Circle | _Polygon) -> Zone:
    if isinstance(raw, _Circle):
        return CircleZone(str(raw.zone_id), raw.lat, raw.lon, raw.radius_m)
    return PolygonZone(str(raw.zone_id), raw.coords)


def _order(raw: _Order) -> OrderSpec:
    curfews = tuple(
        CurfewSpec(
            days=frozenset(DAY_NAMES.index(d) for d in c.days),
            start=_clock(c.start),
            end=_clock(c.end),
            home=Home(c.home.lat, c.home.lon, c.home.radius_m),
        )
        for c in raw.curfews
    )
    return OrderSpec(
        order_id=raw.order_id,
        subject_device=str(raw.subject_device),
        protected_device=None if raw.protected_device is None else str(raw.protected_device),
        zones=tuple(_zone(z) for z in raw.zones),
        proximity_m=raw.proximity_m,
        curfews=curfews,
        no_signal_minutes=raw.no_signal_minutes,
        low_battery_pct=raw.low_battery_pct,
    )


def parse_orders(document: Any) -> list[OrderSpec]:
    """The orders of an `orders.json` document (already decoded from JSON)."""
    try:
        parsed = _OrdersFile.model_validate(document)
    except ValidationError as exc:
        raise SpecError(f"orders.json does not match the contract:\n{exc}") from exc
    specs: list[OrderSpec] = []
    seen: set[str] = set()
    for raw in parsed.orders:
        key = str(raw.order_id)
        if key in seen:
            raise SpecError(f"order_id {key} appears twice")
        seen.add(key)
        try:
            specs.append(_order(raw))
        except ZoneError as exc:
            raise SpecError(f"order {key}: {exc}") from exc
    for spec in specs:
        _check_numbers(spec)
    return specs


def _check_numbers(spec: OrderSpec) -> None:
    for name in ("proximity_m", "no_signal_minutes", "low_battery_pct"):
        value = getattr(spec, name)
        if value is not None and not math.isfinite(value):
            raise SpecError(f"order {spec.order_id}: {name} must be a finite number")


def load_orders(path: Path) -> list[OrderSpec]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SpecError(f"{path} is not valid JSON: {exc}") from exc
    return parse_orders(document)
