"""Reading the replay inputs: points.csv rows, times, and orders.json with its optional parts."""

from __future__ import annotations

import io
import math
from datetime import time

import pytest

from heard.orders.monitoring import PointError, SpecError, make_point, parse_orders
from heard.orders.monitoring.points import (
    RejectedRow,
    format_ts,
    parse_ts,
    read_points,
)
from heard.orders.monitoring.spec import CurfewSpec

HEADER = "device_id,ts,lat,lon,accuracy_m,battery_pct,tamper\n"


def test_points_csv_rows_come_in_file_order_and_bad_rows_are_reported_not_fatal() -> None:
    text = (
        "\ufeff" + HEADER + "T1,2026-01-14T12:00:05Z,54.5,-1.2,5,80,0\n"
        "T1,2026-01-14T12:00:00Z,54.5,-1.2,5,,1\n"
        "T1,yesterday,54.5,-1.2,5,80,0\n"
        "T2,2026-01-14T12:00:01Z,95,-1.2,5,80,0\n"
        "T3,2026-01-14T12:00:02,54.5,-1.2,5,80,0\n"
    )
    stream = io.StringIO(text.encode("utf-8").decode("utf-8-sig"), newline="")
    rejected: list[RejectedRow] = []
    points = list(read_points(stream, rejected))
    assert [(p.ts, p.battery, p.tamper) for p in points] == [
        (parse_ts("2026-01-14T12:00:05Z"), 80.0, False),
        (parse_ts("2026-01-14T12:00:00Z"), None, True),
    ]
    assert [(r.line, r.reason.split(":")[0]) for r in rejected] == [
        (4, "not an ISO-8601 time"),
        (5, "latitude out of range"),
        (6, "time has no zone (add Z for UTC)"),
    ]


def test_a_points_file_without_the_contract_columns_is_refused() -> None:
    with pytest.raises(PointError, match="lacks columns: tamper"):
        list(read_points(io.StringIO("device_id,ts,lat,lon,accuracy_m,battery_pct\n"), []))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lat", 90.5, "latitude"),
        ("lon", math.nan, "longitude"),
        ("accuracy_m", -1.0, "accuracy_m"),
        ("battery", math.inf, "battery_pct"),
        ("ts", parse_ts("1969-12-31T00:00:00Z"), "time out of range"),
        ("device_id", "", "device_id"),
    ],
)
def test_points_with_impossible_values_are_refused(field: str, value: object, message: str) -> None:
    values: dict[str, object] = {
        "device_id": "T1",
        "ts": parse_ts("2026-01-14T12:00:00Z"),
        "lat": 54.5,
        "lon": -1.2,
        "accuracy_m": 5.0,
        "battery": 50.0,
        "tamper": False,
    }
    values[field] = value
    with pytest.raises(PointError, match=message):
        make_point(**values)  # type: ignore[arg-type]


def test_times_keep_their_microseconds_and_print_back_in_utc_with_a_z() -> None:
    assert format_ts(parse_ts("2026-01-14T12:00:00Z")) == "2026-01-14T12:00:00Z"
    assert format_ts(parse_ts("2026-01-14T13:00:00.25+01:00")) == "2026-01-14T12:00:00.250000Z"


def test_orders_json_fills_optional_parts_and_ignores_unknown_keys() -> None:
    [order] = parse_orders(
        {
            "orders": [
                {
                    "order_id": 7,
                    "subject_device": 1001,
                    "note": "not part of the contract",
                    "curfews": [
                        {
                            "days": ["Sat", "sun"],
                            "start": "21:30",
                            "end": "06:00",
                            "home": {"lat": 54.5, "lon": -1.2, "radius_m": 50},
                        }
                    ],
                }
            ]
        }
    )
    assert order.order_id == 7
    assert order.subject_device == "1001"
    assert (order.zones, order.protected_device, order.proximity_m) == ((), None, None)
    assert (order.no_signal_minutes, order.low_battery_pct) == (None, None)
    [curfew] = order.curfews
    assert isinstance(curfew, CurfewSpec)
    assert (curfew.days, curfew.start, curfew.end) == (frozenset({5, 6}), time(21, 30), time(6))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"orders": [{"order_id": 1, "subject_device": "a"}] * 2}, "appears twice"),
        ({"orders": [{"order_id": 1}]}, "subject_device"),
        ({"order": []}, "orders"),
        (
            {
                "orders": [
                    {
                        "order_id": 1,
                        "subject_device": "a",
                        "curfews": [
                            {"days": ["fri"], "start": "24:00", "end": "06:00", "home": {}}
                        ],
                    }
                ]
            },
            "HH:MM",
        ),
        (
            {
                "orders": [
                    {
                        "order_id": 1,
                        "subject_device": "a",
                        "curfews": [{"days": ["funday"], "start": "21:00", "end": "06:00"}],
                    }
                ]
            },
            "unknown day names",
        ),
    ],
)
def test_orders_that_break_the_contract_are_refused_with_the_reason(
    document: dict[str, object], message: str
) -> None:
    with pytest.raises(SpecError, match=message):
        parse_orders(document)
