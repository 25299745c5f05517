"""The runner against a real local ASGI app that implements the intake, transcript and telemetry
contracts: what it sends, how it counts refusals, and how it stops.

The app is not Heard: it is the receiving side of the contracts, so these tests show what the
runner sends to an endpoint that does not exist in Heard yet (transcripts, telemetry).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Literal

import httpx
import pytest
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from heard.sim.live.library import load_bundled
from heard.sim.live.plan import stream
from heard.sim.live.runner import NO_TELEMETRY, NOT_ACCEPTED, Runner
from heard.sim.live.stats import ACCEPTED
from heard.sim.live.timeline import Action, Kind, compile_scenario


class Segment(BaseModel):
    """The transcript contract: POST /api/v1/calls/{call_id}/transcript."""

    model_config = ConfigDict(extra="forbid")
    segment_id: str
    speaker: Literal["caller", "handler"]
    text: str
    start_ms: int
    end_ms: int


class Receiver:
    """What the receiving side saw, in order."""

    def __init__(self, *, telemetry: bool = True, refuse_updates: bool = False) -> None:
        self.calls: list[dict[str, Any]] = []
        self.segments: list[tuple[int, Segment]] = []
        self.points: list[dict[str, Any]] = []
        self.received_at: list[float] = []
        self.app = self._build(telemetry=telemetry, refuse_updates=refuse_updates)

    def _build(self, *, telemetry: bool, refuse_updates: bool) -> FastAPI:
        app = FastAPI()

        @app.post("/api/v1/calls", status_code=201)
        def intake(body: dict[str, Any]) -> dict[str, Any]:
            self.calls.append(body)
            self.received_at.append(time.monotonic())
            return {"call": {"id": len(self.calls)}}

        @app.post("/api/v1/calls/{call_id}/transcript", status_code=201)
        def transcript(call_id: int, segment: Segment) -> dict[str, str]:
            self.segments.append((call_id, segment))
            return {"segment_id": segment.segment_id}

        @app.patch("/api/v1/calls/{call_id}")
        def update(call_id: int, body: dict[str, Any]) -> Response:
            return Response(status_code=409 if refuse_updates else 200)

        @app.post("/api/v1/calls/{call_id}/close")
        def close(call_id: int, body: dict[str, Any]) -> dict[str, int]:
            return {"id": call_id}

        if telemetry:

            @app.post("/api/v1/telemetry", status_code=202)
            def points(body: dict[str, Any]) -> dict[str, int]:
                self.points.extend(body["points"])
                return {"accepted": len(body["points"])}

        return app


def scenario(name: str):
    return next(s for s in load_bundled() if s.name == name)


def test_transcript_segments_are_sent_in_the_contracts_shape_to_the_right_call():
    receiver = Receiver()
    male_victim = scenario("male-victim")
    with TestClient(receiver.app) as client:
        stats = Runner(client, speed=0).play(stream([male_victim], run_tag="T"))

    lines = [line for step in male_victim.timeline if hasattr(step, "lines") for line in step.lines]
    assert stats.count(Kind.TRANSCRIPT) == len(lines) == len(receiver.segments)
    assert [(s.speaker, s.text) for _, s in receiver.segments] == [
        next(iter(line.items())) for line in lines
    ]
    assert {call_id for call_id, _ in receiver.segments} == {1}
    assert len({s.segment_id for _, s in receiver.segments}) == len(lines)
    ends = [s.end_ms for _, s in receiver.segments]
    assert ends == sorted(ends) and all(s.start_ms < s.end_ms for _, s in receiver.segments)


def test_a_scenario_played_again_with_the_same_tag_sends_the_same_ids():
    """Segment ids and call references are stable, so a retried run is idempotent on the server."""
    first, second = Receiver(), Receiver()
    for receiver in (first, second):
        with TestClient(receiver.app) as client:
            Runner(client, speed=0).play(stream([scenario("line-cuts-off")], run_tag="R"))
    assert [s.segment_id for _, s in first.segments] == [s.segment_id for _, s in second.segments]
    assert [c["source_ref"] for c in first.calls] == [c["source_ref"] for c in second.calls]


def test_telemetry_points_get_their_time_when_sent_and_a_404_is_a_counted_skip():
    with_endpoint, without = Receiver(), Receiver(telemetry=False)
    stalking = scenario("stalking-order-breach")
    with TestClient(with_endpoint.app) as client:
        sent = Runner(client, speed=0).play(stream([stalking], run_tag="T"))
    with TestClient(without.app) as client:
        skipped = Runner(client, speed=0).play(stream([stalking], run_tag="T"))

    assert sent.count(Kind.TELEMETRY) == 2 and len(with_endpoint.points) == 4
    assert all("ts" in p and "offset_s" not in p for p in with_endpoint.points)
    assert skipped.count(Kind.TELEMETRY, NO_TELEMETRY) == 2
    assert skipped.refused() == 0 and sum(skipped.warnings.values()) == 2
    assert skipped.count(Kind.CALL) == 1, "the rest of the scenario still plays"


def test_refused_requests_are_counted_by_status_and_the_run_carries_on():
    receiver = Receiver(refuse_updates=True)
    with TestClient(receiver.app) as client:
        stats = Runner(client, speed=0).play(stream([scenario("line-cuts-off")], run_tag="T"))
    assert stats.count(Kind.UPDATE, "refused 409") == 2
    assert stats.count(Kind.CLOSE) == 2 and stats.refused() == 2


def test_steps_for_a_call_the_server_did_not_accept_are_skipped_not_sent():
    app = FastAPI()

    @app.post("/api/v1/calls")
    def refuse() -> Response:
        return Response('{"detail": "no"}', status_code=422)

    with TestClient(app) as client:
        stats = Runner(client, speed=0).play(stream([scenario("male-victim")], run_tag="T"))
    assert stats.count(Kind.CALL, "refused 422") == 1
    assert stats.count(Kind.TRANSCRIPT, NOT_ACCEPTED) == 11
    assert stats.sent[Kind.TRANSCRIPT] == 0


def test_a_server_that_cannot_be_reached_is_a_counted_error_for_each_request():
    with httpx.Client(base_url="http://127.0.0.1:9", timeout=2) as client:
        actions = stream([scenario("trap-choking-medical")], run_tag="T")
        stats = Runner(client, speed=0).play(actions)
    assert stats.count(Kind.CALL, "error ConnectError") == 1
    assert stats.count(Kind.CLOSE, NOT_ACCEPTED) == 1 and stats.refused() == 1


def test_a_stop_ends_the_run_before_the_next_request_however_far_off_it_is():
    receiver = Receiver()
    stop = threading.Event()
    far = [
        Action(0.0, Kind.CALL, "a", {"source_ref": "a"}, "x", starts_run=True),
        Action(3600.0, Kind.CLOSE, "a", {"disposition": "x"}, "x"),
    ]
    with TestClient(receiver.app) as client:
        runner = Runner(client, speed=1, stop=stop, on_start=lambda _: stop.set())
        began = time.monotonic()
        stats = runner.play(far)
    assert time.monotonic() - began < 5
    assert stats.count(Kind.CALL) == 1 and stats.sent[Kind.CLOSE] == 0


def test_speed_maps_simulated_seconds_onto_the_wall_clock():
    receiver = Receiver()
    actions = [
        Action(0.0, Kind.CALL, "a", {"source_ref": "a"}, "x"),
        Action(30.0, Kind.CALL, "b", {"source_ref": "b"}, "x"),
    ]
    with TestClient(receiver.app) as client:
        Runner(client, speed=100).play(actions)
    assert receiver.received_at[1] - receiver.received_at[0] >= 0.3 - 0.01


def test_a_duration_ends_an_endless_run():
    receiver = Receiver()
    actions = (
        Action(float(n), Kind.CALL, f"c{n}", {"source_ref": f"c{n}"}, "x") for n in range(10**9)
    )
    with TestClient(receiver.app) as client:
        stats = Runner(client, speed=50).play(actions, duration=0.3)
    assert 1 <= stats.count(Kind.CALL) <= 20


def test_speed_below_zero_is_refused():
    with pytest.raises(ValueError, match="speed"):
        Runner(httpx.Client(), speed=-1)


def test_an_accepted_call_is_counted_once_per_request():
    receiver = Receiver()
    actions = compile_scenario(scenario("trap-pub-fight-strangers"), start=0, tag="T")
    with TestClient(receiver.app) as client:
        stats = Runner(client, speed=0).play(actions)
    assert stats.count(Kind.CALL, ACCEPTED) == stats.sent[Kind.CALL] == 1
