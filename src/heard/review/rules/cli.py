"""`heard review case|rules|chronology`: the missed-opportunity rules over a case file.

`heard review case FILE.json` is the evaluation contract: one JSON line per finding,
`{"rule", "severity", "at", "evidence"}`, in time order, from the same `evaluate` the service runs.
A file that cannot be used prints one line to stderr naming the field and exits 1; a configuration
that cannot be used exits 2. No findings is a success with no output.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from heard.review.rules.case import CaseHistory
from heard.review.rules.chronology import Focus, chronology
from heard.review.rules.config import RulesConfig, RulesConfigError, RuleSettings
from heard.review.rules.engine import RULES, evaluate
from heard.review.rules.findings import iso
from heard.review.rules.reading import CaseInputError, load_case, load_config

EXIT_BAD_FILE = 1
EXIT_BAD_CONFIGURATION = 2

review_app = typer.Typer(
    help="Missed-opportunity review: rules, case files, chronologies.", no_args_is_help=True
)

CaseFile = Annotated[
    Path, typer.Argument(metavar="FILE.json", help="A case history (heard-case/1).")
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="JSON or YAML thresholds: defaults and per-force overrides."),
]
ForceOption = Annotated[
    str | None, typer.Option("--force", help="Use this force's thresholds (default: the file's).")
]


def _settings(config_file: Path | None, force: str | None, case: CaseHistory) -> RuleSettings:
    try:
        config = load_config(config_file) if config_file else RulesConfig()
    except RulesConfigError as exc:
        typer.echo(f"heard review: configuration: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_CONFIGURATION) from exc
    return config.settings_for(force or case.force)


def _case(path: Path) -> CaseHistory:
    try:
        return load_case(path)
    except CaseInputError as exc:
        typer.echo(f"heard review: {path}: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_FILE) from exc


@review_app.command("case")
def case_command(file: CaseFile, config: ConfigOption = None, force: ForceOption = None) -> None:
    """Run every rule over one case history; one JSON line per finding, in time order."""
    case = _case(file)
    for finding in evaluate(case, _settings(config, force, case)):
        typer.echo(json.dumps(finding.contract_line()))


@review_app.command("rules")
def rules_command(config: ConfigOption = None, force: ForceOption = None) -> None:
    """List the rules: id, severity, description and thresholds (one JSON line each)."""
    settings = _settings(config, force, CaseHistory())
    for rule in RULES:
        chosen = settings.for_rule(rule.id)
        line = {
            "rule": rule.id,
            "title": rule.title,
            "severity": (chosen.severity or rule.severity).value,
            "description": rule.description,
            "thresholds": chosen.model_dump(mode="json", exclude={"severity"}),
        }
        typer.echo(json.dumps(line))


@review_app.command("chronology")
def chronology_command(
    file: CaseFile,
    victim: Annotated[str | None, typer.Option(help="Person id of the victim.")] = None,
    suspect: Annotated[str | None, typer.Option(help="Person id of the suspect.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds of entry.")] = None,
    since: Annotated[datetime | None, typer.Option(help="From this time (UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="Up to this time (UTC).")] = None,
    config: ConfigOption = None,
) -> None:
    """The chronology of a victim, a suspect or a pair, with findings; one JSON line an entry."""
    if not victim and not suspect:
        typer.echo("heard review chronology: give --victim, --suspect or both", err=True)
        raise typer.Exit(EXIT_BAD_FILE)
    case = _case(file)
    known = {p.id for p in case.people}
    for person in (victim, suspect):
        if person and person not in known:
            typer.echo(f"heard review chronology: {person!r} is not one of the people", err=True)
            raise typer.Exit(EXIT_BAD_FILE)
    findings = evaluate(case, _settings(config, None, case))
    entries = chronology(
        case,
        Focus(victim, suspect),
        findings=findings,
        kinds=kind,
        since=_utc(since),
        until=_utc(until),
    )
    for entry in entries:
        line = {"at": iso(entry.at), "kind": entry.kind, "record": entry.record_id}
        typer.echo(json.dumps({**line, "summary": entry.summary, "by": entry.by}))


def _utc(moment: datetime | None) -> datetime | None:
    # Typer parses times without a zone; the options are documented as UTC.
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
