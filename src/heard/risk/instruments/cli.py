"""`heard risk score FILE.json [FILE.json ...]`: the evaluation contract for scoring and MARAC.

A bad file does not stop the others: each good file prints its one JSON line to stdout, in input
order, and each bad file prints one line to stderr naming the file and the field. The exit status
is 1 when any file was bad, so a script cannot mistake a partial run for a complete one. A file
scored with an instrument that has no count rule (S-DASH, H-DASH by default) also gets a
`note:` line on stderr saying why its `computed_level` is null; that is not an error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from heard.risk.instruments.catalogue import Catalogue, load_catalogue
from heard.risk.instruments.errors import InstrumentDefinitionError, RiskInputError
from heard.risk.instruments.evaluation import contract_line, evaluate, level_note
from heard.risk.instruments.policy import Policies, load_policies
from heard.risk.instruments.request import parse_request

EXIT_BAD_FILE = 1
EXIT_BAD_CONFIGURATION = 2

risk_app = typer.Typer(
    help="Risk instruments: scoring, levels and MARAC criteria.", no_args_is_help=True
)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads keeps the last of two equal keys; an item answered twice must not pass silently.
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def read_document(path: Path) -> Any:
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise RiskInputError("(file)", "is not UTF-8 text") from None
    except OSError as exc:
        raise RiskInputError("(file)", f"cannot be read: {exc.strerror or exc}") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except _DuplicateKey as exc:
        raise RiskInputError("(file)", f"key {exc.args[0]!r} appears twice in one object") from None
    except json.JSONDecodeError as exc:
        raise RiskInputError(
            "(file)", f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None


def score_file(
    path: Path, catalogue: Catalogue, policies: Policies
) -> tuple[dict[str, Any], str | None]:
    """The contract line for one file and, when its level is null, a note saying why."""
    evaluation = evaluate(parse_request(read_document(path)), catalogue, policies)
    return contract_line(evaluation), level_note(evaluation)


def _configuration(
    instrument_dirs: list[Path] | None, policy_file: Path | None
) -> tuple[Catalogue, Policies]:
    try:
        catalogue = load_catalogue(instrument_dirs or [])
        policies = load_policies(policy_file, catalogue) if policy_file else Policies()
    except InstrumentDefinitionError as exc:
        typer.echo(f"heard risk score: configuration: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_CONFIGURATION) from exc
    return catalogue, policies


@risk_app.command("score")
def score_command(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE.json", help="Assessment files to score.")
    ],
    policies: Annotated[
        Path | None,
        typer.Option("--policies", help="YAML file of per-force bands and escalation rules."),
    ] = None,
    instruments: Annotated[
        list[Path] | None,
        typer.Option("--instruments", help="Extra directory of instrument definitions."),
    ] = None,
) -> None:
    """Score each file and apply the MARAC criteria: one JSON line per good file, in order."""
    catalogue, force_policies = _configuration(instruments, policies)
    failed = False
    for path in files:
        try:
            line, note = score_file(path, catalogue, force_policies)
        except RiskInputError as exc:
            failed = True
            typer.echo(f"heard risk score: {path}: {exc.field}: {exc.message}", err=True)
            continue
        typer.echo(json.dumps(line))
        if note:
            typer.echo(f"heard risk score: note: {path}: {note}", err=True)
    if failed:
        raise typer.Exit(EXIT_BAD_FILE)
