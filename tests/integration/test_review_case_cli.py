"""`heard review case|rules|chronology`: the evaluation contract, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from heard.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "review-case.json"
CONTRACT_KEYS = ["rule", "severity", "at", "evidence"]


def documented_output() -> list[str]:
    text = (ROOT / "docs" / "review.md").read_text("utf-8")
    block = text.split("<!-- example-output -->", 1)[1].split("```text\n", 1)[1]
    return block.split("```", 1)[0].splitlines()


def run(*args: str):
    return CliRunner().invoke(app, ["review", *args])


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_worked_example_prints_exactly_the_documented_lines_in_a_real_process():
    done = subprocess.run(
        [sys.executable, "-m", "heard.cli", "review", "case", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.splitlines() == documented_output()
    assert done.stderr == ""


def test_every_line_has_exactly_the_contract_keys_and_every_rule_fires_once_in_the_example():
    result = run("case", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(list(line) == CONTRACT_KEYS for line in lines)
    assert len({line["rule"] for line in lines}) == len(lines) == 13


def test_a_history_with_nothing_wrong_prints_nothing_and_succeeds(tmp_path: Path):
    quiet = write(tmp_path / "quiet.json", {"people": [{"id": "p1"}]})
    result = run("case", str(quiet))
    assert result.exit_code == 0 and result.stdout == ""


def test_a_file_that_cannot_be_used_names_the_field_and_exits_1(tmp_path: Path):
    bad = write(tmp_path / "bad.json", {"calls": [{"id": "c1", "received_at": "2025-01-01"}]})
    result = run("case", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "calls.0.received_at" in result.stderr and "time zone" in result.stderr


def test_invalid_json_and_a_missing_file_are_refused_plainly(tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert "not valid JSON at line 1" in run("case", str(broken)).stderr
    missing = run("case", str(tmp_path / "nowhere.json"))
    assert missing.exit_code == 1 and "cannot be read" in missing.stderr


def test_a_forces_thresholds_come_from_the_config_and_the_files_force(tmp_path: Path):
    config = write(
        tmp_path / "rules.json",
        {"forces": {"WMP": {"attendance-beyond-target": {"enabled": False}}}},
    )
    for_wmp = run("case", str(EXAMPLE), "--config", str(config))
    for_nmp = run("case", str(EXAMPLE), "--config", str(config), "--force", "NMP")
    assert "attendance-beyond-target" not in for_wmp.stdout
    assert "attendance-beyond-target" in for_nmp.stdout


def test_a_yaml_config_works_too(tmp_path: Path):
    config = tmp_path / "rules.yaml"
    config.write_text("defaults:\n  breach-no-response:\n    severity: critical\n", "utf-8")
    lines = [
        json.loads(x)
        for x in run("case", str(EXAMPLE), "--config", str(config)).stdout.split("\n")
        if x
    ]
    assert {x["severity"] for x in lines if x["rule"] == "breach-no-response"} == {"critical"}


def test_a_config_that_cannot_be_used_exits_2(tmp_path: Path):
    config = write(tmp_path / "rules.json", {"defaults": {"no-such-rule": {}}})
    result = run("case", str(EXAMPLE), "--config", str(config))
    assert result.exit_code == 2 and "no-such-rule" in result.stderr


def test_rules_lists_every_rule_with_plain_words_and_thresholds():
    result = run("rules")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 13
    repeat = next(x for x in lines if x["rule"] == "repeat-da-no-positive-action")
    assert repeat["thresholds"]["min_calls"] == 3 and repeat["severity"] == "high"


def test_chronology_of_a_pair_lists_entries_in_time_order_with_findings():
    result = run("chronology", str(EXAMPLE), "--victim", "p-victim", "--suspect", "p-suspect")
    assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    records = {e["record"] for e in entries}
    assert {"inc-1", "call-3", "ack-1", "ord-1"} <= records and "inc-0" not in records
    assert any(e["kind"] == "finding" for e in entries)
    assert {"by": "handler 9"}.items() <= next(e for e in entries if e["record"] == "ack-1").items()


def test_chronology_needs_a_known_person():
    assert run("chronology", str(EXAMPLE)).exit_code == 1
    unknown = run("chronology", str(EXAMPLE), "--victim", "nobody")
    assert unknown.exit_code == 1 and "not one of the people" in unknown.stderr


def test_the_rules_package_loads_without_a_database_library():
    code = (
        "import sys, heard.review.rules.cli; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'fastapi', 'alembic')"
        " or m.startswith(('heard.db', 'heard.audit', 'heard.auth'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
