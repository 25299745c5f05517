"""Enqueue, claim (compare-and-set), finish, retry with back-off, recover expired leases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from heard.clock import utcnow
from heard.db.bulk import insert_returning
from heard.db.uow import record_event
from heard.events import JobEnqueued
from heard.jobs.models import JOB_TRANSITIONS, Job, JobStatus

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 15 * 60


class PermanentJobError(Exception):
    """The job can never succeed as it stands (bad payload, refused by the receiver)."""


class RetryableJobError(Exception):
    """The job may succeed later (receiver down, timeout)."""


@dataclass(frozen=True, kw_only=True)
class NewJob:
    payload: dict[str, Any]
    run_after: datetime | None = None
    max_attempts: int = 8
    dedupe_key: str | None = None


def enqueue(
    session: Session,
    *,
    force_id: int,
    kind: str,
    payload: dict[str, Any],
    run_after: datetime | None = None,
    max_attempts: int = 8,
    dedupe_key: str | None = None,
) -> Job:
    new = NewJob(
        payload=payload, run_after=run_after, max_attempts=max_attempts, dedupe_key=dedupe_key
    )
    return enqueue_many(session, force_id=force_id, kind=kind, jobs=[new])[0]


def enqueue_many(
    session: Session, *, force_id: int, kind: str, jobs: Sequence[NewJob]
) -> list[Job]:
    """Queue jobs of one kind with one insert; the jobs, in the order given."""
    if not jobs:
        return []
    now = utcnow()
    rows = [
        {
            "force_id": force_id,
            "kind": kind,
            "payload": job.payload,
            "status": JobStatus.QUEUED,
            "run_after": job.run_after or now,
            "max_attempts": job.max_attempts,
            "dedupe_key": job.dedupe_key,
        }
        for job in jobs
    ]
    created = insert_returning(session, Job, rows)
    for job in created:
        record_event(session, JobEnqueued(force_id=force_id, job_id=job.id, kind=kind))
    return created


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempts - 1)))


def claim_next(
    session: Session, *, worker_id: str, lease_seconds: int, kinds: frozenset[str] | None = None
) -> Job | None:
    """Take one due job. The UPDATE only succeeds if nobody else took it first (compare-and-set)."""
    now = utcnow()
    due = and_(
        or_(
            and_(Job.status == JobStatus.QUEUED, Job.run_after <= now),
            and_(Job.status == JobStatus.RUNNING, Job.locked_until < now),  # a worker died
        ),
    )
    query = select(Job.id, Job.status, Job.attempts).where(due).order_by(Job.run_after).limit(5)
    if kinds is not None:
        query = query.where(Job.kind.in_(kinds))
    for job_id, status, attempts in session.execute(query).all():
        taken: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(Job)
            .where(Job.id == job_id, Job.status == status, Job.attempts == attempts)
            .values(
                status=JobStatus.RUNNING,
                attempts=attempts + 1,
                locked_by=worker_id,
                locked_until=now + timedelta(seconds=lease_seconds),
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:
            job = session.get_one(Job, job_id, populate_existing=True)
            return job
    return None


def _owned(session: Session, *, job_id: int, worker_id: str) -> Job | None:
    job = session.get(Job, job_id, populate_existing=True, with_for_update=True)
    if job is None or job.status is not JobStatus.RUNNING or job.locked_by != worker_id:
        return None  # the lease expired and another worker took it over
    return job


def mark_succeeded(session: Session, *, job_id: int, worker_id: str) -> bool:
    job = _owned(session, job_id=job_id, worker_id=worker_id)
    if job is None:
        return False
    job.status = JOB_TRANSITIONS.check(job.status, JobStatus.SUCCEEDED)
    job.finished_at, job.locked_by, job.locked_until = utcnow(), None, None
    return True


def mark_failed(
    session: Session, *, job_id: int, worker_id: str, error: str, permanent: bool
) -> bool:
    job = _owned(session, job_id=job_id, worker_id=worker_id)
    if job is None:
        return False
    job.last_error = error[:4000]
    job.locked_by, job.locked_until = None, None
    if permanent or job.attempts >= job.max_attempts:
        job.status = JOB_TRANSITIONS.check(job.status, JobStatus.FAILED)
        job.finished_at = utcnow()
    else:
        job.status = JOB_TRANSITIONS.check(job.status, JobStatus.QUEUED)
        job.run_after = utcnow() + backoff(job.attempts)
    return True


def requeue(session: Session, *, job: Job) -> Job:
    """A person asks for a failed or queued job to run again now."""
    if job.status is not JobStatus.QUEUED:
        job.status = JOB_TRANSITIONS.check(job.status, JobStatus.QUEUED)
    job.run_after, job.finished_at = utcnow(), None
    job.attempts = 0
    return job


def list_jobs(
    session: Session, *, force_id: int, status: JobStatus | None = None, limit: int = 100
) -> list[Job]:
    query = select(Job).where(Job.force_id == force_id).order_by(Job.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Job.status == status)
    return list(session.scalars(query))


def counts_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    return {status.value: count for status, count in rows}
