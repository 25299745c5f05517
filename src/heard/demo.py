"""`heard demo`: from nothing to a working control room on one machine, offline.

A fresh SQLite database, a generated synthetic force, one demo user per role, an API token for
the simulator, then the server with its in-process job worker and the call simulator, which
starts posting to the server once `/readyz` answers. Ctrl-C (or SIGTERM) stops the simulator
first, then the server and the worker, and prints what the simulator sent.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    import uvicorn

    from heard.auth.permissions import Role
    from heard.runtime import Runtime
    from heard.settings import Settings
    from heard.sim.live.background import PoolPerson
    from heard.sim.live.session import RunOptions
    from heard.sim.live.stats import Stats
    from heard.sim.live.timeline import Action

console = Console()
READY_WITHIN_S = 120.0
STOP_WITHIN_S = 10.0
# The story with the most to show (three calls in one night) is played first.
FIRST_SCENARIO = "repeat-calls-ex-partner-following"


def demo(
    database: Annotated[Path, typer.Option(help="SQLite file, recreated")] = Path("var/demo.db"),
    host: str = "127.0.0.1",
    port: int = 8000,
    people: Annotated[int, typer.Option(min=0, help="Synthetic people to generate")] = 20_000,
    seed: Annotated[int, typer.Option(help="Seed for the force and the background calls")] = 1,
    simulate: Annotated[bool, typer.Option(help="Run the call simulator")] = True,
    speed: Annotated[float, typer.Option(min=0.01, help="Simulator speed; 1 is real time")] = 1.0,
    background_rate: Annotated[
        float, typer.Option(min=0, help="Background calls per simulated hour")
    ] = 20.0,
) -> None:
    """Start the demo from nothing: database, force, users, server, worker and simulator."""
    started = time.perf_counter()
    settings = _fresh_database(database, host, port)
    from heard.app import build_runtime

    runtime = build_runtime(settings)
    logins, token = _accounts(runtime)
    if people:
        _generate(runtime, people=people, seed=seed)
    options, pool = _simulation(runtime, seed, speed, background_rate) if simulate else (None, [])
    _print_access(host, port, logins, token)
    _serve(settings, runtime, _Demo(f"http://{host}:{port}", started, token, options, pool))


def _fresh_database(database: Path, host: str, port: int) -> Settings:
    from heard.db import migrate
    from heard.settings import Environment, load_settings

    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    settings = load_settings(
        environment=Environment.DEMO,
        database_url=url,
        session_cookie_secure=False,
        log_json=False,
        # Request lines would bury the sign-ins and the scenarios; warnings still show.
        log_level="WARNING",
        host=host,
        port=port,
    )
    migrate.upgrade(url)
    return settings


def _accounts(runtime: Runtime) -> tuple[list[tuple[Role, str, str]], str]:
    """Demo users (one per role), the synthetic services and schools directories and the
    simulator's system token, in one transaction."""
    from heard.audit.service import system_actor
    from heard.auth import service
    from heard.auth.permissions import ROLE_PERMISSIONS
    from heard.auth.permissions import Role as Roles
    from heard.cli_admin import DEMO_FORCE_CODE, DEMO_FORCE_NAME, demo_users
    from heard.referrals import directory

    with runtime.db.transaction() as session:
        force = service.create_force(session, code=DEMO_FORCE_CODE, name=DEMO_FORCE_NAME)
        created = demo_users(session, force)
        # Referrals, MARAC packs and Operation Encompass need somewhere to send to.
        directory.seed_synthetic(session, force_id=force.id, force_code=force.code)
        _, token = service.create_token(
            session,
            force=force,
            name="Call simulator (demo)",
            permissions=ROLE_PERMISSIONS[Roles.SYSTEM],
            actor=system_actor(force.id, reason_source="demo"),
        )
    return created, token


def _generate(runtime: Runtime, *, people: int, seed: int) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from heard.auth import service
    from heard.cli_admin import DEMO_FORCE_CODE
    from heard.sim.generate import Params, generate

    with runtime.db.unit_of_work() as uow:
        force_id = service.force_by_code(uow.session, code=DEMO_FORCE_CODE).id
    columns = (TextColumn("synthetic force"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("generate", total=people)
        # One process: on two cores, spawning builders costs more than it saves at this size.
        summary = generate(
            runtime.db.engine,
            force_id=force_id,
            params=Params(people=people, seed=seed),
            workers=1,
            on_progress=lambda n: progress.advance(task, n),
        )
    incidents = summary.rows.get("incidents", 0)
    console.print(
        f"Synthetic force {DEMO_FORCE_CODE}: {people:,} people, {incidents:,} incidents "
        f"in {summary.seconds:.1f} s"
    )


def _simulation(
    runtime: Runtime, seed: int, speed: float, background_rate: float
) -> tuple[RunOptions, list[PoolPerson]]:
    from heard.cli_admin import DEMO_FORCE_CODE
    from heard.sim.live.library import load_bundled
    from heard.sim.live.session import RunOptions, prepare

    scenarios = sorted(load_bundled(), key=lambda s: s.name != FIRST_SCENARIO)
    built, pool = prepare(
        runtime.db, force_code=DEMO_FORCE_CODE, scenarios=scenarios, seed=seed, pool_size=400
    )
    incidents = sum(b.incidents for b in built)
    console.print(f"Scenario history: {incidents} earlier incidents for {len(built)} scenarios")
    options = RunOptions(
        scenarios=scenarios,
        speed=speed,
        background_rate=background_rate,
        seed=seed,
        repeat=True,
    )
    return options, pool


def _print_access(host: str, port: int, logins: list[tuple[Role, str, str]], token: str) -> None:
    from heard.cli_admin import print_logins

    print_logins(host, port, logins)
    console.print(f"Simulator API token (also for `heard sim run --token`): [bold]{token}[/bold]")


@dataclass
class _Demo:
    url: str
    started: float
    token: str
    options: RunOptions | None
    pool: list[PoolPerson]
    stop: threading.Event = field(default_factory=threading.Event)
    stats: list[Stats] = field(default_factory=list)

    def after_ready(self) -> None:
        """Runs in a thread: wait for /readyz, say so, then play calls until stopped."""
        if not self._wait_ready():
            return
        took = time.perf_counter() - self.started
        console.print(f"[green]Ready in {took:.1f} s.[/green] Open [bold]{self.url}/login[/bold]")
        if self.options is None:
            return
        from heard.sim.live.session import api_client, play

        console.print("Call simulator running: scenarios and background calls.")
        with api_client(self.url, self.token) as client:
            self.stats.append(
                play(client, self.options, pool=self.pool, stop=self.stop, on_start=_announce)
            )

    def _wait_ready(self) -> bool:
        import httpx

        deadline = time.monotonic() + READY_WITHIN_S
        with httpx.Client(base_url=self.url, timeout=2.0) as probe:
            while not self.stop.is_set() and time.monotonic() < deadline:
                try:
                    if probe.get("/readyz").status_code == 200:
                        return True
                except httpx.HTTPError:
                    pass
                self.stop.wait(0.1)
        if not self.stop.is_set():
            console.print(f"[red]{self.url}/readyz did not answer; the simulator is not started")
        return False


def _announce(action: Action) -> None:
    if action.label != "background":
        console.print(f"[bold]▶ scenario:[/bold] {action.label}")


def _serve(settings: Settings, runtime: Runtime, demo_run: _Demo) -> None:
    import uvicorn

    from heard.app import create_app

    config = uvicorn.Config(
        create_app(settings, runtime=runtime),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=3,
    )
    server = _server(config, on_exit=demo_run.stop.set)
    watcher = threading.Thread(target=demo_run.after_ready, name="demo-simulator", daemon=True)
    watcher.start()
    # uvicorn raises the signal again once it has shut down; SIGTERM's default action would end
    # the process before the simulator's summary, so it is answered here instead.
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        server.run()
    except KeyboardInterrupt:
        pass  # the same, for Ctrl-C: uvicorn has already stopped
    finally:
        signal.signal(signal.SIGTERM, previous)
        demo_run.stop.set()
        watcher.join(timeout=STOP_WITHIN_S)
    for stats in demo_run.stats:
        stats.print(console)
    console.print("Demo stopped.")


def _server(config: uvicorn.Config, *, on_exit: Callable[[], None]) -> uvicorn.Server:
    """uvicorn's server, telling the simulator to stop before the server goes away."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            on_exit()
            super().handle_exit(sig, frame)

    return Server(config)
