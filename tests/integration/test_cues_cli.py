"""`heard cues detect` honours the evaluation contract, end to end in a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from heard.cli import app

CONTRACT_KEYS = {"id", "domestic_abuse", "cues", "evidence"}


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_detect_writes_one_contract_line_per_input_in_a_subprocess(tmp_path: Path) -> None:
    calls = _write(
        tmp_path / "calls.jsonl",
        [
            {"id": "a1", "transcript": "CALLER: my husband has a knife\nHANDLER: where is he\n"
             "CALLER: in the kitchen, he said he'll kill me"},
            {"id": 7, "transcript": "CALLER: my toddler is choking on a grape"},
        ],
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "heard.cli", "cues", "detect", str(calls)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert set(first) == CONTRACT_KEYS and set(second) == CONTRACT_KEYS
    assert first["id"] == "a1" and second["id"] == 7
    assert first["domestic_abuse"] is True
    assert first["cues"] == sorted(first["cues"])
    assert {"WEAPON", "THREAT_TO_KILL", "SUSPECT_PRESENT"} <= set(first["cues"])
    assert set(first["evidence"]) == set(first["cues"])
    assert all(isinstance(quote, str) and quote for q in first["evidence"].values() for quote in q)
    assert second == {"id": 7, "domestic_abuse": False, "cues": [], "evidence": {}}


def test_detect_can_add_the_relationship_on_request(tmp_path: Path) -> None:
    calls = _write(tmp_path / "c.jsonl", [{"id": "x", "transcript": "CALLER: my wife hit me"}])
    result = CliRunner().invoke(app, ["cues", "detect", "--relationship", str(calls)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["relationship"] == "married"


def test_detect_rejects_a_line_without_a_transcript(tmp_path: Path) -> None:
    calls = _write(tmp_path / "bad.jsonl", [{"id": "x"}])
    result = CliRunner().invoke(app, ["cues", "detect", str(calls)])
    assert result.exit_code == 2


def test_evaluate_prints_per_cue_precision_and_recall(tmp_path: Path) -> None:
    labelled = _write(
        tmp_path / "l.jsonl",
        [
            {"id": "1", "transcript": "CALLER: my boyfriend strangled me", "domestic_abuse": True,
             "cues": ["STRANGULATION"], "relationship": "intimate_relationship"},
        ],
    )  # fmt: skip
    result = CliRunner().invoke(app, ["cues", "evaluate", str(labelled)])
    assert result.exit_code == 0, result.output
    assert "| STRANGULATION | 1 | 1.00 | 1.00 | 1.00 |" in result.stdout
    assert "domestic abuse accuracy: 1.000" in result.stdout
