"""Test helpers for live delivery: a real uvicorn server in a thread, and an SSE reader."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

START_SECONDS = 30.0


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """The app on 127.0.0.1:<free port> until the block ends; yields its base address."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    config = uvicorn.Config(
        app, log_config=None, log_level="warning", lifespan="on", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass(frozen=True)
class Event:
    id: int | None
    event: str
    data: str

    def json(self) -> Any:
        return json.loads(self.data)


class SseReader:
    """Reads events from an open `text/event-stream` response, with deadlines (no sleeps)."""

    def __init__(self, response: httpx.Response) -> None:
        self._lines = response.iter_lines()

    def next(self) -> Event:
        fields: dict[str, list[str]] = {}
        for line in self._lines:
            if line == "":
                if "event" in fields or "data" in fields:
                    ident = fields.get("id", [""])[0]
                    return Event(
                        int(ident) if ident else None,
                        fields.get("event", ["message"])[0],
                        "\n".join(fields.get("data", [])),
                    )
                continue
            name, _, value = line.partition(":")
            fields.setdefault(name, []).append(value.removeprefix(" "))
        raise EOFError("the stream ended")

    def until(self, wanted: Callable[[Event], bool], *, seconds: float) -> Event:
        """The first event that is `wanted`; fails after `seconds` (heartbeats keep it reading)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            event = self.next()
            if wanted(event):
                return event
        raise AssertionError(f"no wanted event within {seconds} s")

    def collect(self, *, seconds: float, stop: Callable[[Event], bool]) -> list[Event]:
        """Every non-heartbeat event until `stop` matches one (included)."""
        found: list[Event] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            event = self.next()
            if event.event == "heartbeat":
                continue
            found.append(event)
            if stop(event):
                return found
        raise AssertionError(f"stopping event not seen within {seconds} s; got {found}")


@contextmanager
def open_stream(
    base: str, path: str, *, cookie: str, last_event_id: int | None = None
) -> Iterator[SseReader]:
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    timeout = httpx.Timeout(10.0, read=10.0)
    with (
        httpx.Client(base_url=base, cookies={"heard_session": cookie}, timeout=timeout) as client,
        client.stream("GET", path, headers=headers) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield SseReader(response)
