"""Link suggestions waiting for a person, and the subject changes people made (reversible)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, ForceOwnedMixin, IdMixin, JsonDoc, enum_column
from heard.db.states import StateMachine


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


SUGGESTION_TRANSITIONS = StateMachine[SuggestionStatus](
    "link suggestion",
    {
        SuggestionStatus.PENDING: frozenset(
            {SuggestionStatus.CONFIRMED, SuggestionStatus.REJECTED}
        ),
        # A decision can be taken back; the pair then waits for a person again.
        SuggestionStatus.CONFIRMED: frozenset({SuggestionStatus.PENDING}),
        SuggestionStatus.REJECTED: frozenset({SuggestionStatus.PENDING}),
    },
)


class LinkSuggestion(IdMixin, ForceOwnedMixin, Base):
    """A possible match between a person named on a call and an existing record."""

    __tablename__ = "link_suggestions"
    __table_args__ = (
        Index("ix_link_suggestions_pair", "force_id", "record_id", "candidate_id"),
        # Rejected pairs are read on every call (never suggested again); few among many.
        Index("ix_link_suggestions_force_status", "force_id", "status"),
    )

    call_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    record_id: Mapped[int] = mapped_column(BigId, ForeignKey("person_records.id"))
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("person_records.id"))
    candidate_subject_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("subjects.id"))
    probability: Mapped[float] = mapped_column(Float)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    status: Mapped[SuggestionStatus] = mapped_column(enum_column(SuggestionStatus, length=16))
    created_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)


class ChangeKind(StrEnum):
    LINK = "link"  # a record joined an existing subject
    MERGE = "merge"  # two subjects became one
    SPLIT = "split"  # a record left its subject for a new one


class SubjectChange(IdMixin, ForceOwnedMixin, Base):
    """What a person changed about who is who, with enough detail to undo it exactly."""

    __tablename__ = "subject_changes"

    kind: Mapped[ChangeKind] = mapped_column(enum_column(ChangeKind, length=8))
    # record id -> the subject it belonged to before the change
    moved: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    to_subject_id: Mapped[int] = mapped_column(BigId, ForeignKey("subjects.id"))
    made_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    made_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    suggestion_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("link_suggestions.id"))
    reversed_at: Mapped[datetime | None]
    reversed_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    reverse_reason: Mapped[str | None] = mapped_column(String(500))
