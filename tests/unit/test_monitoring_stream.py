"""The stream: duplicates, points out of order, devices interleaved, and the live path's view."""

from __future__ import annotations

import random

from heard.orders.monitoring import Alert, MonitoringProcessor, OrderSpec, Point
from heard.orders.monitoring.geo import CircleZone
from heard.orders.monitoring.replay import replay_points
from tests.support.tracks import CENTRE, fix, run, summary, ts

ZONE = CircleZone("home", CENTRE[0], CENTRE[1], 200.0)


def zone_order(order_id: str = "O1", device: str = "S1") -> OrderSpec:
    return OrderSpec(order_id, device, zones=(ZONE,), no_signal_minutes=15, low_battery_pct=20)


def in_and_out(device: str = "S1", offset_s: float = 0) -> list[Point]:
    places = [1000, 100, 50, *([1000] * 6), 20, 1000]
    return [fix(device, ts(m + offset_s / 60), north) for m, north in enumerate(places)]


def test_duplicated_rows_give_the_same_alerts_as_single_rows_and_are_counted() -> None:
    track = in_and_out()
    doubled = [p for point in track for p in (point, point)]
    alerts, stats = replay_points([zone_order()], doubled)
    assert alerts == run([zone_order()], track)
    assert stats.duplicates == len(track)


def test_two_different_points_with_the_same_device_and_time_keep_the_first() -> None:
    inside, outside = fix("S1", ts(0), 0), fix("S1", ts(0), 5000)
    assert len(run([zone_order()], [inside, outside])) == 1
    assert run([zone_order()], [outside, inside]) == []


def test_points_up_to_15_seconds_out_of_order_give_the_alerts_of_the_sorted_feed() -> None:
    track = sorted(in_and_out() + in_and_out("S2", 7), key=lambda p: p.ts)
    rng = random.Random(8)
    shuffled = sorted(track, key=lambda p: p.ts + rng.uniform(0, 15e6))
    assert shuffled != track
    orders = [zone_order(), zone_order("O2", "S2")]
    assert run(orders, shuffled) == run(orders, track)


def test_interleaved_devices_each_get_their_own_episodes() -> None:
    track = sorted(in_and_out("S1") + in_and_out("S2", 20), key=lambda p: p.ts)
    alerts = run([zone_order("O1", "S1"), zone_order("O2", "S2")], track)
    by_device = {(a.device_id, a.order_id, a.start_ts) for a in alerts}
    assert by_device == {
        ("S1", "O1", ts(1)),
        ("S1", "O1", ts(9)),
        ("S2", "O2", ts(1 + 20 / 60)),
        ("S2", "O2", ts(9 + 20 / 60)),
    }


def test_a_point_older_than_its_devices_processed_points_is_dropped_and_counted() -> None:
    # By minute 8 the watermark (60 s behind) has processed minute 2, so minute 1 is too late.
    track = [fix("S1", ts(0), 1000), fix("S1", ts(2), 1000), fix("S1", ts(8), 1000)]
    track.append(fix("S1", ts(1), 0))
    alerts, stats = replay_points([zone_order()], track, lateness_s=60)
    assert alerts == []
    assert stats.late_dropped == 1


def test_a_late_point_still_in_its_devices_order_is_processed_rather_than_lost() -> None:
    track = [fix("S1", ts(0), 1000), fix("S2", ts(5), 1000), fix("S1", ts(1), 0)]
    alerts, stats = replay_points([zone_order()], track, lateness_s=60)
    assert [a.start_ts for a in alerts] == [ts(1)]
    assert stats.late_dropped == 0


def test_devices_in_no_order_raise_nothing_and_are_counted() -> None:
    alerts, stats = replay_points([zone_order()], [fix("STRANGER", ts(0), 0, tamper=True)])
    assert alerts == []
    assert stats.unmonitored == 1


def test_the_live_path_sees_an_entry_open_as_soon_as_the_watermark_passes_it() -> None:
    processor = MonitoringProcessor([zone_order()], lateness_s=15)
    assert processor.ingest(fix("S1", ts(0), 0, acc=300)) == []  # held for late arrivals
    [opened] = processor.ingest(fix("S1", ts(0.5), 0, acc=300))
    assert (opened.start_ts, opened.confidence, opened.end_ts) == (ts(0), "possible", None)
    processor.ingest(fix("S1", ts(1), 0, acc=5))
    [upgraded] = processor.advance(ts(1))
    assert upgraded.episode_key == opened.episode_key
    assert upgraded.confidence == "confirmed"


def test_the_live_path_raises_no_signal_before_the_device_speaks_again() -> None:
    processor = MonitoringProcessor([zone_order()], lateness_s=15)
    processor.ingest_many([fix("S1", ts(0), 5000), fix("S1", ts(1), 5000)])
    assert processor.advance(ts(16)) == []  # exactly 15 minutes of silence: not yet
    [opened] = processor.advance(ts(16.01))
    assert (opened.kind, opened.start_ts, opened.end_ts) == ("no_signal", ts(16), None)
    processor.ingest(fix("S1", ts(30), 5000))
    [closed] = processor.finish()
    assert closed.episode_key == opened.episode_key
    assert closed.end_ts == ts(30)


def test_replay_and_live_batches_give_the_same_final_episodes() -> None:
    track = sorted(in_and_out("S1") + in_and_out("S2", 3), key=lambda p: p.ts)
    orders = [zone_order("O1", "S1"), zone_order("O2", "S2")]
    processor = MonitoringProcessor(orders, lateness_s=60)
    final: dict[tuple[str, str, str, str, int], Alert] = {}
    for start in range(0, len(track), 3):
        for alert in processor.ingest_many(track[start : start + 3]):
            final[alert.episode_key] = alert
    for alert in processor.finish():
        final[alert.episode_key] = alert
    assert sorted(final.values(), key=lambda a: (a.start_ts, a.device_id)) == sorted(
        run(orders, track), key=lambda a: (a.start_ts, a.device_id)
    )


def test_a_feed_with_no_points_raises_nothing() -> None:
    assert run([zone_order()], []) == []


def test_a_second_order_on_the_same_device_reports_its_own_order_id() -> None:
    alerts = run([zone_order("O1"), zone_order("O2")], [fix("S1", ts(0), 0)])
    assert summary(alerts) == [
        ("zone_entry", "home", "2026-01-14T12:00:00Z", "confirmed"),
        ("zone_entry", "home", "2026-01-14T12:00:00Z", "confirmed"),
    ]
    assert sorted(str(a.order_id) for a in alerts) == ["O1", "O2"]


def test_a_point_exactly_the_lateness_behind_the_newest_is_still_in_time() -> None:
    order = OrderSpec("O1", "S1", protected_device="V1", proximity_m=300)
    at_45s = ts(0.75)
    arrival = [fix("S1", at_45s, 10), fix("S2", ts(1)), fix("V1", at_45s)]
    assert len(run([order], arrival, lateness_s=15)) == 1
    assert run([order], arrival, lateness_s=14.9) == []
