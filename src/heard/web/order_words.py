"""An order's conditions, clocks and states in words, for the orders pages.

Everything here reads the view the reader is allowed (`OrderManagerView` or `OrderView`): the
restricted view has no zone geometry and no protected person's device, so nothing built from it
can describe where a protected person is. Only the manager's view is given coordinates.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from heard.orders import clocks
from heard.orders.models import OrderType
from heard.orders.records import DutyKind, DutyStatus, OrderDuty
from heard.web.templating import TEMPLATES

RESTRICTED_WORDS = "location restricted to order managers"
DUE_SOON = timedelta(hours=24)
DAY_WORDS = {
    "mon": "Mon",
    "tue": "Tue",
    "wed": "Wed",
    "thu": "Thu",
    "fri": "Fri",
    "sat": "Sat",
    "sun": "Sun",
}
TYPE_WORDS = {
    OrderType.DAPN: "DAPN",
    OrderType.DAPO: "DAPO",
    OrderType.DVPN: "DVPN",
    OrderType.DVPO: "DVPO",
    OrderType.NON_MOLESTATION: "Non-molestation order",
    OrderType.OCCUPATION: "Occupation order",
    OrderType.RESTRAINING: "Restraining order",
    OrderType.STALKING_PROTECTION: "Stalking protection order",
    OrderType.BAIL_CONDITIONS: "Bail conditions",
}
DUTY_WORDS = {
    DutyKind.DAPN_HEARING: "DAPO hearing must be held (DAPN, 48 counted hours)",
    DutyKind.DAPN_BREACH_COURT: "Arrested for a DAPN breach: before the court (24 counted hours)",
    DutyKind.NOTIFICATION_INITIAL: "Subject to notify name and address (s41, 3 days)",
    DutyKind.NOTIFICATION_CHANGE: "Subject to notify a change (s41, 3 days)",
    DutyKind.POSITIVE_REQUIREMENT: "Positive requirement due",
}


def _where(lat: Any, lon: Any) -> str:
    return f"{float(lat):.5f}, {float(lon):.5f}"


def zone_words(zone: dict[str, Any], *, manager: bool) -> str:
    name = zone.get("label") or f"Zone {zone.get('zone_id')}"
    if not manager or "location" in zone:
        return f"Zone {zone.get('zone_id')} ({zone.get('kind')}): {RESTRICTED_WORDS}"
    if zone.get("kind") == "polygon":
        corners = zone.get("coords") or []
        lat = sum(float(c[0]) for c in corners) / max(len(corners), 1)
        lon = sum(float(c[1]) for c in corners) / max(len(corners), 1)
        return f"{name}: an area with {len(corners)} corners, centred near {_where(lat, lon)}"
    place = zone.get("address") or "a point"
    return (
        f"{name}: within {zone.get('radius_m'):g} m of {place} "
        f"({_where(zone.get('lat'), zone.get('lon'))})"
    )


def _no_contact(found: dict[str, Any]) -> str | None:
    kinds = [k for k in ("direct", "indirect", "online") if found.get(k)]
    return f"No contact: {', '.join(kinds)}" if kinds else None


def _dynamic(found: dict[str, Any], *, manager: bool) -> str:
    who = f"device {found['device_id']}" if manager and "device_id" in found else "their device"
    tail = "" if manager else f" ({RESTRICTED_WORDS})"
    return f"Keep {found.get('radius_m'):g} m away from the protected person ({who}){tail}"


def _curfew(found: dict[str, Any], *, manager: bool) -> str:
    days = ", ".join(DAY_WORDS.get(d, d) for d in found.get("days", []))
    text = f"Curfew {days}: {found.get('start')} to {found.get('end')} at the curfew address"
    home = found.get("home") or {}
    if manager and home:
        place = home.get("address") or _where(home.get("lat"), home.get("lon"))
        text += f" (within {home.get('radius_m'):g} m of {place})"
    return text


def _monitoring(found: dict[str, Any]) -> str:
    kind = str(found.get("type", "gps")).upper()
    text = f"Electronic monitoring: {kind} device {found.get('device_id') or '(not fitted yet)'}"
    if found.get("no_signal_minutes") is not None:
        text += f"; no-signal alert after {found['no_signal_minutes']:g} min"
    if found.get("low_battery_pct") is not None:
        text += f"; low-battery alert below {found['low_battery_pct']:g} %"
    return text


def _requirement(found: dict[str, Any]) -> str:
    dues = ", ".join(str(d)[:10] for d in found.get("due_dates", [])) or "no dates set"
    return (
        f"{str(found.get('kind', 'other')).capitalize()}: {found.get('description')} "
        f"(supervisor {found.get('supervisor')}; due {dues})"
    )


def conditions_in_words(conditions: dict[str, Any], *, manager: bool) -> list[str]:
    """One sentence per condition, in the order a court lists them."""
    lines: list[str] = []
    if (contact := _no_contact(conditions.get("no_contact") or {})) is not None:
        lines.append(contact)
    lines += [
        "Exclusion zone: " + zone_words(z, manager=manager)
        for z in conditions.get("exclusion_zones", [])
    ]
    if conditions.get("dynamic_zone"):
        lines.append(_dynamic(conditions["dynamic_zone"], manager=manager))
    lines += [_curfew(c, manager=manager) for c in conditions.get("curfews", [])]
    if conditions.get("electronic_monitoring"):
        lines.append(_monitoring(conditions["electronic_monitoring"]))
    lines += [_requirement(r) for r in conditions.get("positive_requirements", [])]
    if conditions.get("notification_duty"):
        lines.append("Notification requirements apply (name and address, s41)")
    return lines


def duty_state(duty: OrderDuty, now: datetime) -> str:
    """open, due soon, overdue, done, done late or cancelled: what the clocks table shows."""
    if duty.status is DutyStatus.CANCELLED:
        return "cancelled"
    if duty.status is DutyStatus.DONE:
        late = duty.done_at is not None and clocks.is_overdue(duty.due_at, duty.done_at)
        return "done late" if late else "done"
    if duty.status is DutyStatus.OVERDUE or clocks.is_overdue(duty.due_at, now):
        return "overdue"
    return "due soon" if duty.due_at - now <= DUE_SOON else "open"


def duty_words(duty: OrderDuty) -> str:
    text = DUTY_WORDS.get(duty.kind, duty.kind.value)
    return f"{text} ({duty.requirement_id})" if duty.requirement_id else text


def order_type(value: object) -> str:
    key = getattr(value, "value", value)
    return next((words for t, words in TYPE_WORDS.items() if t.value == key), str(key))


TEMPLATES.env.filters["order_type"] = order_type
