"""DAPN and DAPO clocks: 48/24 counted hours that skip Sundays and holidays, 3-day duties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heard.orders.clocks import (
    LONDON,
    add_counted_hours,
    dapn_breach_court_deadline,
    dapn_hearing_deadline,
    dapo_change_notification_deadline,
    dapo_initial_notification_deadline,
    is_excluded_day,
    is_overdue,
)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_a_dapn_given_on_saturday_at_23_00_skips_sunday_and_is_heard_by_tuesday_23_00() -> None:
    assert dapn_hearing_deadline(utc(2026, 1, 17, 23)) == utc(2026, 1, 20, 23)


def test_a_dapn_given_on_a_sunday_starts_counting_at_monday_midnight() -> None:
    assert dapn_hearing_deadline(utc(2026, 1, 18, 15)) == utc(2026, 1, 21, 0)


def test_a_dapn_given_before_easter_skips_good_friday_sunday_and_easter_monday() -> None:
    # Thursday 2 April 2026 10:00 BST: 14 h Thu, Sat 24 h, Tue 10 h.
    given_at = datetime(2026, 4, 2, 10, tzinfo=LONDON)
    expected = datetime(2026, 4, 7, 10, tzinfo=LONDON)
    assert dapn_hearing_deadline(given_at) == expected.astimezone(UTC)


def test_a_dapn_given_on_christmas_eve_2026_skips_christmas_to_the_boxing_day_substitute() -> None:
    # Fri 25 (Christmas), Sat 26 (Boxing Day), Sun 27, Mon 28 (substitute) are all excluded.
    assert dapn_hearing_deadline(utc(2026, 12, 24, 18)) == utc(2026, 12, 30, 18)


def test_christmas_on_a_saturday_skips_both_substitute_days_of_2027() -> None:
    assert dapn_hearing_deadline(utc(2027, 12, 24, 12)) == utc(2027, 12, 30, 12)


def test_a_dapn_given_before_the_august_bank_holiday_skips_sunday_and_monday() -> None:
    given_at = datetime(2026, 8, 29, 20, tzinfo=LONDON)
    expected = datetime(2026, 9, 2, 20, tzinfo=LONDON)
    assert dapn_hearing_deadline(given_at) == expected.astimezone(UTC)


def test_the_spring_clock_change_falls_on_an_excluded_sunday_so_local_time_is_kept() -> None:
    # Sat 28 March 2026 20:00 GMT: 4 h, skip the 23-hour Sunday, 24 h Mon, 20 h Tue (BST).
    deadline = dapn_hearing_deadline(utc(2026, 3, 28, 20))
    assert deadline == utc(2026, 3, 31, 19)
    assert deadline.astimezone(LONDON).hour == 20


def test_the_autumn_clock_change_sunday_is_25_hours_long_and_skipped_whole() -> None:
    given_at = datetime(2026, 10, 24, 22, tzinfo=LONDON)
    assert dapn_hearing_deadline(given_at) == utc(2026, 10, 27, 22)


def test_a_period_ending_exactly_at_an_excluded_midnight_ends_there_not_after() -> None:
    assert dapn_hearing_deadline(utc(2026, 1, 15, 0)) == utc(2026, 1, 17, 0)
    assert dapn_hearing_deadline(utc(2026, 1, 16, 0)) == utc(2026, 1, 18, 0)


def test_a_dapn_breach_arrest_on_saturday_comes_before_the_court_by_monday() -> None:
    assert dapn_breach_court_deadline(utc(2026, 1, 17, 10)) == utc(2026, 1, 19, 10)


def test_a_dapn_breach_arrest_goes_to_the_dapo_hearing_if_that_is_sooner() -> None:
    hearing = utc(2026, 1, 19, 9)
    assert dapn_breach_court_deadline(utc(2026, 1, 17, 10), hearing) == hearing
    later = utc(2026, 1, 19, 11)
    assert dapn_breach_court_deadline(utc(2026, 1, 17, 10), later) == utc(2026, 1, 19, 10)


@pytest.mark.parametrize(
    ("day", "excluded"),
    [
        (date(2026, 12, 25), True),  # Christmas Day
        (date(2026, 4, 3), True),  # Good Friday
        (date(2026, 4, 6), True),  # Easter Monday
        (date(2026, 12, 26), True),  # Boxing Day on a Saturday: a bank holiday (BFDA Sch. 1)
        (date(2026, 12, 28), True),  # its substitute Monday
        (date(2022, 1, 1), False),  # New Year's Day on a Saturday: the Monday is the holiday
        (date(2022, 1, 3), True),
        (date(2022, 9, 19), True),  # one-off: state funeral
        (date(2023, 5, 8), True),  # one-off: coronation
        (date(2026, 1, 17), False),  # an ordinary Saturday
        (date(2026, 1, 18), True),  # any Sunday
        (date(2026, 1, 14), False),  # an ordinary Wednesday
    ],
)
def test_excluded_days_are_sundays_christmas_good_friday_and_bank_holidays(
    day: date, excluded: bool
) -> None:
    assert is_excluded_day(day) is excluded


def test_the_holidays_package_lists_good_friday_and_christmas_day_for_england() -> None:
    listed = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2031))
    for year in range(2024, 2031):
        assert date(year, 12, 25) in listed
    assert listed.get(date(2026, 4, 3)) == "Good Friday"
    assert listed.get(date(2030, 4, 19)) == "Good Friday"


def test_the_initial_dapo_notification_is_due_at_the_end_of_the_third_day_counting_the_first() -> (
    None
):
    # Made Friday: Fri, Sat, Sun; due at local midnight ending Sunday (no days are skipped).
    assert dapo_initial_notification_deadline(utc(2026, 1, 16, 15)) == utc(2026, 1, 19, 0)


def test_notification_days_are_london_days_not_utc_days() -> None:
    # 00:30 BST on Thursday 11 June is still Wednesday in UTC; Thursday is day one.
    made = datetime(2026, 6, 11, 0, 30, tzinfo=LONDON)
    assert dapo_initial_notification_deadline(made) == utc(2026, 6, 13, 23)


def test_a_change_of_address_across_the_spring_clock_change_is_due_at_bst_midnight() -> None:
    assert dapo_change_notification_deadline(utc(2026, 3, 28, 23, 30)) == utc(2026, 3, 30, 23)


def test_a_notification_made_late_is_overdue_and_one_made_in_time_is_not() -> None:
    due = utc(2026, 1, 19, 0)
    assert is_overdue(due, utc(2026, 1, 19, 0, 0, 1))
    assert not is_overdue(due, utc(2026, 1, 18, 23))
    assert not is_overdue(due, utc(2026, 1, 25), done_at=utc(2026, 1, 18, 9))
    assert is_overdue(due, utc(2026, 1, 25), done_at=utc(2026, 1, 20, 9))


def test_naive_times_and_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        dapn_hearing_deadline(datetime(2026, 1, 17, 23))
    with pytest.raises(ValueError, match="negative"):
        add_counted_hours(utc(2026, 1, 17), -1)


# No deadline: the first call loads a year's holidays, and CI shares 2 cores with other work.
NO_DEADLINE = settings(deadline=None)
instants = st.datetimes(
    min_value=datetime(2021, 1, 1), max_value=datetime(2032, 12, 31), timezones=st.just(UTC)
)


def _counted_between(start: datetime, end: datetime) -> timedelta:
    """Counted time by walking minute by minute: slow, but independent of the implementation."""
    total = timedelta(0)
    step = timedelta(minutes=15)
    cursor = start
    while cursor < end:
        nxt = min(cursor + step, end)
        if not is_excluded_day(cursor.astimezone(LONDON).date()):
            total += nxt - cursor
        cursor = nxt
    return total


@NO_DEADLINE
@given(start=instants.map(lambda t: t.replace(minute=t.minute // 15 * 15, second=0, microsecond=0)))
def test_exactly_48_counted_hours_lie_between_a_notice_and_its_hearing_deadline(
    start: datetime,
) -> None:
    deadline = dapn_hearing_deadline(start)
    assert _counted_between(start, deadline) == timedelta(hours=48)
    assert deadline - start >= timedelta(hours=48)


@NO_DEADLINE
@given(start=instants, first=st.floats(0.01, 60), second=st.floats(0, 60))
def test_counting_in_two_steps_ends_where_counting_at_once_does(
    start: datetime, first: float, second: float
) -> None:
    once = add_counted_hours(start, first + second)
    twice = add_counted_hours(add_counted_hours(start, first), second)
    assert abs(once - twice) <= timedelta(microseconds=2)


@NO_DEADLINE
@given(a=instants, b=instants)
def test_a_later_notice_never_has_an_earlier_deadline(a: datetime, b: datetime) -> None:
    early, late = sorted((a, b))
    assert dapn_hearing_deadline(early) <= dapn_hearing_deadline(late)
