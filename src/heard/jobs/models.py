"""The jobs table and its state machine."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, ForceOwnedMixin, IdMixin, TimestampMixin, enum_column
from heard.db.states import StateMachine


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # permanent: a person must look at it
    CANCELLED = "cancelled"


JOB_TRANSITIONS = StateMachine[JobStatus](
    "job",
    {
        JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELLED}),
        # RUNNING -> QUEUED is a retry after a retryable failure or an expired lease.
        JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.QUEUED}),
        JobStatus.FAILED: frozenset({JobStatus.QUEUED, JobStatus.CANCELLED}),
        JobStatus.SUCCEEDED: frozenset(),
        JobStatus.CANCELLED: frozenset(),
    },
)


class Job(IdMixin, ForceOwnedMixin, TimestampMixin, Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_claimable", "status", "run_after"),)

    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus, length=16), default=JobStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    run_after: Mapped[datetime]
    locked_by: Mapped[str | None] = mapped_column(String(64), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True, default=None)
