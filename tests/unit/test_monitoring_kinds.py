"""Proximity, curfews, no-signal gaps, tamper and low battery, each on a constructed track."""

from __future__ import annotations

from datetime import UTC, datetime, time

from heard.orders.monitoring import CurfewSpec, Home, OrderSpec, Point
from tests.support.tracks import CENTRE, fix, of_kind, run, summary, ts

HOME = Home(CENTRE[0], CENTRE[1], 100.0)


def proximity_order(metres: float | None = 300.0) -> OrderSpec:
    return OrderSpec("O1", "S1", protected_device="V1", proximity_m=metres)


def victim_every_minute(minutes: range, north_m: float = 0.0) -> list[Point]:
    return [fix("V1", ts(m), north_m) for m in minutes]


def test_a_subject_approaching_the_victim_and_leaving_gives_one_confirmed_proximity_alert() -> None:
    subject = [fix("S1", ts(m), north) for m, north in enumerate([3000, 1500, 800, 100, 50])]
    subject += [fix("S1", ts(5 + m), 3000) for m in range(6)]
    subject += [fix("S1", ts(12), 20)]
    alerts = run([proximity_order()], victim_every_minute(range(13)) + subject)
    assert summary(alerts) == [
        ("proximity", "", "2026-01-14T12:03:00Z", "confirmed"),
        ("proximity", "", "2026-01-14T12:12:00Z", "confirmed"),
    ]


def test_proximity_within_the_two_accuracies_of_the_limit_is_possible() -> None:
    # d = 320, accuracies 20 + 20: d - 40 < 300 (met) but d + 40 > 300 (not confirmed).
    track = [fix("V1", ts(0), acc=20), fix("S1", ts(0.5), 320, acc=20)]
    assert summary(run([proximity_order()], track)) == [
        ("proximity", "", "2026-01-14T12:00:30Z", "possible")
    ]


def test_a_victim_silent_for_more_than_ten_minutes_gives_no_proximity_either_way() -> None:
    stale = [fix("V1", ts(0)), fix("S1", ts(10, base=_plus_seconds(1)), 10)]
    assert run([proximity_order()], stale) == []
    fresh_at_the_limit = [fix("V1", ts(0)), fix("S1", ts(10), 10)]  # exactly 600 s: fresh
    assert len(run([proximity_order()], fresh_at_the_limit)) == 1


def _plus_seconds(seconds: int) -> datetime:
    return datetime(2026, 1, 14, 12, 0, seconds, tzinfo=UTC)


def test_a_victim_point_at_the_same_time_as_the_subject_point_counts() -> None:
    assert len(run([proximity_order()], [fix("S1", ts(0), 10), fix("V1", ts(0))])) == 1


def test_a_victim_point_that_arrives_after_the_subject_point_is_still_used_in_time_order() -> None:
    arrival_order = [fix("V1", ts(0), 5000), fix("S1", ts(1), 10), fix("V1", ts(0.9))]
    assert len(run([proximity_order()], arrival_order)) == 1


def test_proximity_m_null_means_no_proximity_alerts_even_with_a_protected_device() -> None:
    track = [fix("V1", ts(0)), fix("S1", ts(0.5), 10)]
    assert run([proximity_order(None)], track) == []


def test_the_protected_device_itself_never_raises_alerts() -> None:
    order = OrderSpec(
        "O1", "S1", protected_device="V1", proximity_m=300, no_signal_minutes=15, low_battery_pct=20
    )
    victim = [fix("V1", ts(m * 30), battery=5, tamper=True) for m in range(4)]
    assert run([order], victim) == []


def curfew_order(days: set[int], start: time, end: time) -> OrderSpec:
    return OrderSpec("O1", "S1", curfews=(CurfewSpec(frozenset(days), start, end, HOME),))


MONDAY_NIGHT = curfew_order({0}, time(21), time(7))


def test_a_curfew_crossing_midnight_alerts_from_the_first_point_away_from_home() -> None:
    base = datetime(2026, 1, 12, 20, tzinfo=UTC)  # Monday 20:00 GMT
    track = [fix("S1", ts(m * 30, base=base), 2000) for m in range(24)]  # away all night
    assert summary(run([MONDAY_NIGHT], track)) == [
        ("curfew", "curfew0@2026-01-12", "2026-01-12T21:00:00Z", "confirmed")
    ]


def test_the_next_curfew_window_starts_afresh_after_the_last_one_ended() -> None:
    nightly = curfew_order({0, 1}, time(21), time(7))
    base = datetime(2026, 1, 12, 20, tzinfo=UTC)
    track = [fix("S1", ts(m * 30, base=base), 2000) for m in range(24 * 2 * 2)]
    starts = [row[1:3] for row in summary(run([nightly], track))]
    assert starts == [
        ("curfew0@2026-01-12", "2026-01-12T21:00:00Z"),
        ("curfew0@2026-01-13", "2026-01-13T21:00:00Z"),
    ]


def test_days_name_the_day_a_window_starts_not_the_day_it_ends() -> None:
    saturday_night = curfew_order({5}, time(21), time(7))
    sunday_2am = datetime(2026, 1, 18, 2, tzinfo=UTC)
    assert len(run([saturday_night], [fix("S1", ts(base=sunday_2am), 2000)])) == 1
    saturday_2am = datetime(2026, 1, 17, 2, tzinfo=UTC)  # Friday's window: not a curfew night
    assert run([saturday_night], [fix("S1", ts(base=saturday_2am), 2000)]) == []


def test_a_window_that_started_before_the_feed_still_counts() -> None:
    saturday_night = curfew_order({5}, time(21), time(7))
    feed_start = datetime(2026, 1, 18, 0, tzinfo=UTC)
    alerts = run([saturday_night], [fix("S1", ts(60, base=feed_start), 2000)])
    assert summary(alerts)[0][1:3] == ("curfew0@2026-01-17", "2026-01-18T01:00:00Z")


def test_on_the_spring_clock_change_night_the_curfew_ends_at_07_00_bst_which_is_06_00_utc() -> None:
    saturday_night = curfew_order({5}, time(21), time(7))
    inside_window = datetime(2026, 3, 29, 5, 30, tzinfo=UTC)  # 06:30 BST
    after_window = datetime(2026, 3, 29, 6, 30, tzinfo=UTC)  # 07:30 BST
    assert len(run([saturday_night], [fix("S1", ts(base=inside_window), 2000)])) == 1
    assert run([saturday_night], [fix("S1", ts(base=after_window), 2000)]) == []


def test_on_the_autumn_clock_change_night_the_curfew_runs_an_hour_longer_in_utc() -> None:
    saturday_night = curfew_order({5}, time(21), time(7))
    starts_at = datetime(2026, 10, 24, 20, 0, tzinfo=UTC)  # 21:00 BST
    before_start = datetime(2026, 10, 24, 19, 59, tzinfo=UTC)
    late_in_window = datetime(2026, 10, 25, 6, 59, tzinfo=UTC)  # 06:59 GMT
    for moment, expected in ((starts_at, 1), (before_start, 0), (late_in_window, 1)):
        assert len(run([saturday_night], [fix("S1", ts(base=moment), 2000)])) == expected


def test_inside_home_within_accuracy_is_neither_and_just_outside_it_is_possible() -> None:
    base = datetime(2026, 1, 12, 22, tzinfo=UTC)
    assert run([MONDAY_NIGHT], [fix("S1", ts(base=base), 90, acc=50)]) == []
    [alert] = run([MONDAY_NIGHT], [fix("S1", ts(base=base), 120, acc=50)])
    assert alert.confidence == "possible"


def test_points_outside_the_curfew_window_are_not_considered() -> None:
    base = datetime(2026, 1, 12, 7, tzinfo=UTC)  # Monday daytime
    track = [fix("S1", ts(m * 60, base=base), 5000) for m in range(13)]  # 07:00 to 19:00
    assert run([MONDAY_NIGHT], track) == []


def silent_order(minutes: float = 15, order_id: str = "O1") -> OrderSpec:
    return OrderSpec(order_id, "S1", no_signal_minutes=minutes)


def test_a_gap_longer_than_the_limit_raises_no_signal_at_the_moment_it_could_be_known() -> None:
    track = [fix("S1", ts(0)), fix("S1", ts(20)), fix("S1", ts(21))]
    assert summary(run([silent_order()], track)) == [
        ("no_signal", "", "2026-01-14T12:15:00Z", "confirmed")
    ]


def test_a_gap_of_exactly_the_limit_is_not_a_no_signal() -> None:
    assert run([silent_order()], [fix("S1", ts(0)), fix("S1", ts(15))]) == []


def test_silence_until_the_end_of_the_feed_raises_no_signal_when_another_device_goes_on() -> None:
    track = [fix("S1", ts(0)), fix("X-other", ts(30))]
    assert summary(run([silent_order()], track)) == [
        ("no_signal", "", "2026-01-14T12:15:00Z", "confirmed")
    ]
    assert run([silent_order()], [fix("S1", ts(0)), fix("X-other", ts(15))]) == []


def test_a_device_on_two_orders_gets_a_no_signal_alert_for_each_order() -> None:
    orders = [silent_order(15, "O1"), silent_order(30, "O2")]
    alerts = run(orders, [fix("S1", ts(0)), fix("S1", ts(40))])
    assert [(a.order_id, a.start_ts) for a in alerts] == [("O1", ts(15)), ("O2", ts(30))]


def tamper_order() -> OrderSpec:
    return OrderSpec("O1", "S1")


def test_a_flickering_strap_sensor_gives_one_tamper_episode() -> None:
    flags = [1, 0, 1, 0, 0, 1]
    track = [fix("S1", ts(m), tamper=bool(f)) for m, f in enumerate(flags)]
    assert summary(run([tamper_order()], track)) == [
        ("tamper", "", "2026-01-14T12:00:00Z", "confirmed")
    ]


def test_tamper_closes_after_three_clean_points_over_five_minutes_and_can_reopen() -> None:
    flags = [1, 0, 0, 0, 0, 0, 0, 1]
    track = [fix("S1", ts(m), tamper=bool(f)) for m, f in enumerate(flags)]
    starts = [a.start_ts for a in of_kind(run([tamper_order()], track), "tamper")]
    assert starts == [ts(0), ts(7)]


def battery_order() -> OrderSpec:
    return OrderSpec("O1", "S1", low_battery_pct=20)


def test_low_battery_jitter_round_the_threshold_gives_one_alert() -> None:
    readings = [22, 19, 20, 21, 19, 25, 20, 19]  # 25 is not > 20 + 5, so it never closes
    track = [fix("S1", ts(m), battery=b) for m, b in enumerate(readings)]
    assert summary(run([battery_order()], track)) == [
        ("low_battery", "", "2026-01-14T12:01:00Z", "confirmed")
    ]


def test_low_battery_closes_above_the_hysteresis_band_and_reopens_below_the_threshold() -> None:
    readings = [19, 26, 19.9]
    track = [fix("S1", ts(m), battery=b) for m, b in enumerate(readings)]
    assert [a.start_ts for a in run([battery_order()], track)] == [ts(0), ts(2)]


def test_a_reading_at_the_threshold_is_not_low_and_a_missing_reading_changes_nothing() -> None:
    assert run([battery_order()], [fix("S1", ts(0), battery=20)]) == []
    track = [fix("S1", ts(0), battery=10), fix("S1", ts(1), battery=None), fix("S1", ts(2))]
    alerts = run([battery_order()], track)
    assert [(a.start_ts, a.end_ts) for a in alerts] == [(ts(0), ts(2))]


def test_points_move_far_from_home_without_any_condition_raise_nothing() -> None:
    track = [fix("S1", ts(m), 10_000 * m) for m in range(3)]
    assert run([OrderSpec("O1", "S1")], track) == []
