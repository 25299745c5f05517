"""`heard metrics export`: one force's pilot statistics over a range of months, to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from heard import errors
from heard.audit.service import system_actor
from heard.auth.models import Force
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.metrics import export, service
from heard.metrics.export import ExportFormat
from heard.metrics.periods import MonthRange
from heard.settings import load_settings

metrics_app = typer.Typer(help="Pilot evaluation statistics.", no_args_is_help=True)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"heard metrics export: {message}", err=True)
    return typer.Exit(2)


@metrics_app.command("export")
def export_command(
    force: Annotated[str, typer.Option("--force", help="Force code, e.g. NMP.")],
    first: Annotated[str, typer.Option("--from", help="First month, YYYY-MM (UTC).")],
    last: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM, included.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    form: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.CSV,
    reason: Annotated[str | None, typer.Option(help="Why the figures leave Heard.")] = None,
) -> None:
    """Write every measure per month to a CSV or Parquet file; the export is audited."""
    try:
        months = MonthRange.parse(first, last)
    except errors.HeardError as exc:
        raise _fail(exc.detail) from None
    engine = make_engine(load_settings().database_url)
    db = Database(engine, InProcessBus())
    try:
        with db.transaction() as session:
            found = session.scalar(select(Force).where(Force.code == force.upper()))
            if found is None:
                raise _fail(f"no force with code {force}")
            figures = service.pilot_statistics(session, force_id=found.id, months=months)
            content = export.render(form, found.code, figures)
            service.record_export(
                session,
                actor=system_actor(found.id, reason_source="metrics-export"),
                force_id=found.id,
                months=months,
                form=form.value,
                figures=len(figures),
                reason=reason or f"written to {out.name}",
            )
            out.write_bytes(content)
    finally:
        engine.dispose()
    typer.echo(f"{len(figures)} figures for {found.code}, {months.first} to {months.last}: {out}")
