"""The findings of the missed-opportunity rules, and what a reviewer decided about each."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import (
    Base,
    BigId,
    ForceOwnedMixin,
    IdMixin,
    JsonDoc,
    VersionedMixin,
    enum_column,
)
from heard.db.states import StateMachine
from heard.review.rules.case import Severity


class FindingStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"  # a missed opportunity: with a learning note and who must act
    DISMISSED = "dismissed"  # not one, with the reason


FINDING_TRANSITIONS = StateMachine[FindingStatus](
    "finding",
    {
        FindingStatus.OPEN: frozenset({FindingStatus.ACCEPTED, FindingStatus.DISMISSED}),
        FindingStatus.ACCEPTED: frozenset(),
        FindingStatus.DISMISSED: frozenset(),
    },
)


class MissedOpportunity(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """One finding of one rule over a force's records; two reviewers may decide it at once."""

    __tablename__ = "missed_opportunities"
    # A later sweep finding the same rule over the same evidence updates the row it made before.
    __table_args__ = (
        UniqueConstraint("force_id", "fingerprint"),
        Index("ix_missed_opportunities_force_status", "force_id", "status"),
        Index("ix_missed_opportunities_force_rule", "force_id", "rule"),
    )

    fingerprint: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(48))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity, length=16))
    at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(Text)
    # Record references such as "incident:12", "call:40", "subject:7", deciding record first.
    evidence: Mapped[list[str]] = mapped_column(JsonDoc)
    # The people it is about, as "subject:ID" (or "record:ID" for an unlinked person record).
    about: Mapped[list[str]] = mapped_column(JsonDoc)
    found_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    status: Mapped[FindingStatus] = mapped_column(enum_column(FindingStatus, length=16))
    decided_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None]
    learning_note: Mapped[str | None] = mapped_column(Text)
    # The team or role that must act on an accepted finding ("control room", "response team 3").
    who_must_act: Mapped[str | None] = mapped_column(String(120))
    dismiss_reason: Mapped[str | None] = mapped_column(Text)
