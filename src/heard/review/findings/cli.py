"""`heard review sweep [--force CODE] [--as-of TIME]`: the rules over every victim and suspect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from heard.audit.service import system_actor
from heard.auth.models import Force
from heard.clock import utcnow
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.review.findings.sweep import SweepReport, sweep_force
from heard.review.rules import RULES
from heard.settings import load_settings

console = Console()


def _report_table(reports: list[SweepReport]) -> Table:
    table = Table("rule", *(r.force for r in reports))
    for rule in RULES:
        table.add_row(rule.id, *(str(r.by_rule.get(rule.id, 0)) for r in reports))
    for label in ("cases", "unreadable", "new", "seen_again"):
        table.add_row(f"[dim]{label}[/dim]", *(str(getattr(r, label)) for r in reports))
    return table


def sweep(
    force: Annotated[
        str | None, typer.Option(help="Only this force (default: every force).")
    ] = None,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="Judge the records at this time (UTC).")
    ] = None,
) -> None:
    """Run every missed-opportunity rule over every victim and suspect; store the findings."""
    moment = (as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of) if as_of else utcnow()
    engine = make_engine(load_settings().database_url)
    db = Database(engine, InProcessBus())
    reports: list[SweepReport] = []
    try:
        with db.unit_of_work() as uow:
            query = select(Force.id).order_by(Force.code)
            if force:
                query = query.where(Force.code == force.upper())
            force_ids = list(uow.session.scalars(query))
        if force and not force_ids:
            typer.echo(f"heard review sweep: no force with code {force}", err=True)
            raise typer.Exit(2)
        for force_id in force_ids:
            # One transaction per force: a force's findings and its audit entry land together.
            with db.transaction() as session:
                actor = system_actor(force_id, reason_source="review-sweep")
                item = session.get_one(Force, force_id)
                reports.append(sweep_force(session, force=item, as_of=moment, actor=actor))
    finally:
        engine.dispose()
    console.print(_report_table(reports))
