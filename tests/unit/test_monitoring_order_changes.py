"""The live register changes while the processor runs: `MonitoringProcessor.set_orders`."""

from heard.orders.monitoring import Alert, MonitoringProcessor, OrderSpec, Point
from heard.orders.monitoring.geo import CircleZone
from tests.support.tracks import CENTRE, fix, ts

ZONE = CircleZone("home", CENTRE[0], CENTRE[1], 200)


def spec(order_id: int = 1, **extra: object) -> OrderSpec:
    values: dict[str, object] = {"zones": (ZONE,), "no_signal_minutes": 15.0}
    values.update(extra)
    return OrderSpec(order_id=order_id, subject_device="TAG", **values)  # type: ignore[arg-type]


def feed(processor: MonitoringProcessor, point: Point) -> list[Alert]:
    """Ingest a point and declare it the newest: the live path's wall clock does the same."""
    return processor.ingest(point) + processor.advance(point.ts)


def kinds(alerts: list[Alert]) -> list[tuple[str, object, bool]]:
    return [(a.kind.value, a.order_id, a.is_open) for a in alerts]


def test_an_order_added_while_running_raises_from_the_next_point() -> None:
    processor = MonitoringProcessor([], lateness_s=0)
    assert feed(processor, fix("TAG", ts(0), north_m=50)) == []
    processor.set_orders([spec()])
    assert kinds(feed(processor, fix("TAG", ts(1), north_m=50))) == [("zone_entry", 1, True)]


def test_an_unchanged_order_keeps_its_open_episode_across_a_register_change() -> None:
    processor = MonitoringProcessor([spec()], lateness_s=0)
    opened = feed(processor, fix("TAG", ts(0), north_m=50))
    processor.set_orders([spec(), spec(2, zones=())], keys=[1, 2])
    again = feed(processor, fix("TAG", ts(1), north_m=50))
    assert kinds(opened) == [("zone_entry", 1, True)] and again == []


def test_a_changed_order_starts_afresh_and_a_removed_one_stops_raising() -> None:
    processor = MonitoringProcessor([spec()], lateness_s=0)
    feed(processor, fix("TAG", ts(0), north_m=50))
    processor.set_orders([spec()], keys=["1@v2"])
    assert kinds(feed(processor, fix("TAG", ts(1), north_m=50))) == [("zone_entry", 1, True)]
    processor.set_orders([])
    assert processor.advance(ts(60)) == [], "no no_signal for an order that was removed"


def test_an_order_added_to_a_silent_device_still_notices_the_silence() -> None:
    curfew_only = spec(2, zones=(), no_signal_minutes=None)
    processor = MonitoringProcessor([curfew_only], lateness_s=0)
    feed(processor, fix("TAG", ts(0), north_m=3000))
    processor.set_orders([curfew_only, spec()], keys=[2, 1])
    assert kinds(processor.advance(ts(16))) == [("no_signal", 1, True)]


def test_keys_must_be_one_per_order_and_different() -> None:
    processor = MonitoringProcessor([])
    for keys in ([1], [1, 1]):
        try:
            processor.set_orders([spec(), spec(2)], keys=keys)
        except ValueError:
            continue
        raise AssertionError(f"keys {keys} were accepted")
