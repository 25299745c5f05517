"""Production fan-out: two web worker processes on one PostgreSQL database. An event caused by a
request to worker A reaches a page streaming from worker B through LISTEN/NOTIFY (each worker's
safety poll is set to a minute, so nothing else could deliver it in time)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from heard.auth.permissions import Role
from heard.db.uow import Database
from tests.support import console_world as cw
from tests.support.sse_client import open_stream
from tests.support.world import World, build_world

pytestmark = pytest.mark.postgres_only
START_SECONDS = 60.0
DEADLINE = 5.0


def _start_worker(database_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A uvicorn process serving a socket bound here, so requests queue until it is ready."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    env = {
        **os.environ,
        "HEARD_ENVIRONMENT": "test",
        "HEARD_DATABASE_URL": database_url,
        "HEARD_RUN_WORKER_IN_PROCESS": "false",
        "HEARD_SESSION_COOKIE_SECURE": "false",
        "HEARD_LIVE_POLL_SECONDS": "60",
        "HEARD_LIVE_HEARTBEAT_SECONDS": "0.5",
        "HEARD_LOG_JSON": "false",
        "HEARD_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "uvicorn", "heard.asgi:app", "--no-access-log"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--fd", str(sock.fileno())],
            env=env,
            stdout=out,
            stderr=out,
            pass_fds=(sock.fileno(),),
        )
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()  # the worker holds its own copy
    return process, base


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    """Requests wait in the socket's backlog until the worker accepts them; each try is bounded
    so a worker that died at start-up is reported at once rather than after the deadline."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the worker exited:\n{log.read_text()}"
        try:
            answer = httpx.get(f"{base}/healthz", timeout=2.0)
        except httpx.TimeoutException:
            continue
        assert answer.status_code == 200, f"worker at {base} answered {answer.status_code}"
        return
    raise AssertionError(f"the worker at {base} did not start:\n{log.read_text()}")


@pytest.fixture
def workers(pg_db: Database, tmp_path: Path) -> Iterator[tuple[str, str]]:
    url = pg_db.engine.url.render_as_string(hide_password=False)
    started = [_start_worker(url, tmp_path / f"worker-{n}.log") for n in ("a", "b")]
    try:
        for (process, base), name in zip(started, ("a", "b"), strict=True):
            _wait_ready(process, base, tmp_path / f"worker-{name}.log")
        yield started[0][1], started[1][1]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def pg_world(pg_db: Database) -> World:
    return build_world(pg_db)


def _claim(base: str, world: World, call_id: int) -> None:
    persona = world.persona("WMP", Role.DA_SPECIALIST)
    answer = httpx.post(
        f"{base}/api/v1/review/calls/{call_id}/claim",
        cookies={"heard_session": persona.session_token},
        headers={"X-CSRF-Token": persona.csrf_token},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def test_an_event_caused_on_one_worker_reaches_a_page_streaming_from_another(
    workers: tuple[str, str], pg_db: Database, pg_world: World
) -> None:
    worker_a, worker_b = workers
    first, second = cw.da_call(pg_db, pg_world), cw.da_call(pg_db, pg_world)
    specialist = pg_world.persona("WMP", Role.DA_SPECIALIST).session_token

    with open_stream(worker_b, f"/live/calls/{first}?view=listen", cookie=specialist) as sse:
        sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)
        started = time.monotonic()
        _claim(worker_a, pg_world, first)
        event = sse.until(lambda e: e.event == "review", seconds=DEADLINE)
        took = time.monotonic() - started

    with open_stream(worker_a, "/live/queue", cookie=specialist) as sse:
        sse.until(lambda e: e.event == "heartbeat", seconds=DEADLINE)
        _claim(worker_b, pg_world, second)
        back = sse.until(lambda e: e.event == "queue", seconds=DEADLINE)

    assert event.json() == {"refresh": ["review", "header"]}
    assert took < DEADLINE
    assert back.json() == {"refresh": ["queue"]}
