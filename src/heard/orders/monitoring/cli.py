"""`heard orders ...` commands: replay a recorded monitoring feed; run the live monitor alone."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from heard.orders.monitoring.points import PointError
from heard.orders.monitoring.processor import DEFAULT_LATENESS_S
from heard.orders.monitoring.replay import alert_lines, replay_dir
from heard.orders.monitoring.spec import SpecError

orders_app = typer.Typer(help="Protective orders and electronic monitoring.", no_args_is_help=True)
MAX_REPORTED_ROWS = 10


@orders_app.command("replay")
def replay(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Holds orders.json and points.csv")
    ],
    lateness: Annotated[
        float,
        typer.Option(
            min=0, help="Seconds a point may arrive behind the newest one and still count"
        ),
    ] = DEFAULT_LATENESS_S,
    detail: Annotated[
        bool, typer.Option(help="Add each alert's zone or curfew window and its end time")
    ] = False,
) -> None:
    """Run the live monitoring processor over a recorded feed: one JSON line per alert."""
    for name in ("orders.json", "points.csv"):
        if not (directory / name).is_file():
            typer.echo(f"{directory / name} not found", err=True)
            raise typer.Exit(2)
    try:
        result = replay_dir(directory, lateness_s=lateness)
    except (SpecError, PointError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    out = sys.stdout
    for line in alert_lines(result.alerts, detail=detail):
        out.write(line + "\n")
    out.flush()
    for row in result.rejected[:MAX_REPORTED_ROWS]:
        typer.echo(f"points.csv line {row.line} skipped: {row.reason}", err=True)
    stats = result.stats
    if result.rejected or stats.late_dropped:
        typer.echo(
            f"{len(result.rejected)} rows skipped as invalid; {stats.late_dropped} arrived too "
            f"late to process in order (raise --lateness)",
            err=True,
        )


@orders_app.command("monitor")
def monitor() -> None:
    """Run the live telemetry monitor as its own process (with HEARD_RUN_WORKER_IN_PROCESS=false).

    Run exactly one: two monitors would both raise every breach once each.
    """
    import signal

    from heard.db.engine import make_engine
    from heard.db.uow import Database
    from heard.events import InProcessBus
    from heard.logs import configure_logging
    from heard.orders.live import LiveMonitor
    from heard.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    configure_logging(level=settings.log_level, json_lines=settings.log_json)
    db = Database(make_engine(settings.database_url), InProcessBus())
    live = LiveMonitor(db)
    signal.signal(signal.SIGTERM, lambda *_: live.stop())
    try:
        live.run_forever()
    except KeyboardInterrupt:
        live.stop()
    finally:
        db.dispose()
