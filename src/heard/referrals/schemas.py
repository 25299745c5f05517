"""API shapes for the directories, referrals, escalations, Encompass and force settings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, Field

from heard.referrals.models import (
    Consent,
    DeliveryMethod,
    ReferralKind,
    ReferralStatus,
    ServiceKind,
)
from heard.schemas_base import Output, StrictInput

RecordId = Annotated[int, Field(ge=1, le=2**62)]


class ServiceIn(StrictInput):
    name: str = Field(min_length=1, max_length=120)
    kind: ServiceKind
    area: str = Field(min_length=1, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    delivery_method: DeliveryMethod = DeliveryMethod.FILE_DROP
    delivery_address: str = Field(min_length=1, max_length=300)


class ServiceOut(Output):
    id: int
    name: str
    kind: ServiceKind
    area: str
    phone: str | None
    delivery_method: DeliveryMethod
    delivery_address: str
    active: bool


class SchoolIn(StrictInput):
    name: str = Field(min_length=1, max_length=120)
    urn: str = Field(min_length=1, max_length=16)
    dsl_name: str = Field(min_length=1, max_length=120)
    delivery_method: DeliveryMethod = DeliveryMethod.FILE_DROP
    delivery_address: str = Field(min_length=1, max_length=300)


class SchoolOut(Output):
    id: int
    name: str
    urn: str
    dsl_name: str
    delivery_method: DeliveryMethod
    delivery_address: str


class EnrolIn(StrictInput):
    subject_id: RecordId


class ReferralIn(StrictInput):
    service_id: RecordId
    subject_record_id: RecordId
    incident_id: RecordId
    consent: Consent
    consent_note: str | None = Field(default=None, max_length=2000)
    reason: str = Field(min_length=3, max_length=4000)


class StatusIn(StrictInput):
    status: ReferralStatus
    note: str | None = Field(default=None, max_length=2000)


class ReferralOut(Output):
    id: int
    kind: ReferralKind
    service_id: int | None
    school_id: int | None
    subject_record_id: int
    incident_id: int | None
    marac_referral_id: int | None
    consent: Consent | None
    consent_note: str | None
    reason: str
    contents: dict[str, Any]
    recipient: str
    status: ReferralStatus
    created_at: datetime
    due_at: datetime
    delivered_at: datetime | None
    delivery_ref: str | None
    attempts: int
    last_error: str | None
    escalated_at: datetime | None


class EscalationOut(Output):
    id: int
    referral_id: int
    raised_at: datetime
    reason: str
    acknowledged_by: int | None
    acknowledged_at: datetime | None
    note: str | None


class AcknowledgeIn(StrictInput):
    note: str = Field(min_length=3, max_length=2000)


class ChildIn(StrictInput):
    person_record_id: RecordId
    present: bool | None = None
    where: str | None = Field(default=None, max_length=500)
    voice_of_the_child: str | None = Field(default=None, max_length=2000)


class EncompassIn(StrictInput):
    attended_at: AwareDatetime
    circumstances: str = Field(min_length=3, max_length=4000)
    children: list[ChildIn] = Field(default_factory=list, max_length=20)


class SettingsIn(StrictInput):
    school_day_start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: str = Field(default="Europe/London", max_length=40)
    support_due_hours: int = Field(default=24, ge=1, le=24 * 14)
    marac_due_hours: int = Field(default=24, ge=1, le=24 * 14)


class SettingsOut(Output):
    school_day_start: str
    timezone: str
    support_due_hours: int
    marac_due_hours: int
