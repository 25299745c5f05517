"""Runs jobs: in-process by default, or as `heard worker` processes in production."""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable

from sqlalchemy.orm import Session

from heard.db.uow import Database
from heard.jobs import service
from heard.jobs.models import Job

log = logging.getLogger(__name__)

JobHandler = Callable[[Session, Job], None]


class JobRegistry:
    def __init__(self) -> None:
        self._handlers: dict[str, JobHandler] = {}

    def register(self, kind: str, handler: JobHandler) -> None:
        if kind in self._handlers:
            raise ValueError(f"a handler for job kind {kind!r} is already registered")
        self._handlers[kind] = handler

    def get(self, kind: str) -> JobHandler | None:
        return self._handlers.get(kind)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


class Worker:
    def __init__(
        self, db: Database, registry: JobRegistry, *, lease_seconds: int, worker_id: str = ""
    ) -> None:
        self.db = db
        self.registry = registry
        self.lease_seconds = lease_seconds
        self.worker_id = worker_id or default_worker_id()
        self._stop = threading.Event()

    def run_once(self) -> bool:
        """Claim and run one job; False when nothing was due."""
        with self.db.unit_of_work() as uow:
            job = service.claim_next(
                uow.session,
                worker_id=self.worker_id,
                lease_seconds=self.lease_seconds,
                kinds=self.registry.kinds,
            )
            if job is None:
                return False
            job_id, kind = job.id, job.kind
            uow.commit()
        self._execute(job_id, kind)
        return True

    def _execute(self, job_id: int, kind: str) -> None:
        handler = self.registry.get(kind)
        try:
            with self.db.unit_of_work() as uow:
                job = uow.session.get_one(Job, job_id)
                if handler is None:
                    raise service.PermanentJobError(f"no handler for job kind {kind!r}")
                handler(uow.session, job)
                if service.mark_succeeded(uow.session, job_id=job_id, worker_id=self.worker_id):
                    uow.commit()
        except Exception as exc:  # recorded on the job row; the worker keeps going
            permanent = isinstance(exc, service.PermanentJobError)
            log.warning(
                "job failed", extra={"job_id": job_id, "kind": kind, "permanent": permanent}
            )
            with self.db.unit_of_work() as uow:
                error = "".join(traceback.format_exception_only(exc)).strip()
                service.mark_failed(
                    uow.session,
                    job_id=job_id,
                    worker_id=self.worker_id,
                    error=error,
                    permanent=permanent,
                )
                uow.commit()

    def run_forever(self, *, poll_seconds: float) -> None:
        log.info("worker started", extra={"worker_id": self.worker_id})
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:  # a lost database connection must not kill the worker
                log.exception("worker loop error; retrying")
                ran = False
            if not ran:
                self._stop.wait(poll_seconds)
        log.info("worker stopped", extra={"worker_id": self.worker_id})

    def stop(self) -> None:
        self._stop.set()

    def start_thread(self, *, poll_seconds: float) -> threading.Thread:
        thread = threading.Thread(
            target=self.run_forever, kwargs={"poll_seconds": poll_seconds}, daemon=True
        )
        thread.start()
        return thread
