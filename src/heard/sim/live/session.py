"""One simulator run from start to summary, shared by `heard sim run` and `heard demo`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx

from heard.auth import service as auth
from heard.clock import utcnow
from heard.db.uow import Database
from heard.sim.live.background import BackgroundMix, PoolPerson, pool_from_database, synthetic_pool
from heard.sim.live.backstory import Built, build_history
from heard.sim.live.plan import DEFAULT_INTERVAL_S, new_run_tag, stream
from heard.sim.live.runner import Runner
from heard.sim.live.schema import Scenario
from heard.sim.live.stats import Stats
from heard.sim.live.timeline import Action

DEFAULT_POOL_SIZE = 400
TOKEN_PERMISSIONS = ("call:create", "call:read", "transcript:write", "telemetry:write")


class SimulatorError(RuntimeError):
    """The run cannot start (no server, a refused token, an unknown force); says what to do."""


@dataclass
class RunOptions:
    scenarios: Sequence[Scenario]
    speed: float = 1.0
    background_rate: float = 20.0
    seed: int = 1
    interval: float = DEFAULT_INTERVAL_S
    repeat: bool = False
    duration: float | None = None
    pool_size: int = DEFAULT_POOL_SIZE
    run_tag: str = field(default_factory=new_run_tag)


def api_client(base_url: str, token: str, *, timeout: float = 15.0) -> httpx.Client:
    return httpx.Client(
        base_url=base_url.rstrip("/"),
        headers={"Authorization": f"Bearer {token}", "User-Agent": "heard-sim/1"},
        timeout=timeout,
    )


def token_force(client: httpx.Client) -> str:
    """The force the token belongs to, asked of the server; fails with a message if it cannot."""
    try:
        answer = client.get("/api/v1/me")
    except httpx.HTTPError as exc:
        raise SimulatorError(f"cannot reach Heard at {client.base_url}: {exc}") from exc
    if answer.status_code == 401:
        raise SimulatorError("the server refused the token (401): check --token")
    if not answer.is_success:
        raise SimulatorError(f"GET /api/v1/me answered {answer.status_code}: {answer.text[:200]}")
    return str(answer.json()["force_code"])


def prepare(
    db: Database, *, force_code: str, scenarios: Sequence[Scenario], seed: int, pool_size: int
) -> tuple[list[Built], list[PoolPerson]]:
    """Writes the scenarios' history (once per force) and picks the background callers."""
    now = utcnow()
    with db.transaction() as session:
        force_id = auth.force_by_code(session, code=force_code).id
        built = [build_history(session, force_id=force_id, scenario=s, now=now) for s in scenarios]
    with db.unit_of_work() as uow:
        pool = pool_from_database(uow.session, force_id=force_id, size=pool_size, seed=seed)
    return built, pool


def play(
    client: httpx.Client,
    options: RunOptions,
    *,
    pool: list[PoolPerson] | None,
    stop: threading.Event,
    on_start: Callable[[Action], None] | None = None,
) -> Stats:
    background = None
    if options.background_rate > 0:
        background = BackgroundMix(
            pool or synthetic_pool(size=options.pool_size, seed=options.seed),
            seed=options.seed,
            rate_per_hour=options.background_rate,
            run_tag=options.run_tag,
            today=utcnow().date(),
        )
    actions = stream(
        options.scenarios,
        run_tag=options.run_tag,
        interval=options.interval,
        repeat=options.repeat,
        background=background,
    )
    runner = Runner(client, speed=options.speed, stop=stop, on_start=on_start)
    return runner.play(actions, duration=options.duration)
