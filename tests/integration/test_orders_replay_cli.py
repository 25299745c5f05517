"""`heard orders replay DIR` end to end: files in, one JSON line per alert out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.tracks import moved

HOME = moved(0, 0)
SCHOOL = [
    list(moved(n, e, (54.58, -1.25)))
    for n, e in ((-100, -100), (-100, 100), (100, 100), (100, -100))
]
ORDERS = {
    "orders": [
        {
            "order_id": "DAPO-1",
            "subject_device": "TAG-1",
            "protected_device": "PHONE-1",
            "zones": [
                {
                    "zone_id": "home",
                    "kind": "circle",
                    "lat": HOME[0],
                    "lon": HOME[1],
                    "radius_m": 200,
                },
                {"zone_id": "school", "kind": "polygon", "coords": SCHOOL},
            ],
            "proximity_m": 300,
            "curfews": [
                {
                    "days": ["wed"],
                    "start": "23:00",
                    "end": "06:00",
                    "home": {"lat": 54.60, "lon": -1.30, "radius_m": 100},
                }
            ],
            "no_signal_minutes": 15,
            "low_battery_pct": 20,
        },
        {
            "order_id": "DAPO-2",
            "subject_device": "TAG-2",
            "protected_device": None,
            "zones": [],
            "proximity_m": None,
            "curfews": [],
            "no_signal_minutes": 30,
            "low_battery_pct": 10,
        },
    ]
}


def row(
    device: str,
    when: str,
    place: tuple[float, float],
    acc: float = 10,
    battery: float = 80,
    tamper: int = 0,
) -> str:
    return f"{device},2026-01-14T{when}Z,{place[0]:.7f},{place[1]:.7f},{acc},{battery},{tamper}"


FAR = (54.70, -1.10)
ROWS = [
    row("TAG-1", "12:00:00", FAR),
    row("TAG-2", "12:00:05", FAR, battery=9),
    row("PHONE-1", "12:00:10", moved(0, 250)),
    row("TAG-1", "12:01:00", moved(150, 0), acc=400),  # inside home, within accuracy: possible
    row("TAG-1", "12:01:00", moved(150, 0), acc=400),  # a duplicate row
    row("TAG-1", "12:00:55", FAR),  # five seconds out of order
    row("TAG-1", "12:02:00", moved(0, 0), acc=60, tamper=1),  # zone confirmed; strap opened
    "TAG-1,not-a-time,54.5,-1.2,5,80,0",
    row("STRANGER", "12:03:00", moved(0, 0), tamper=1),
    row("TAG-1", "12:30:00", (54.58, -1.25)),  # after a 28-minute gap, inside the school
    row("TAG-2", "13:00:00", FAR, battery=16),
]


def write_feed(directory: Path) -> None:
    (directory / "orders.json").write_text(json.dumps(ORDERS), encoding="utf-8")
    header = "device_id,ts,lat,lon,accuracy_m,battery_pct,tamper"
    # With a byte-order mark, as spreadsheet exports often have.
    points = "\n".join([header, *ROWS]) + "\n"
    (directory / "points.csv").write_text(points, encoding="utf-8-sig")


def heard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "heard.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_replay_writes_one_json_line_per_episode_with_exactly_the_contract_fields(
    tmp_path: Path,
) -> None:
    write_feed(tmp_path)
    result = heard("orders", "replay", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(
        list(line) == ["device_id", "order_id", "kind", "start_ts", "confidence"] for line in lines
    )
    got = {
        (x["device_id"], x["order_id"], x["kind"], x["start_ts"], x["confidence"]) for x in lines
    }
    assert got == {
        ("TAG-1", "DAPO-1", "zone_entry", "2026-01-14T12:01:00Z", "confirmed"),
        ("TAG-1", "DAPO-1", "proximity", "2026-01-14T12:01:00Z", "possible"),
        ("TAG-1", "DAPO-1", "tamper", "2026-01-14T12:02:00Z", "confirmed"),
        ("TAG-1", "DAPO-1", "no_signal", "2026-01-14T12:17:00Z", "confirmed"),
        ("TAG-1", "DAPO-1", "zone_entry", "2026-01-14T12:30:00Z", "confirmed"),
        ("TAG-1", "DAPO-1", "no_signal", "2026-01-14T12:45:00Z", "confirmed"),
        ("TAG-2", "DAPO-2", "low_battery", "2026-01-14T12:00:05Z", "confirmed"),
        ("TAG-2", "DAPO-2", "no_signal", "2026-01-14T12:30:05Z", "confirmed"),
    }
    assert len(lines) == len(got)
    assert "line 9 skipped" in result.stderr


def test_replay_detail_names_the_zone_and_the_end_of_each_episode(tmp_path: Path) -> None:
    write_feed(tmp_path)
    result = heard("orders", "replay", str(tmp_path), "--detail")
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    zones = {x["condition"] for x in entries if x["kind"] == "zone_entry"}
    assert zones == {"home", "school"}
    gap = next(x for x in entries if x["kind"] == "no_signal" and x["device_id"] == "TAG-1")
    assert gap["end_ts"] == "2026-01-14T12:30:00Z"


def test_replay_explains_a_missing_file_or_a_broken_orders_file_and_exits_2(tmp_path: Path) -> None:
    missing = heard("orders", "replay", str(tmp_path))
    assert missing.returncode == 2
    assert "orders.json not found" in missing.stderr
    write_feed(tmp_path)
    (tmp_path / "orders.json").write_text('{"orders": [{"order_id": 1}]}', encoding="utf-8")
    broken = heard("orders", "replay", str(tmp_path))
    assert broken.returncode == 2
    assert "subject_device" in broken.stderr
    assert broken.stdout == ""
    negative = heard("orders", "replay", str(tmp_path), "--lateness", "-1")
    assert negative.returncode == 2
