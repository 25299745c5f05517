"""Driving the console's API as CAD and telephony would, for browser tests and benchmarks."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.support.console_world import da_call_body

_refs = itertools.count(1)

# A synthetic call, said the way a frightened caller and a calm handler would say it.
SCRIPT: tuple[tuple[str, str], ...] = (
    ("caller", "Please help, my partner is here and he is going mad."),
    ("handler", "Is he still in the house with you right now?"),
    ("caller", "Yes he's downstairs, he said he's going to kill me this time."),
    ("caller", "He grabbed me round the neck earlier and I couldn't breathe."),
    ("handler", "Are there any children in the house?"),
    ("caller", "My two kids are upstairs asleep."),
)


class Cad:
    """A force's CAD and speech-to-text systems, posting with the force's API token."""

    def __init__(self, base_url: str, token: str) -> None:
        self.client = httpx.Client(
            base_url=base_url, headers={"authorization": f"Bearer {token}"}, timeout=30
        )

    def call(self, **details: Any) -> int:
        body = da_call_body(f"CAD-{next(_refs)}", **details)
        answer = self.client.post("/api/v1/calls", json=body)
        assert answer.status_code == 201, answer.text
        return int(answer.json()["call"]["id"])

    def say(self, call_id: int, n: int, speaker: str, text: str) -> httpx.Response:
        segment = {
            "segment_id": f"seg-{n}",
            "speaker": speaker,
            "text": text,
            "start_ms": n * 4000,
            "end_ms": n * 4000 + 3500,
        }
        answer = self.client.post(f"/api/v1/calls/{call_id}/transcript", json=segment)
        assert answer.status_code == 201, answer.text
        return answer

    def play(self, call_id: int, script: tuple[tuple[str, str], ...] = SCRIPT) -> None:
        for n, (speaker, text) in enumerate(script):
            self.say(call_id, n, speaker, text)

    def close(self) -> None:
        self.client.close()
