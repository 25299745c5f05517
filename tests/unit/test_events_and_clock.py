from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heard.clock import ensure_utc, utcnow
from heard.events import DomainEvent, InProcessBus


@dataclass(frozen=True, kw_only=True)
class Happened(DomainEvent):
    what: str


def test_subscribers_receive_events_of_their_type():
    bus, seen = InProcessBus(), []
    bus.subscribe(Happened, seen.append)
    bus.publish(Happened(force_id=1, what="x"))
    assert [e.what for e in seen] == ["x"]


def test_one_failing_subscriber_does_not_stop_the_others():
    bus, seen = InProcessBus(), []

    def broken(_event):
        raise RuntimeError("subscriber bug")

    bus.subscribe(Happened, broken)
    bus.subscribe(Happened, seen.append)
    bus.publish(Happened(force_id=1, what="y"))
    assert len(seen) == 1


def test_event_times_are_utc_aware():
    assert Happened(force_id=1, what="z").occurred_at.tzinfo is not None
    assert utcnow().utcoffset() == timedelta(0)


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError, match="time zone"):
        ensure_utc(datetime(2026, 1, 1))


@given(st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=5))])))
def test_any_aware_time_converts_to_the_same_instant_in_utc(value):
    converted = ensure_utc(value)
    assert converted == value
    assert converted.utcoffset() == timedelta(0)
