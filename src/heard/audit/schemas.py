"""API shapes for the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heard.schemas_base import Output


class AuditEntryOut(Output):
    seq: int
    at: datetime
    username: str
    role: str
    action: str
    record_type: str | None
    record_id: str | None
    reason: str | None
    request_id: str | None
    client_addr: str | None
    details: dict[str, Any]
    hash: str


class ChainReportOut(Output):
    force_code: str
    entries_checked: int
    ok: bool
    broken_at_seq: int | None
    problem: str | None
