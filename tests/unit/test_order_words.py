"""Conditions, duties and typed times in words for the orders pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard import errors
from heard.orders import conditions as conds
from heard.orders.records import DutyKind, DutyStatus, OrderDuty
from heard.web import forms, order_words

DOCUMENT = conds.Conditions.model_validate(
    {
        "no_contact": {"direct": True, "online": True},
        "exclusion_zones": [
            {
                "kind": "circle",
                "zone_id": "home",
                "label": "Ingleby Road",
                "address": "7 Ingleby Road",
                "lat": 54.5742,
                "lon": -1.235,
                "radius_m": 200,
            },
            {
                "kind": "polygon",
                "zone_id": "school",
                "coords": [[54.0, -1.0], [54.0, -1.01], [54.01, -1.0]],
            },
        ],
        "dynamic_zone": {"device_id": "PHONE-1", "radius_m": 500},
        "curfews": [
            {
                "days": ["fri", "sat"],
                "start": "19:00",
                "end": "07:00",
                "home": {"lat": 54.6, "lon": -1.3, "radius_m": 50, "address": "3 Low Lane"},
            }
        ],
        "electronic_monitoring": {"device_id": "TAG-1", "type": "gps"},
        "notification_duty": True,
    }
).document()


def test_a_manager_reads_each_zone_with_its_place_and_the_protected_device():
    lines = order_words.conditions_in_words(DOCUMENT, manager=True)
    assert lines[0] == "No contact: direct, online"
    assert lines[1] == (
        "Exclusion zone: Ingleby Road: within 200 m of 7 Ingleby Road (54.57420, -1.23500)"
    )
    assert lines[2].startswith("Exclusion zone: Zone school: an area with 3 corners")
    assert "device PHONE-1" in lines[3] and "500 m" in lines[3]
    assert (
        lines[4]
        == "Curfew Fri, Sat: 19:00 to 07:00 at the curfew address (within 50 m of 3 Low Lane)"
    )
    assert (
        "GPS device TAG-1; no-signal alert after 15 min; low-battery alert below 20 %" in lines[5]
    )


def test_a_reader_is_told_what_each_condition_is_but_never_where():
    restricted = conds.for_role(DOCUMENT, manager=False)
    text = " ".join(order_words.conditions_in_words(restricted, manager=False))
    for place in ("54.57", "Ingleby", "PHONE-1", "54.0", "Low Lane", "54.6"):
        assert place not in text
    assert "Zone home (circle): location restricted to order managers" in text
    assert "Keep 500 m away from the protected person" in text


def test_words_built_from_a_managers_document_still_hide_places_when_the_reader_is_not_one():
    text = " ".join(order_words.conditions_in_words(DOCUMENT, manager=False))
    assert "54.57" not in text and "PHONE-1" not in text and "Low Lane" not in text


def duty(due: datetime, status: DutyStatus, done_at: datetime | None = None) -> OrderDuty:
    return OrderDuty(kind=DutyKind.NOTIFICATION_INITIAL, due_at=due, status=status, done_at=done_at)


NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (duty(NOW + timedelta(days=2), DutyStatus.OPEN), "open"),
        (duty(NOW + timedelta(hours=3), DutyStatus.OPEN), "due soon"),
        (duty(NOW - timedelta(minutes=1), DutyStatus.OPEN), "overdue"),
        (duty(NOW + timedelta(days=2), DutyStatus.OVERDUE), "overdue"),
        (duty(NOW, DutyStatus.DONE, NOW - timedelta(hours=1)), "done"),
        (duty(NOW, DutyStatus.DONE, NOW + timedelta(hours=1)), "done late"),
        (duty(NOW - timedelta(days=1), DutyStatus.CANCELLED), "cancelled"),
    ],
)
def test_a_duty_reads_as_open_due_soon_overdue_done_late_or_cancelled(made, expected):
    assert order_words.duty_state(made, NOW) == expected


def test_a_typed_local_time_is_read_as_london_time_across_the_clock_change():
    assert forms.local_time("2026-07-01T09:30", field="x") == datetime(
        2026, 7, 1, 8, 30, tzinfo=UTC
    )
    assert forms.local_time("2026-12-01T09:30", field="x") == datetime(
        2026, 12, 1, 9, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("typed", ["", "  ", "yesterday", "2026-13-01T09:00"])
def test_a_missing_or_garbled_time_is_refused_with_the_fields_name(typed):
    with pytest.raises(errors.Invalid, match="time of service"):
        forms.local_time(typed, field="time of service")


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    )
)
def test_what_an_input_shows_reads_back_as_the_same_minute(moment):
    minute = moment.replace(second=0, microsecond=0)
    back = forms.local_time(forms.local_input(minute), field="x")
    # The hour repeated when the clocks go back reads as its first occurrence.
    assert back == minute or back == minute - timedelta(hours=1)
