"""Live events as the pages use them: which panels to refresh, what to insert, when to alert.

One table per page (view). A payload is data; anything inserted into a page is rendered here
through the autoescaping templates, so words from a call can never become markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heard.live.service import LiveMessage
from heard.web.templating import TEMPLATES

Rule = Callable[[dict[str, Any]], dict[str, Any] | None]


def refresh(*names: str) -> Rule:
    return lambda payload: {"refresh": list(names)}


def fragment(template: str, **context: Any) -> str:
    return TEMPLATES.get_template(template).render(**context)


def segment_upsert(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "upsert": [
            {
                "into": "transcript",
                "id": f"seg-{payload['segment_key']}",
                "html": fragment("console/_segment.html", seg=payload),
            }
        ]
    }


def cue_update(payload: dict[str, Any]) -> dict[str, Any]:
    out = {
        "upsert": [segment_upsert(seg)["upsert"][0] for seg in payload.get("segments", [])],
        "refresh": ["questions", "cues"],
    }
    return out


def handler_advice(payload: dict[str, Any]) -> dict[str, Any]:
    if payload.get("audience") != "handler":
        return {"refresh": ["officer-advice"]}
    return {
        "refresh": ["advice"],
        "alert": {"kind": "advice", "text": "New advice from the specialist"},
    }


def officer_advice(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "refresh": ["advice"],
        "alert": {"kind": "advice", "text": "New advice from the specialist"},
    }


def officer_assignment(payload: dict[str, Any]) -> dict[str, Any]:
    return {"refresh": ["incidents"], "alert": {"kind": "assignment", "text": "New incident"}}


VIEWS: dict[str, dict[str, Rule]] = {
    "handler": {
        "transcript": segment_upsert,
        "cue": cue_update,
        "signs": refresh("signs", "questions"),
        "grade": refresh("grade"),
        "review": refresh("review"),
        "advice": handler_advice,
        "advice-ack": refresh("advice", "officer-advice"),
        "officers": refresh("officers"),
        "context": refresh("context", "header"),
        "call": refresh("header"),
    },
    "listen": {
        "transcript": segment_upsert,
        "cue": cue_update,
        "signs": refresh("signs", "questions"),
        "grade": refresh("grade"),
        "review": refresh("review", "header"),
        "advice": refresh("advice"),
        "advice-ack": refresh("advice"),
        "officers": refresh("officers"),
        "context": refresh("context", "header"),
        "call": refresh("header"),
    },
    "queue": {"queue": refresh("queue")},
    "board": {
        "queue": refresh("open", "breaches", "workload"),
        "board": refresh("signs", "grades"),
    },
    "officer": {
        "advice": officer_advice,
        "advice-ack": refresh("advice"),
        "assignment": officer_assignment,
    },
    "calls": {"calls": refresh("calls")},
    # The order manager's breach pages: a breach raised, updated or escalated (an order alert).
    "breaches": {"breach": refresh("breaches"), "order-alert": refresh("breaches")},
    "breach": {"breach": refresh("breach-state"), "order-alert": refresh("breach-state")},
}


def kinds(view: str) -> list[str]:
    return [*sorted(VIEWS[view]), "heartbeat", "reload"]


def renderer(view: str) -> Callable[[LiveMessage], dict[str, Any] | None]:
    rules = VIEWS[view]

    def render(message: LiveMessage) -> dict[str, Any] | None:
        rule = rules.get(message.kind)
        return rule(message.payload) if rule else None

    return render
