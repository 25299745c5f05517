"""Tables for risk assessments (as completed) and MARAC referrals."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, ForceOwnedMixin, IdMixin, JsonDoc, enum_column


class RiskGrade(StrEnum):
    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


class MaracOutcome(StrEnum):
    PENDING = "pending"
    ACTION_PLAN_AGREED = "action_plan_agreed"
    INFORMATION_SHARED = "information_shared"
    NOT_HEARD = "not_heard"


class RiskAssessment(IdMixin, ForceOwnedMixin, Base):
    """A completed assessment with the grade it ended with and, if lowered, the grade before."""

    __tablename__ = "risk_assessments"

    # Instrument ids are data (e.g. "dash-acpo-27"), so new instruments need no migration.
    instrument: Mapped[str] = mapped_column(String(32))
    grade: Mapped[RiskGrade] = mapped_column(enum_column(RiskGrade, length=16))
    yes_count: Mapped[int | None] = mapped_column(Integer)
    assessed_at: Mapped[datetime]
    victim_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    # A lowered grade is what the IOPC found unprobed in the Oudeh case, so keep the earlier one.
    grade_lowered: Mapped[bool] = mapped_column(Boolean)
    earlier_grade: Mapped[RiskGrade | None] = mapped_column(enum_column(RiskGrade, length=16))


class MaracReferral(IdMixin, ForceOwnedMixin, Base):
    """A referral of a victim to the multi-agency risk assessment conference."""

    __tablename__ = "marac_referrals"

    victim_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"))
    referred_at: Mapped[datetime]
    criteria: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[MaracOutcome] = mapped_column(enum_column(MaracOutcome))
