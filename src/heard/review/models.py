"""Tables for specialist reviews, who held them, advice sent, outcomes, and attending officers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Float, ForeignKey, String, Text, UniqueConstraint
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
from heard.incidents.models import Grade


class ReviewState(StrEnum):
    NEW = "new"  # waiting for a specialist
    LISTENING = "listening"  # a specialist has it open
    ADVISED = "advised"  # the specialist has sent advice
    REVIEWED = "reviewed"  # the outcome is recorded
    CLOSED = "closed"


REVIEW_TRANSITIONS = StateMachine[ReviewState](
    "specialist review",
    {
        ReviewState.NEW: frozenset({ReviewState.LISTENING}),
        # Released back to the queue before anything was done with it.
        ReviewState.LISTENING: frozenset(
            {ReviewState.NEW, ReviewState.ADVISED, ReviewState.REVIEWED}
        ),
        ReviewState.ADVISED: frozenset({ReviewState.REVIEWED}),
        ReviewState.REVIEWED: frozenset({ReviewState.CLOSED}),
        ReviewState.CLOSED: frozenset(),
    },
)


class DaReview(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """A specialist's review of one domestic abuse call; one owner at a time.

    Versioned, so two specialists claiming at once cannot both win: the second write is stale.
    """

    __tablename__ = "da_reviews"

    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), unique=True)
    incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"))
    state: Mapped[ReviewState] = mapped_column(enum_column(ReviewState, length=16), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    # When a specialist first picked the call up: the service-level clock stops here.
    first_claimed_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    first_advice_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class AssignmentAction(StrEnum):
    CLAIM = "claim"
    HAND_OVER = "hand_over"
    RELEASE = "release"


class ReviewAssignment(IdMixin, ForceOwnedMixin, Base):
    """Who held a review and how it changed hands: hand-over is explicit and recorded."""

    __tablename__ = "da_review_assignments"

    review_id: Mapped[int] = mapped_column(BigId, ForeignKey("da_reviews.id"), index=True)
    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"))
    action: Mapped[AssignmentAction] = mapped_column(enum_column(AssignmentAction, length=16))
    from_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    by_user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)


class Audience(StrEnum):
    HANDLER = "handler"
    OFFICERS = "officers"


class AdviceMessage(IdMixin, ForceOwnedMixin, Base):
    """Advice from the specialist to the call handler or to the officers attending."""

    __tablename__ = "advice_messages"

    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    review_id: Mapped[int] = mapped_column(BigId, ForeignKey("da_reviews.id"))
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, length=16))
    text: Mapped[str] = mapped_column(Text)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_by: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    sent_by_name: Mapped[str] = mapped_column(String(120))
    sent_at: Mapped[datetime]


class AdviceAcknowledgement(IdMixin, ForceOwnedMixin, Base):
    """A handler or officer confirming they have read a piece of advice."""

    __tablename__ = "advice_acknowledgements"
    __table_args__ = (UniqueConstraint("advice_id", "user_id"),)

    advice_id: Mapped[int] = mapped_column(BigId, ForeignKey("advice_messages.id"), index=True)
    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"))
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    user_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(32))
    acknowledged_at: Mapped[datetime]
    seconds_to_acknowledge: Mapped[float] = mapped_column(Float)


class ReferralNeed(StrEnum):
    IDVA = "idva"
    MARAC = "marac"
    OPERATION_ENCOMPASS = "operation_encompass"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"
    ADULT_SOCIAL_CARE = "adult_social_care"
    REFUGE = "refuge"
    PERPETRATOR_PROGRAMME = "perpetrator_programme"


class ReviewOutcome(IdMixin, ForceOwnedMixin, Base):
    """What the specialist concluded about the call, and feedback for the handler."""

    __tablename__ = "da_review_outcomes"

    review_id: Mapped[int] = mapped_column(BigId, ForeignKey("da_reviews.id"), unique=True)
    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    agreed: Mapped[bool] = mapped_column(Boolean)
    raised_grade: Mapped[Grade | None] = mapped_column(enum_column(Grade, length=16))
    referrals_needed: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    missed_opportunity: Mapped[bool] = mapped_column(Boolean)
    missed_opportunity_note: Mapped[str | None] = mapped_column(Text)
    coaching: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime]


class OfficerAssignment(IdMixin, ForceOwnedMixin, Base):
    """An officer sent to an incident: the only incidents an officer's page shows."""

    __tablename__ = "officer_assignments"
    __table_args__ = (UniqueConstraint("incident_id", "officer_user_id"),)

    incident_id: Mapped[int] = mapped_column(BigId, ForeignKey("incidents.id"))
    call_id: Mapped[int] = mapped_column(BigId, ForeignKey("calls.id"), index=True)
    officer_user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), index=True)
    assigned_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    assigned_by_name: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime]
    # The officer confirmed they have read the safety information and advice.
    acknowledged_at: Mapped[datetime | None]
