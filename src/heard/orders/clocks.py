"""Statutory clocks for DAPNs and DAPOs (Domestic Abuse Act 2021 ss26, 29, 41).

Times go in and come out as UTC-aware datetimes; days are Europe/London calendar days, because the
Act counts days as the courts and the public do, in local time. Semantics are in `docs/orders.md`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from heard.clock import ensure_utc

LONDON = ZoneInfo("Europe/London")
DAPN_HEARING_HOURS = 48
DAPN_BREACH_COURT_HOURS = 24
DAPO_NOTIFICATION_DAYS = 3
SATURDAY = 5
SUNDAY = 6


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    """Days the `holidays` package lists for England (identical to Wales), corrected to the law.

    The package lists New Year's Day on its calendar date even when it is a Saturday and the
    proclaimed bank holiday is the Monday after (which it also lists). A Saturday 1 January is
    not a bank holiday, and excluding it would push a safeguarding deadline later than the Act
    allows, so it is dropped. A Saturday Boxing Day stays: BFDA 1971 Sch. 1 makes 26 December a
    bank holiday whenever it is not a Sunday.
    """
    listed = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(
        day for day in listed if not (day.month == 1 and day.day == 1 and day.weekday() == SATURDAY)
    )


def _christmas_or_good_friday(day: date) -> bool:
    if day.month == 12 and day.day == 25:
        return True
    return day == _easter_sunday(day.year) - timedelta(days=2)


@cache
def _easter_sunday(year: int) -> date:
    """Gregorian Easter (Meeus/Jones/Butcher), independent of the holidays package on purpose."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def is_excluded_day(day: date) -> bool:
    """True for a Sunday, Christmas Day, Good Friday or an England-and-Wales bank holiday."""
    return (
        day.weekday() == SUNDAY or _christmas_or_good_friday(day) or day in _bank_holidays(day.year)
    )


def _local_midnight_utc(day: date) -> datetime:
    # Midnight is never inside a UK clock change (they happen at 01:00 UTC), so this is exact.
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def add_counted_hours(start: datetime, hours: float) -> datetime:
    """The instant when `hours` of elapsed time have passed, not counting excluded days.

    Each excluded day removes all its hours (local midnight to local midnight). The count runs in
    real elapsed time: a counted day is always 24 h long, because UK clock changes fall on Sundays.
    If `start` is inside an excluded day, counting begins at the next counted midnight. The result
    is the first instant at which the full period has run, so a period that ends exactly at the
    start of an excluded day ends there rather than after it.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    cursor = ensure_utc(start)
    remaining = timedelta(hours=hours)
    while True:
        day = cursor.astimezone(LONDON).date()
        day_end = _local_midnight_utc(day + timedelta(days=1))
        if not is_excluded_day(day):
            available = day_end - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
        cursor = day_end


def dapn_hearing_deadline(notice_given_at: datetime) -> datetime:
    """Latest time the DAPO application may be heard after a DAPN (s29(2)-(3))."""
    return add_counted_hours(notice_given_at, DAPN_HEARING_HOURS)


def dapn_breach_court_deadline(
    arrested_at: datetime, hearing_at: datetime | None = None
) -> datetime:
    """Latest time a person arrested for breaching a DAPN must be before the court (s26).

    The person must come before the court within 24 counted hours, or at the DAPO hearing if
    that is sooner.
    """
    deadline = add_counted_hours(arrested_at, DAPN_BREACH_COURT_HOURS)
    if hearing_at is not None:
        deadline = min(deadline, ensure_utc(hearing_at))
    return deadline


def notification_deadline(event_at: datetime) -> datetime:
    """End of the 3-day period "beginning with the day" of the event (s41(2), (4)-(6)).

    The event's own local day is day one, so the duty falls due at local midnight at the end of
    the third day. Sundays and holidays are not excluded: s41 does not exclude them.
    """
    day = ensure_utc(event_at).astimezone(LONDON).date()
    return _local_midnight_utc(day + timedelta(days=DAPO_NOTIFICATION_DAYS))


def dapo_initial_notification_deadline(order_made_at: datetime) -> datetime:
    """When the subject must have told the police every name used and the home address."""
    return notification_deadline(order_made_at)


def dapo_change_notification_deadline(change_at: datetime) -> datetime:
    """When a new name, a change of home address or becoming homeless must have been notified."""
    return notification_deadline(change_at)


def is_overdue(deadline: datetime, now: datetime, *, done_at: datetime | None = None) -> bool:
    """Overdue when not done by the deadline: done late counts as overdue, done on time does not."""
    if done_at is not None:
        return ensure_utc(done_at) > deadline
    return ensure_utc(now) > deadline
