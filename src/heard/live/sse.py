"""Server-Sent Events framing and the stream a page reads: backlog, live events, heartbeats."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from heard.clock import utcnow
from heard.live.hub import LiveHub, TooFarBehind
from heard.live.service import LiveMessage

# What the browser waits before reconnecting (it then sends Last-Event-ID).
RETRY_MS = 1000
Renderer = Callable[[LiveMessage], dict[str, Any] | None]


def frame(*, event: str, data: str, event_id: int | None = None) -> str:
    lines = [] if event_id is None else [f"id: {event_id}"]
    lines.append(f"event: {event}")
    lines.extend(f"data: {line}" for line in (data.splitlines() or [""]))
    return "\n".join(lines) + "\n\n"


def message_frame(message: LiveMessage, render: Renderer) -> str | None:
    rendered = render(message)
    if rendered is None:
        return None
    return frame(event=message.kind, data=json.dumps(rendered), event_id=message.id)


@dataclass(frozen=True)
class StreamSpec:
    force_id: int
    channels: tuple[str, ...]
    after: int | None
    render: Renderer
    heartbeat_seconds: float
    lifetime_seconds: float


async def stream(hub: LiveHub, spec: StreamSpec) -> AsyncIterator[str]:
    """The body of one SSE response. It ends after `lifetime_seconds` so no connection outlives
    a deploy for long; the browser reconnects with Last-Event-ID and misses nothing."""
    yield f"retry: {RETRY_MS}\n\n"
    ends = time.monotonic() + spec.lifetime_seconds
    try:
        async with hub.subscribe(
            force_id=spec.force_id, channels=spec.channels, after=spec.after
        ) as (sub, backlog):
            for missed in _frames(backlog, spec.render):
                yield missed
            while time.monotonic() < ends:
                wait = min(spec.heartbeat_seconds, max(0.0, ends - time.monotonic()))
                message = await sub.next(wait)
                if message is None:
                    yield frame(event="heartbeat", data=json.dumps({"at": utcnow().isoformat()}))
                    continue
                if (text := message_frame(message, spec.render)) is not None:
                    yield text
    except TooFarBehind as exc:
        yield frame(event="reload", data=json.dumps({"reason": str(exc)}))


def _frames(messages: Iterable[LiveMessage], render: Renderer) -> Iterable[str]:
    for message in messages:
        if (text := message_frame(message, render)) is not None:
            yield text
