"""Work other domains do when a call arrives, changes or is closed, inside the call's transaction.

`calls` sits below the domains that react to calls (warning signs, later the specialist queue), so
it cannot import them. The composition root (`heard.app`) registers their hooks here instead; the
intake views run them before committing, so the call and what they derive from it (warning signs,
the suggested grade) commit together, and the intake answer can include it.

A hook's failure must never lose or refuse a 999 call. All hooks run in one savepoint (two
statements on every call, not two per hook); if any raises, that savepoint is rolled back and each
hook runs again in a savepoint of its own, so the others' work is kept. A failed hook's writes and
events are dropped, the error is logged, and a durable job of the hook's `retry_job_kind` is
enqueued in the call's own transaction so the work is done later by a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from heard.audit.service import Actor
from heard.db.uow import discard_events_after, pending_event_count
from heard.incidents.models import Call
from heard.jobs import service as jobs

log = logging.getLogger(__name__)


class CallChange(StrEnum):
    RECEIVED = "received"
    UPDATED = "updated"
    CLOSED = "closed"
    VIEWED = "viewed"  # read-only: a hook only reports what it holds for the call


CallHook = Callable[[Session, Call, CallChange, Actor], dict[str, Any] | None]


@dataclass(frozen=True)
class _Registered:
    name: str
    hook: CallHook
    retry_job_kind: str | None


class CallHooks:
    def __init__(self) -> None:
        self._hooks: list[_Registered] = []

    def register(self, name: str, hook: CallHook, *, retry_job_kind: str | None = None) -> None:
        if any(h.name == name for h in self._hooks):
            raise ValueError(f"a call hook named {name!r} is already registered")
        self._hooks.append(_Registered(name, hook, retry_job_kind))

    @property
    def names(self) -> list[str]:
        return [h.name for h in self._hooks]

    def run(
        self, session: Session, *, call: Call, change: CallChange, actor: Actor
    ) -> dict[str, Any]:
        """Each hook's answer under its name; a failed hook is retried later by a job."""
        events_before = pending_event_count(session)
        try:
            with session.begin_nested():
                return self._run_together(session, call=call, change=change, actor=actor)
        except Exception:  # any bug in a reacting domain: find which, keep the others' work
            discard_events_after(session, events_before)
        return self._run_apart(session, call=call, change=change, actor=actor)

    def _run_together(
        self, session: Session, *, call: Call, change: CallChange, actor: Actor
    ) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for registered in self._hooks:
            answer = registered.hook(session, call, change, actor)
            if answer is not None:
                answers[registered.name] = answer
        return answers

    def _run_apart(
        self, session: Session, *, call: Call, change: CallChange, actor: Actor
    ) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for registered in self._hooks:
            events_before = pending_event_count(session)
            try:
                with session.begin_nested():
                    answer = registered.hook(session, call, change, actor)
            except Exception:  # the call itself must still commit
                discard_events_after(session, events_before)
                log.exception(
                    "call hook failed; its work is queued for a retry",
                    extra={"hook": registered.name, "call_id": call.id, "change": change.value},
                )
                if registered.retry_job_kind and change is not CallChange.VIEWED:
                    jobs.enqueue(
                        session,
                        force_id=call.force_id,
                        kind=registered.retry_job_kind,
                        payload={"call_id": call.id, "change": change.value},
                    )
                continue
            if answer is not None:
                answers[registered.name] = answer
        return answers
