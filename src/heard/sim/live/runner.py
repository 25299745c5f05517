"""Sending actions to Heard's public API on time, as CAD, telephony and a monitoring centre would.

One thread, one HTTP client, requests in time order. Every answer is counted; nothing the server
says stops the run: a refused request is recorded with the server's message and the next one is
sent. Waiting is on the stop event, so Ctrl-C or SIGTERM ends a run between two requests.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import httpx

from heard.clock import utcnow
from heard.sim.live.stats import ACCEPTED, Stats
from heard.sim.live.timeline import Action, Kind

TELEMETRY_PATH = "/api/v1/telemetry"
NO_TELEMETRY = "skipped: no telemetry endpoint (404)"
NOT_ACCEPTED = "skipped: its call was not accepted"
MAX_OPEN_CALLS = 10_000
LONGEST_WAIT_S = 1.0  # a stop is noticed at least this often


class Runner:
    def __init__(
        self,
        client: httpx.Client,
        *,
        speed: float,
        stats: Stats | None = None,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utcnow,
        on_start: Callable[[Action], None] | None = None,
    ) -> None:
        if speed < 0:
            raise ValueError("speed must be 0 (as fast as possible) or more")
        self.client = client
        self.speed = speed
        self.stats = stats or Stats()
        self.stop = stop or threading.Event()
        self.clock = clock
        self.now = now
        self.on_start = on_start
        # Scenario call key -> the id Heard gave the call; closed calls are forgotten.
        self.call_ids: OrderedDict[str, int] = OrderedDict()

    def play(self, actions: Iterable[Action], *, duration: float | None = None) -> Stats:
        """Send each action when it is due; stop at the end, at `duration` seconds, or on stop."""
        started = self.clock()
        deadline = None if duration is None else started + duration
        for action in actions:
            if self._should_stop(started, action.at, deadline):
                break
            self.send(action)
        self.stats.seconds += self.clock() - started
        return self.stats

    def _should_stop(self, started: float, at: float, deadline: float | None) -> bool:
        if self.stop.is_set() or (deadline is not None and self.clock() >= deadline):
            return True
        if self.speed == 0:
            return False
        due = started + at / self.speed
        while (remaining := due - self.clock()) > 0:
            if deadline is not None:
                remaining = min(remaining, deadline - self.clock())
                if remaining <= 0:
                    return True
            if self.stop.wait(min(remaining, LONGEST_WAIT_S)):
                return True
        return False

    def send(self, action: Action) -> None:
        if action.starts_run:
            if action.label == "background":
                self.stats.background_calls += 1
            else:
                self.stats.scenarios_started[action.label] += 1
            if self.on_start is not None:
                self.on_start(action)
        if action.kind is Kind.CALL:
            self._intake(action)
        elif action.kind is Kind.TELEMETRY:
            self._telemetry(action)
        else:
            self._on_call(action)

    def _intake(self, action: Action) -> None:
        body = {**action.body, "received_at": self.now().isoformat()}
        response = self._request(action.kind, "POST", "/api/v1/calls", body)
        if response is None:
            return
        try:
            self.call_ids[action.call] = int(response.json()["call"]["id"])
        except (ValueError, KeyError, TypeError):
            self.stats.warn("a call was accepted but the answer had no call id")
            return
        while len(self.call_ids) > MAX_OPEN_CALLS:
            self.call_ids.popitem(last=False)

    def _on_call(self, action: Action) -> None:
        call_id = self.call_ids.get(action.call)
        if call_id is None:
            self.stats.record(action.kind, NOT_ACCEPTED, sent=False)
            return
        base = f"/api/v1/calls/{call_id}"
        if action.kind is Kind.TRANSCRIPT:
            self._request(action.kind, "POST", f"{base}/transcript", action.body)
        elif action.kind is Kind.UPDATE:
            self._request(action.kind, "PATCH", base, action.body)
        else:
            self._request(action.kind, "POST", f"{base}/close", action.body)
            self.call_ids.pop(action.call, None)

    def _telemetry(self, action: Action) -> None:
        sent_at = self.now()
        points = [_timed_point(point, sent_at) for point in action.body["points"]]
        self._request(action.kind, "POST", TELEMETRY_PATH, {"points": points})

    def _request(
        self, kind: Kind, method: str, path: str, body: dict[str, Any]
    ) -> httpx.Response | None:
        try:
            response = self.client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            self.stats.record(kind, f"error {type(exc).__name__}", example=str(exc))
            return None
        if response.is_success:
            self.stats.record(kind, ACCEPTED)
            return response
        if kind is Kind.TELEMETRY and response.status_code == 404:
            # Telemetry arrives with issue 8; until then a 404 is expected, counted, not an error.
            self.stats.record(kind, NO_TELEMETRY, example=response.text)
            self.stats.warn(f"the server has no POST {TELEMETRY_PATH} yet; telemetry skipped")
            return None
        self.stats.record(kind, f"refused {response.status_code}", example=response.text)
        return None


def _timed_point(point: dict[str, Any], sent_at: datetime) -> dict[str, Any]:
    timed = {k: v for k, v in point.items() if k != "offset_s" and v is not None}
    timed["ts"] = (sent_at + timedelta(seconds=float(point["offset_s"]))).isoformat()
    return timed
