"""API shapes for missed-opportunity findings and the review queue."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from heard.review.findings.models import FindingStatus
from heard.review.rules import Entry
from heard.review.rules.case import Severity
from heard.schemas_base import Output, StrictInput


class FindingOut(Output):
    id: int
    rule: str
    title: str = ""
    description: str = ""
    severity: Severity
    at: datetime
    summary: str
    evidence: list[str]
    about: list[str]
    status: FindingStatus
    found_at: datetime
    last_seen_at: datetime
    decided_by_name: str | None
    decided_at: datetime | None
    learning_note: str | None
    who_must_act: str | None
    dismiss_reason: str | None
    version: int


class AcceptIn(StrictInput):
    learning_note: str = Field(min_length=3, max_length=4000)
    who_must_act: str = Field(min_length=2, max_length=120)


class DismissIn(StrictInput):
    reason: str = Field(min_length=3, max_length=4000)


class TrendOut(Output):
    key: str
    open: int
    accepted: int
    dismissed: int
    total: int


class EntryOut(Output):
    at: datetime
    kind: str
    record: str
    summary: str
    by: str | None

    @classmethod
    def from_entry(cls, entry: Entry) -> EntryOut:
        return cls(
            at=entry.at, kind=entry.kind, record=entry.record_id, summary=entry.summary, by=entry.by
        )
