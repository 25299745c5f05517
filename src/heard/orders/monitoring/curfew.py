"""Curfew windows in Europe/London wall-clock time, located for a UTC instant (rules §4 curfew)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from heard.orders.monitoring.points import US_PER_S, from_us, to_us
from heard.orders.monitoring.spec import CurfewSpec

LONDON = ZoneInfo("Europe/London")
US_PER_HOUR = 3600 * US_PER_S
US_PER_DAY = 24 * US_PER_HOUR
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
EPOCH_WEEKDAY = date(1970, 1, 1).weekday()

# UK offsets change only on whole UTC hours, so one lookup per UTC hour serves every point in it.
_offset_by_hour: dict[int, int] = {}


def london_day(ts: int) -> int:
    """The Europe/London calendar day of a UTC instant, as days since 1970-01-01."""
    hour = ts // US_PER_HOUR
    offset = _offset_by_hour.get(hour)
    if offset is None:
        delta = from_us(hour * US_PER_HOUR).astimezone(LONDON).utcoffset() or timedelta(0)
        offset = delta // timedelta(microseconds=1)
        _offset_by_hour[hour] = offset
    return (ts + offset) // US_PER_DAY


def weekday_of(day: int) -> int:
    return (day + EPOCH_WEEKDAY) % 7


def _wall_clock_us(day: int, hours: int, minutes: int) -> int:
    # fold=0 for a non-existent or repeated local time, as the rules say (zoneinfo's default).
    local = datetime(1970, 1, 1, hours, minutes, tzinfo=LONDON) + timedelta(days=day)
    # Aware + timedelta is wall-clock arithmetic in Python, which is what a local date needs.
    return to_us(local.astimezone(UTC))


class CurfewWindows:
    """Finds the window instance of one curfew that contains an instant, with bounds cached."""

    __slots__ = ("_bounds", "_crosses", "spec")

    def __init__(self, spec: CurfewSpec) -> None:
        self.spec = spec
        # end == start is a 24-hour window by the rules' "else" branch, so it crosses midnight too.
        self._crosses = spec.end <= spec.start
        self._bounds: dict[int, tuple[int, int]] = {}

    def bounds(self, day: int) -> tuple[int, int]:
        """UTC [start, end) of the window that starts on local `day`."""
        cached = self._bounds.get(day)
        if cached is None:
            start = _wall_clock_us(day, self.spec.start.hour, self.spec.start.minute)
            end_day = day + 1 if self._crosses else day
            end = _wall_clock_us(end_day, self.spec.end.hour, self.spec.end.minute)
            cached = (start, end)
            if len(self._bounds) > 64:
                self._bounds.clear()
            self._bounds[day] = cached
        return cached

    def window_at(self, ts: int) -> int | None:
        """The local start day of the window containing `ts`, or None outside every window."""
        today = london_day(ts)
        # A window containing ts started today or, crossing midnight, yesterday; never earlier.
        for day in (today, today - 1):
            if weekday_of(day) in self.spec.days:
                start, end = self.bounds(day)
                if start <= ts < end:
                    return day
        return None

    def end_of(self, day: int) -> int:
        return self.bounds(day)[1]


def day_label(day: int) -> str:
    return date.fromordinal(EPOCH_ORDINAL + day).isoformat()
