"""`heard sim run`: play scenarios and background calls through a running Heard's public API."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from heard.sim.live.timeline import Action

if TYPE_CHECKING:
    from heard.sim.live.background import PoolPerson
    from heard.sim.live.session import RunOptions

console = Console()
err = Console(stderr=True)


def run_command(
    token: Annotated[
        str,
        typer.Option(
            envvar="HEARD_SIM_TOKEN", help="System API token (call, transcript, telemetry)"
        ),
    ],
    scenario: Annotated[
        list[str] | None,
        typer.Option(help="Scenario name or YAML file; repeat for several (default: all)"),
    ] = None,
    speed: Annotated[
        float, typer.Option(min=0, help="1 real time, larger faster, 0 as fast as possible")
    ] = 1.0,
    base_url: Annotated[
        str, typer.Option(envvar="HEARD_SIM_BASE_URL", help="Where Heard is served")
    ] = "http://127.0.0.1:8000",
    background_rate: Annotated[
        float, typer.Option(min=0, help="Ordinary calls per simulated hour; 0 for none")
    ] = 20.0,
    duration: Annotated[
        float | None, typer.Option(min=0, help="Stop after this many seconds (wall clock)")
    ] = None,
    repeat: Annotated[
        bool, typer.Option(help="Play the scenarios round and round until --duration or Ctrl-C")
    ] = False,
    background_only: Annotated[bool, typer.Option(help="Play no scenarios")] = False,
    interval: Annotated[
        float, typer.Option(min=0, help="Simulated seconds between scenario starts")
    ] = 45.0,
    seed: Annotated[int, typer.Option(help="Seed for the background mix")] = 1,
    database: Annotated[
        bool,
        typer.Option(
            help="Write scenario history into, and draw background callers from, the configured "
            "database (HEARD_DATABASE_URL, the server's); --no-database for a remote server"
        ),
    ] = True,
) -> None:
    """Play scenarios through Heard's API as CAD and telephony would, with background calls."""
    from heard.sim.live.library import ScenarioError, load_bundled, load_named
    from heard.sim.live.session import RunOptions, SimulatorError, api_client, play, token_force

    try:
        chosen = [] if background_only else (load_named(scenario) if scenario else load_bundled())
    except ScenarioError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if not chosen and duration is None:
        err.print("[red]with no scenarios, give --duration so the run has an end[/red]")
        raise typer.Exit(2)
    if repeat and duration is None and speed == 0:
        err.print("[red]--repeat at --speed 0 never ends; give --duration[/red]")
        raise typer.Exit(2)
    options = RunOptions(
        scenarios=chosen,
        speed=speed,
        background_rate=background_rate,
        seed=seed,
        interval=interval,
        repeat=repeat,
        duration=duration,
    )
    stop = threading.Event()
    with api_client(base_url, token) as client:
        try:
            force_code = token_force(client)
            pool = _prepare(force_code, options) if database else None
        except SimulatorError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
        console.print(
            f"Playing {len(chosen)} scenario(s) for force {force_code} at {base_url}, "
            f"speed {speed:g}, {background_rate:g} background calls an hour. Ctrl-C stops."
        )
        previous = _stop_on_signals(stop)
        try:
            stats = play(client, options, pool=pool, stop=stop, on_start=_announce)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    stats.print(console)
    if stats.refused():
        raise typer.Exit(1)


def _prepare(force_code: str, options: RunOptions) -> list[PoolPerson]:
    """History for the scenarios and background callers, from the configured database."""
    from sqlalchemy.exc import SQLAlchemyError

    from heard import errors
    from heard.db.engine import make_engine
    from heard.db.uow import Database
    from heard.events import InProcessBus
    from heard.settings import SettingsError, load_settings
    from heard.sim.live.session import SimulatorError, prepare

    hint = "; or run with --no-database against a server whose database you cannot reach"
    try:
        url = load_settings().database_url
    except SettingsError as exc:
        raise SimulatorError(f"{exc}{hint}") from exc
    db = Database(make_engine(url), InProcessBus())
    try:
        built, pool = prepare(
            db,
            force_code=force_code,
            scenarios=options.scenarios,
            seed=options.seed,
            pool_size=options.pool_size,
        )
    except (SQLAlchemyError, errors.NotFound) as exc:
        raise SimulatorError(f"cannot prepare the database at {url}: {exc}{hint}") from exc
    finally:
        db.dispose()
    for item in built:
        if item.incidents:
            console.print(
                f"history for {item.scenario}: {item.incidents} incidents, "
                f"{item.risk_assessments} risk assessments, {item.orders} orders"
            )
    console.print(f"background callers drawn from the force's records: {len(pool)}")
    return pool


def _announce(action: Action) -> None:
    if action.label != "background":
        console.print(f"[bold]▶ {action.label}[/bold]")


def _stop_on_signals(stop: threading.Event) -> dict[signal.Signals, Any]:
    """Ctrl-C and SIGTERM end the run between two requests, so the summary is still printed."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handler)
    return previous
