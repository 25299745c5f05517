"""API shapes for the jobs admin view."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heard.jobs.models import JobStatus
from heard.schemas_base import Output


class JobOut(Output):
    id: int
    kind: str
    status: JobStatus
    attempts: int
    max_attempts: int
    run_after: datetime
    locked_by: str | None
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None
    payload: dict[str, Any]
