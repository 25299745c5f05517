"""A scenario turned into timed API requests (actions), with transcript lines at speech pace.

Times are simulated seconds from the start of the run; the runner maps them onto the wall clock
with `--speed`. Transcript segments are sent when the utterance ends, as a speech-to-text engine
finalises a segment, and carry their start and end relative to the start of the call.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from heard.sim.live.schema import (
    CallStep,
    CloseStep,
    Person,
    PersonOnCall,
    RelationshipSpec,
    Scenario,
    TelemetryStep,
    TranscriptStep,
    UpdateStep,
)

# About 150 words a minute: ordinary conversational speech, a little slower under stress.
WORDS_PER_SECOND = 2.5
SHORTEST_LINE_S = 0.8
PAUSE_S = 0.6
DEFAULT_AFTER_S = 1.0
HANDLER_REF = "SIM-HANDLER"


class Kind(StrEnum):
    CALL = "call"
    TRANSCRIPT = "transcript"
    UPDATE = "update"
    CLOSE = "close"
    TELEMETRY = "telemetry"


@dataclass(frozen=True)
class Action:
    """One request: when to send it, what kind, which call it belongs to, and its body."""

    at: float
    kind: Kind
    call: str  # run-unique key of the call; "" for telemetry
    body: dict[str, Any] = field(compare=False)
    label: str = field(default="", compare=False)
    starts_run: bool = field(default=False, compare=False)  # the first request of a scenario


def speech_seconds(text: str) -> float:
    return max(SHORTEST_LINE_S, len(text.split()) / WORDS_PER_SECOND)


def person_payload(person: Person, on_call: PersonOnCall) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "role": on_call.role.value,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "name": person.name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "age": person.age,
        "sex": person.sex.value if person.sex.value != "unknown" else None,
        "phone": person.phone,
        "address": _address(person),
    }
    payload.update(on_call.as_recorded)
    return {k: v for k, v in payload.items() if v is not None}


def _address(person: Person) -> str | None:
    if person.address and person.postcode:
        return f"{person.address}, {person.postcode}"
    return person.address or person.postcode


def _relationship(spec: RelationshipSpec | None) -> dict[str, Any] | None:
    return {"connection": spec.connection.value, "former": spec.former} if spec else None


@dataclass
class _Compiler:
    scenario: Scenario
    tag: str
    start: float
    actions: list[Action] = field(default_factory=list)
    call_start: dict[str, float] = field(default_factory=dict)
    segments: dict[str, int] = field(default_factory=dict)

    def ref(self, key: str) -> str:
        return f"{self.tag}-{key}"

    def add(self, at: float, kind: Kind, key: str, body: dict[str, Any]) -> None:
        call = self.ref(key) if key else ""
        self.actions.append(Action(at, kind, call, body, self.scenario.name))

    def people(self, listed: list[PersonOnCall]) -> list[dict[str, Any]]:
        return [person_payload(self.scenario.people[p.person], p) for p in listed]

    def call(self, at: float, step: CallStep) -> None:
        self.call_start[step.call] = at
        caller = self.scenario.people.get(step.caller or "")
        home = self.scenario.people.get(step.location or "")
        body: dict[str, Any] = {
            "source_ref": self.ref(step.call),
            "channel": step.channel.value,
            "caller_number": step.caller_number or (caller.phone if caller else None),
            "address": step.address or (home.address if home else None),
            "postcode": step.postcode or (home.postcode if home else None),
            "aml": step.aml.model_dump() if step.aml else None,
            "free_text": step.free_text,
            "handler_ref": HANDLER_REF,
            "grade": step.grade.value if step.grade else None,
            "people": self.people(step.people),
            "relationship": _relationship(step.relationship),
        }
        self.add(at, Kind.CALL, step.call, {k: v for k, v in body.items() if v is not None})

    def transcript(self, at: float, step: TranscriptStep) -> float:
        key = step.transcript
        for line in step.lines:
            ((speaker, text),) = line.items()
            end = at + speech_seconds(text)
            number = self.segments.get(key, 0) + 1
            self.segments[key] = number
            offset = self.call_start[key]
            body = {
                "segment_id": f"{self.ref(key)}-t{number:03d}",
                "speaker": speaker,
                "text": text,
                "start_ms": round((at - offset) * 1000),
                "end_ms": round((end - offset) * 1000),
            }
            self.add(end, Kind.TRANSCRIPT, key, body)
            at = end + PAUSE_S
        return at - PAUSE_S

    def update(self, at: float, step: UpdateStep) -> None:
        body: dict[str, Any] = {
            "free_text": step.free_text,
            "address": step.address,
            "postcode": step.postcode,
            "people": self.people(step.people) or None,
            "relationship": _relationship(step.relationship),
        }
        self.add(at, Kind.UPDATE, step.update, {k: v for k, v in body.items() if v is not None})

    def telemetry(self, at: float, step: TelemetryStep) -> None:
        points = [p.model_dump() for p in step.telemetry]
        self.add(at, Kind.TELEMETRY, "", {"points": points})


def compile_scenario(scenario: Scenario, *, start: float, tag: str) -> list[Action]:
    """The scenario's requests, in time order, starting `start` seconds into the run.

    `tag` makes its call references unique to this playing, so a scenario can be played again.
    """
    compiler = _Compiler(scenario, tag, start)
    end = start
    for step in scenario.timeline:
        if step.at is not None:
            at = start + step.at
        else:
            at = end + (step.after if step.after is not None else DEFAULT_AFTER_S)
        end = at
        if isinstance(step, CallStep):
            compiler.call(at, step)
        elif isinstance(step, TranscriptStep):
            end = compiler.transcript(at, step)
        elif isinstance(step, UpdateStep):
            compiler.update(at, step)
        elif isinstance(step, CloseStep):
            compiler.add(at, Kind.CLOSE, step.close, {"disposition": step.disposition})
        else:
            compiler.telemetry(at, step)
    actions = sorted(compiler.actions, key=lambda a: a.at)
    actions[0] = replace(actions[0], starts_run=True)
    return actions


def merge_runs(runs: Iterable[tuple[float, list[Action]]]) -> Iterator[Action]:
    """Actions of many overlapping runs in time order, pulling runs lazily.

    `runs` yields (start, actions) with non-decreasing starts and every action at or after its
    run's start, so a run can be expanded as late as the moment the clock reaches its start; an
    endless stream of runs therefore costs memory only for the runs in flight.
    """
    heap: list[tuple[float, int, Action]] = []
    order = itertools.count()
    pending = iter(runs)
    upcoming = next(pending, None)
    while heap or upcoming is not None:
        if upcoming is not None and (not heap or heap[0][0] >= upcoming[0]):
            for action in upcoming[1]:
                heapq.heappush(heap, (action.at, next(order), action))
            upcoming = next(pending, None)
            continue
        yield heapq.heappop(heap)[2]
