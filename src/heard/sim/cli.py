"""`heard sim generate`: a synthetic force written into the configured database."""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from heard.sim.generate import Summary

sim_app = typer.Typer(help="Synthetic force data (never real people).", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@sim_app.command("generate")
def generate_command(
    people: Annotated[int, typer.Option(min=1, help="People in the synthetic population")],
    seed: Annotated[int, typer.Option(help="Same seed and options give identical data")],
    force: Annotated[str, typer.Option(help="Force code; created if missing")] = "NMP",
    years: Annotated[int, typer.Option(min=1, max=50, help="Years of history")] = 10,
    as_of: Annotated[
        str, typer.Option(help="Reference date (YYYY-MM-DD): history ends here")
    ] = "2026-11-30",
    workers: Annotated[
        int, typer.Option(min=0, help="Processes building chunks; 0 means one per core")
    ] = 0,
) -> None:
    """Generate people, households and years of calls, incidents, risk, MARAC and orders."""
    from heard import errors
    from heard.db.engine import make_engine
    from heard.settings import SettingsError, load_settings
    from heard.sim.generate import ForceNotEmpty, Params, generate

    try:
        settings = load_settings()
        reference = date.fromisoformat(as_of)
    except (SettingsError, ValueError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    engine = make_engine(settings.database_url)
    try:
        force_id = _force_id(engine, force)
    except errors.Invalid as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    params = Params(people=people, seed=seed, years=years, as_of=reference)
    columns = (TextColumn("people"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("generate", total=people)
            summary = generate(
                engine,
                force_id=force_id,
                params=params,
                workers=workers or min(os.cpu_count() or 1, 4),
                on_progress=lambda n: progress.advance(task, n),
            )
    except ForceNotEmpty as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    _print_summary(force, summary)


def _force_id(engine: Engine, code: str) -> int:
    """The force's id, creating the force if it does not exist yet."""
    from heard import errors
    from heard.auth import service
    from heard.db.uow import Database
    from heard.events import InProcessBus

    with Database(engine, InProcessBus()).transaction() as session:
        try:
            return service.force_by_code(session, code=code).id
        except errors.NotFound:
            return service.create_force(session, code=code, name=f"{code.upper()} (synthetic)").id


def _print_summary(force: str, summary: Summary) -> None:
    table = Table("table", "rows", title=f"Force {force.upper()} in {summary.seconds:.1f} s")
    for name, count in summary.rows.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
