"""`heard cues ...`: run the live detector over transcripts in JSON Lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from heard.signals.cues.detector import CueDetector
from heard.signals.cues.evaluation import evaluate, format_report, load_labelled

cues_app = typer.Typer(help="Risk cues from call transcripts.", no_args_is_help=True)


@cues_app.command("detect")
def detect(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSON Lines: {id, transcript}")
    ],
    relationship: Annotated[
        bool, typer.Option(help="Also write the relationship said on the call (DA Act s2).")
    ] = False,
) -> None:
    """Feed each transcript line by line through the live detector; one JSON line out per input."""
    detector = CueDetector()
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                call_id, transcript = record["id"], record["transcript"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                typer.echo(f"{file}:{number}: not a {{'id', 'transcript'}} object: {exc}", err=True)
                raise typer.Exit(2) from exc
            _write(sys.stdout, _result(detector, call_id, str(transcript), relationship))


def _result(
    detector: CueDetector, call_id: Any, transcript: str, with_relationship: bool
) -> dict[str, Any]:
    result = detector.detect_transcript(transcript)
    out: dict[str, Any] = {
        "id": call_id,
        "domestic_abuse": result.domestic_abuse,
        "cues": result.codes(),
        "evidence": result.evidence(),
    }
    if with_relationship:
        out["relationship"] = result.relationship.value if result.relationship else None
    return out


def _write(stream: TextIO, payload: dict[str, Any]) -> None:
    stream.write(json.dumps(payload, ensure_ascii=False) + "\n")
    stream.flush()


@cues_app.command("evaluate")
def evaluate_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Labelled JSON Lines.")],
) -> None:
    """Per-cue precision and recall, DA accuracy and relationship accuracy on labelled data."""
    typer.echo(format_report(evaluate(load_labelled(file))))
