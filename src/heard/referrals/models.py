"""Tables for the services and schools directories, referrals, escalations and MARAC packs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
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


class ServiceKind(StrEnum):
    IDVA = "idva"
    REFUGE = "refuge"
    NATIONAL_HELPLINE = "national_helpline"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care"  # children's social care / MASH
    MALE_VICTIMS = "male_victims"
    LGBT_PLUS = "lgbt_plus"
    HONOUR_BASED_ABUSE = "honour_based_abuse"
    PERPETRATOR_PROGRAMME = "perpetrator_programme"
    MARAC = "marac"  # the MARAC coordinator, who receives referral packs


# Services that work with the person who harmed: what they receive is built for the suspect's
# eyes, so it never carries the victim's location or anything about the victim's referrals.
SUSPECT_FACING = frozenset({ServiceKind.PERPETRATOR_PROGRAMME})


class DeliveryMethod(StrEnum):
    FILE_DROP = "file_drop"
    SECURE_EMAIL = "secure_email"
    SFTP = "sftp"
    HTTPS_API = "https_api"


class ReferralKind(StrEnum):
    SUPPORT = "support"
    MARAC = "marac"
    ENCOMPASS = "encompass"


class Consent(StrEnum):
    GIVEN = "consent"
    OVERRIDDEN_HIGH_RISK = "no_consent_high_risk"
    DECLINED = "declined"


class ReferralStatus(StrEnum):
    PENDING = "pending"  # due, waiting for delivery (or for a person to name a recipient)
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    DECLINED = "declined"  # the receiving service turned it down
    FAILED = "failed"  # delivery cannot succeed as configured; a person must act
    WITHDRAWN = "withdrawn"
    NOT_SENT = "not_sent"  # the victim declined and the risk did not justify overriding


REFERRAL_TRANSITIONS = StateMachine[ReferralStatus](
    "referral",
    {
        ReferralStatus.PENDING: frozenset(
            {ReferralStatus.DELIVERED, ReferralStatus.FAILED, ReferralStatus.WITHDRAWN}
        ),
        ReferralStatus.FAILED: frozenset({ReferralStatus.PENDING, ReferralStatus.WITHDRAWN}),
        ReferralStatus.DELIVERED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
        ReferralStatus.ACCEPTED: frozenset(),
        ReferralStatus.DECLINED: frozenset(),
        ReferralStatus.WITHDRAWN: frozenset(),
        ReferralStatus.NOT_SENT: frozenset(),
    },
)
# Still owed to someone: these escalate when their due time passes.
OUTSTANDING = frozenset({ReferralStatus.PENDING, ReferralStatus.FAILED})


class SupportService(IdMixin, ForceOwnedMixin, Base):
    """An entry in the force's services directory and how referrals reach it."""

    __tablename__ = "support_services"
    __table_args__ = (UniqueConstraint("force_id", "name"),)

    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind))
    area: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    delivery_method: Mapped[DeliveryMethod] = mapped_column(enum_column(DeliveryMethod))
    # An e-mail address, an https URL, an sftp://host/path, or a sub-folder of the drop directory.
    delivery_address: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class School(IdMixin, ForceOwnedMixin, Base):
    """A school and its designated safeguarding lead, for Operation Encompass notifications."""

    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("force_id", "urn"),)

    name: Mapped[str] = mapped_column(String(120))
    urn: Mapped[str] = mapped_column(String(16))
    dsl_name: Mapped[str] = mapped_column(String(120))
    delivery_method: Mapped[DeliveryMethod] = mapped_column(enum_column(DeliveryMethod))
    delivery_address: Mapped[str] = mapped_column(String(300))


class SchoolEnrolment(IdMixin, ForceOwnedMixin, Base):
    """Which school a child (a subject) attends, as known to the force."""

    __tablename__ = "school_enrolments"
    __table_args__ = (UniqueConstraint("subject_id", "school_id"),)

    subject_id: Mapped[int] = mapped_column(BigId, ForeignKey("subjects.id"), index=True)
    school_id: Mapped[int] = mapped_column(BigId, ForeignKey("schools.id"))


class Referral(IdMixin, ForceOwnedMixin, VersionedMixin, Base):
    """Something owed to a partner agency: what, about whom, to whom, by when, and where it is."""

    __tablename__ = "referrals"

    kind: Mapped[ReferralKind] = mapped_column(enum_column(ReferralKind, length=16))
    service_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("support_services.id"))
    school_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("schools.id"))
    subject_record_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("person_records.id"), index=True
    )
    victim_record_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("person_records.id"))
    incident_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("incidents.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("assessments.id"))
    marac_referral_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marac_referrals.id"))
    consent: Mapped[Consent | None] = mapped_column(enum_column(Consent, length=24))
    consent_note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    # What was (or will be) sent, field by field, exactly as the document shows it.
    contents: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    recipient: Mapped[str] = mapped_column(String(300))
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus, length=16))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]
    delivery_ref: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    status_note: Mapped[str | None] = mapped_column(Text)
    escalated_at: Mapped[datetime | None]


class ReferralEscalation(IdMixin, ForceOwnedMixin, Base):
    """An overdue referral put in front of a supervisor; stays until someone acknowledges it."""

    __tablename__ = "referral_escalations"

    referral_id: Mapped[int] = mapped_column(BigId, ForeignKey("referrals.id"), unique=True)
    raised_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    acknowledged_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)


class MaracPack(IdMixin, ForceOwnedMixin, Base):
    """The referral pack for one MARAC referral, as HTML and PDF, built once and kept as sent."""

    __tablename__ = "marac_packs"

    marac_referral_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("marac_referrals.id"), unique=True
    )
    html: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime]


class ReferralSettings(Base):
    """Per-force settings; a force without a row uses the defaults in heard.referrals.service."""

    __tablename__ = "referral_settings"

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"), primary_key=True)
    school_day_start: Mapped[str] = mapped_column(String(5))  # local "HH:MM"
    timezone: Mapped[str] = mapped_column(String(40))
    support_due_hours: Mapped[int] = mapped_column(Integer)
    marac_due_hours: Mapped[int] = mapped_column(Integer)
