"""Typed order conditions: what is checked, what the register stores, and who may see which part.

The register stores conditions as one JSON document per order (the `orders.conditions` column),
validated by `Conditions` on the way in. Zone geometry, the dynamic zone's device and any
position are the protected person's location: `for_role` strips them for everyone who does not
manage orders, and `subject_copy` for the document served on the subject.
"""

from __future__ import annotations

import math
from datetime import datetime, time
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, field_validator, model_validator

from heard.orders.monitoring.geo import CircleZone, PolygonZone, Zone, ZoneError
from heard.orders.monitoring.spec import DAY_NAMES, CurfewSpec, Home, OrderSpec
from heard.schemas_base import StrictInput

Lat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Lon = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Metres = Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
DEFAULT_NO_SIGNAL_MINUTES = 15.0
DEFAULT_LOW_BATTERY_PCT = 20.0


class NoContact(StrictInput):
    direct: bool = False
    indirect: bool = False
    online: bool = False


class CircleZoneIn(StrictInput):
    """A radius round an address (the address is kept as text beside its coordinates)."""

    kind: Literal["circle"]
    zone_id: str | None = Field(default=None, max_length=40)
    label: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=500)
    lat: Lat
    lon: Lon
    radius_m: Metres


class PolygonZoneIn(StrictInput):
    kind: Literal["polygon"]
    zone_id: str | None = Field(default=None, max_length=40)
    label: str | None = Field(default=None, max_length=200)
    coords: list[tuple[Lat, Lon]] = Field(min_length=3, max_length=500)


ZoneIn = Annotated[CircleZoneIn | PolygonZoneIn, Field(discriminator="kind")]


class DynamicZone(StrictInput):
    """Stay `radius_m` away from a protected person who carries a device."""

    protected_person_record_id: int | None = None
    device_id: str = Field(min_length=1, max_length=64)
    radius_m: Metres


class HomeIn(StrictInput):
    lat: Lat
    lon: Lon
    radius_m: Metres
    address: str | None = Field(default=None, max_length=500)


class CurfewIn(StrictInput):
    """Europe/London wall-clock window; `days` name the day a window starts."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(min_length=1)
    start: HHMM
    end: HHMM
    home: HomeIn


class ElectronicMonitoring(StrictInput):
    device_id: str | None = Field(default=None, min_length=1, max_length=64)
    type: Literal["gps", "rf", "alcohol"] = "gps"
    no_signal_minutes: float | None = Field(default=DEFAULT_NO_SIGNAL_MINUTES, gt=0, le=24 * 60)
    low_battery_pct: float | None = Field(default=DEFAULT_LOW_BATTERY_PCT, ge=0, le=100)


class PositiveRequirement(StrictInput):
    requirement_id: str | None = Field(default=None, max_length=40)
    kind: Literal["programme", "assessment", "other"]
    description: str = Field(min_length=1, max_length=500)
    supervisor: str = Field(min_length=1, max_length=200)
    due_dates: list[AwareDatetime] = Field(default_factory=list, max_length=100)


class Conditions(StrictInput):
    no_contact: NoContact | None = None
    exclusion_zones: list[ZoneIn] = Field(default_factory=list, max_length=50)
    dynamic_zone: DynamicZone | None = None
    curfews: list[CurfewIn] = Field(default_factory=list, max_length=14)
    electronic_monitoring: ElectronicMonitoring | None = None
    positive_requirements: list[PositiveRequirement] = Field(default_factory=list, max_length=20)
    notification_duty: bool = False

    @field_validator("exclusion_zones")
    @classmethod
    def _zones_make_shapes(cls, zones: list[CircleZoneIn | PolygonZoneIn]) -> list[Any]:
        for index, zone in enumerate(zones):
            zone.zone_id = zone.zone_id or f"zone-{index + 1}"
            if isinstance(zone, PolygonZoneIn):
                try:
                    PolygonZone(zone.zone_id, [list(c) for c in zone.coords])
                except ZoneError as exc:
                    raise ValueError(str(exc)) from exc
        ids = [z.zone_id for z in zones]
        if len(set(ids)) != len(ids):
            raise ValueError("zone_id values must be different within one order")
        return zones

    @model_validator(mode="after")
    def _requirement_ids(self) -> Conditions:
        for index, requirement in enumerate(self.positive_requirements):
            requirement.requirement_id = requirement.requirement_id or f"req-{index + 1}"
        return self

    def document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


# --- who sees what -----------------------------------------------------------------------------

RESTRICTED = "restricted to order managers"


def _zone_summary(zone: dict[str, Any]) -> dict[str, Any]:
    return {"zone_id": zone.get("zone_id"), "kind": zone.get("kind"), "location": RESTRICTED}


def for_role(conditions: dict[str, Any], *, manager: bool) -> dict[str, Any]:
    """Order managers see everything; others see what each condition is, never where."""
    if manager:
        return dict(conditions)
    out = {k: v for k, v in conditions.items() if k not in ("exclusion_zones", "dynamic_zone")}
    out["exclusion_zones"] = [_zone_summary(z) for z in conditions.get("exclusion_zones", [])]
    dynamic = conditions.get("dynamic_zone")
    if dynamic:
        out["dynamic_zone"] = {"radius_m": dynamic.get("radius_m"), "device": RESTRICTED}
    return out


def subject_copy(conditions: dict[str, Any]) -> dict[str, Any]:
    """What the subject is served: every requirement in words, no protected person's location.

    Exclusion zones are named by their label only (the court's description, such as a road
    name, is what the subject is told); coordinates, addresses and devices never appear.
    """
    out: dict[str, Any] = {}
    if conditions.get("no_contact"):
        out["no_contact"] = conditions["no_contact"]
    out["exclusion_zones"] = [
        {"zone_id": z.get("zone_id"), "description": z.get("label") or "as described by the court"}
        for z in conditions.get("exclusion_zones", [])
    ]
    dynamic = conditions.get("dynamic_zone")
    if dynamic:
        out["keep_away_m"] = dynamic.get("radius_m")
    out["curfews"] = [
        {"days": c.get("days"), "start": c.get("start"), "end": c.get("end")}
        for c in conditions.get("curfews", [])
    ]
    monitoring = conditions.get("electronic_monitoring")
    if monitoring:
        out["electronic_monitoring"] = {"type": monitoring.get("type")}
    out["positive_requirements"] = [
        {k: r.get(k) for k in ("kind", "description", "supervisor", "due_dates")}
        for r in conditions.get("positive_requirements", [])
    ]
    out["notification_duty"] = bool(conditions.get("notification_duty"))
    return out


# --- what the monitoring processor runs on -----------------------------------------------------


def _zone(raw: dict[str, Any], index: int) -> Zone:
    zone_id = str(raw.get("zone_id") or f"zone-{index + 1}")
    if raw.get("kind") == "polygon":
        return PolygonZone(zone_id, raw["coords"])
    return CircleZone(zone_id, float(raw["lat"]), float(raw["lon"]), float(raw["radius_m"]))


def _clock(text: str) -> time:
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def _curfew(raw: dict[str, Any]) -> CurfewSpec:
    home = raw["home"]
    return CurfewSpec(
        days=frozenset(DAY_NAMES.index(d) for d in raw["days"]),
        start=_clock(raw["start"]),
        end=_clock(raw["end"]),
        home=Home(float(home["lat"]), float(home["lon"]), float(home["radius_m"])),
    )


def _number(raw: dict[str, Any], key: str, default: float) -> float | None:
    value = raw.get(key, default)
    if value is None or not math.isfinite(float(value)):
        return None
    return float(value)


def monitoring_spec(order_id: int, conditions: dict[str, Any]) -> OrderSpec | None:
    """The processor's view of an order, or None when it has no device to watch.

    Raises ZoneError, KeyError or ValueError for a stored document that cannot be monitored
    (possible only for rows written before validation existed); the caller reports it.
    """
    monitoring = conditions.get("electronic_monitoring") or {}
    device = monitoring.get("device_id")
    if not device or monitoring.get("type", "gps") == "alcohol":
        return None
    dynamic = conditions.get("dynamic_zone") or {}
    return OrderSpec(
        order_id=order_id,
        subject_device=str(device),
        protected_device=str(dynamic["device_id"]) if dynamic.get("device_id") else None,
        zones=tuple(_zone(z, i) for i, z in enumerate(conditions.get("exclusion_zones", []))),
        proximity_m=float(dynamic["radius_m"]) if dynamic.get("device_id") else None,
        curfews=tuple(_curfew(c) for c in conditions.get("curfews", [])),
        no_signal_minutes=_number(monitoring, "no_signal_minutes", DEFAULT_NO_SIGNAL_MINUTES),
        low_battery_pct=_number(monitoring, "low_battery_pct", DEFAULT_LOW_BATTERY_PCT),
    )


def due_dates(conditions: dict[str, Any]) -> list[tuple[str, datetime]]:
    """(requirement id, due date) for every positive requirement's due dates."""
    found = []
    for index, requirement in enumerate(conditions.get("positive_requirements", [])):
        requirement_id = str(requirement.get("requirement_id") or f"req-{index + 1}")
        for due in requirement.get("due_dates", []):
            found.append((requirement_id, datetime.fromisoformat(str(due).replace("Z", "+00:00"))))
    return found
