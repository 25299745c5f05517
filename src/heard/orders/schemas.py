"""API shapes for the register, duties, breaches and telemetry.

Two views of an order: `OrderManagerView` for those who manage orders (everything), and
`OrderView` for everyone else who may read orders, which has no field that can carry a protected
person's zone, device or location. `SubjectCopy` is the document served on the subject.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field, model_validator

from heard.orders.conditions import Conditions
from heard.orders.models import ApplicantType, OrderBasis, OrderStatus, OrderType, PartyKind
from heard.orders.records import (
    BreachKind,
    BreachStatus,
    DutyKind,
    DutyStatus,
    OrderAlertKind,
    OrderEventKind,
)
from heard.schemas_base import Output, StrictInput

Text200 = Field(min_length=1, max_length=200)
COURT_APPLICANTS = {
    ApplicantType.COURT_FAMILY,
    ApplicantType.COURT_CIVIL,
    ApplicantType.COURT_CRIMINAL,
}
BASES = {
    OrderType.RESTRAINING: {OrderBasis.CONVICTION, OrderBasis.ACQUITTAL},
    OrderType.STALKING_PROTECTION: {OrderBasis.INTERIM, OrderBasis.FULL},
}


class PartyIn(StrictInput):
    person_record_id: int
    party: PartyKind = PartyKind.PROTECTED_PERSON
    device_id: str | None = Field(default=None, min_length=1, max_length=64)


class OrderIn(StrictInput):
    order_type: OrderType
    status: Literal["applied", "active"] = "active"
    subject_record_id: int
    protected: list[PartyIn] = Field(default_factory=list, max_length=20)
    applicant_type: ApplicantType
    applicant_name: str | None = Field(default=None, max_length=200)
    issued_by: str = Text200
    basis: OrderBasis | None = None
    made_at: AwareDatetime
    served_at: AwareDatetime | None = None
    served_by: str | None = Field(default=None, max_length=120)
    service_address: str | None = Field(default=None, max_length=500)
    expires_at: AwareDatetime | None = None
    incident_id: int | None = None
    follows_order_id: int | None = None
    conditions: Conditions = Field(default_factory=Conditions)

    @model_validator(mode="after")
    def _consistent(self) -> OrderIn:
        if self.applicant_type is ApplicantType.THIRD_PARTY and not self.applicant_name:
            raise ValueError("applicant_name: name the third party (e.g. the local authority)")
        allowed = BASES.get(self.order_type)
        if allowed is not None and self.basis not in allowed:
            names = " or ".join(sorted(b.value for b in allowed))
            raise ValueError(f"basis: a {self.order_type.value} order is made on {names}")
        if allowed is None and self.basis is not None:
            raise ValueError(f"basis: not used for a {self.order_type.value}")
        if self.expires_at is not None and self.expires_at <= self.made_at:
            raise ValueError("expires_at must be after made_at (leave it out for no end date)")
        if self.served_at is not None and self.served_at < self.made_at:
            raise ValueError("served_at cannot be before made_at")
        return self


class OrderPatch(StrictInput):
    """Send the version you read. A change of conditions on an order in force is a variation."""

    version: int
    issued_by: str | None = Field(default=None, min_length=1, max_length=200)
    applicant_name: str | None = Field(default=None, max_length=200)
    expires_at: AwareDatetime | None = None
    protected: list[PartyIn] | None = Field(default=None, max_length=20)
    conditions: Conditions | None = None
    court: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=2000)


class StatusIn(StrictInput):
    version: int
    status: OrderStatus
    at: AwareDatetime | None = None
    court: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=2000)


class ServiceIn(StrictInput):
    version: int
    served_at: AwareDatetime
    served_by: str = Field(min_length=1, max_length=120)
    service_address: str = Field(min_length=1, max_length=500)


class AppealIn(StrictInput):
    version: int
    event: Literal["lodged", "allowed", "dismissed"]
    at: AwareDatetime
    court: str = Text200
    reason: str | None = Field(default=None, max_length=2000)


class PartyManagerOut(Output):
    person_record_id: int
    party: PartyKind
    device_id: str | None


class PartyOut(Output):
    person_record_id: int
    party: PartyKind


class _OrderBase(Output):
    id: int
    version: int
    order_type: OrderType
    status: OrderStatus
    subject_record_id: int
    applicant_type: ApplicantType | None
    applicant_name: str | None
    issued_by: str
    basis: OrderBasis | None
    made_at: datetime
    served_at: datetime | None
    expires_at: datetime | None
    incident_id: int | None
    follows_order_id: int | None
    conditions: dict[str, Any]


class OrderManagerView(_OrderBase):
    served_by: str | None
    service_address: str | None
    protected: list[PartyManagerOut]


class OrderView(_OrderBase):
    """No service address, no protected person's device, zones without their location."""

    protected: list[PartyOut]


class SubjectCopy(Output):
    order_id: int
    order_type: OrderType
    issued_by: str
    made_at: datetime
    expires_at: datetime | None
    requirements: dict[str, Any]
    breach_warning: str


class OrderEventOut(Output):
    id: int
    kind: OrderEventKind
    at: datetime
    recorded_at: datetime
    recorded_by: str
    court: str | None
    reason: str | None
    from_status: str | None
    to_status: str | None
    details: dict[str, Any]


class DutyOut(Output):
    id: int
    version: int
    order_id: int
    kind: DutyKind
    trigger: str
    triggered_at: datetime
    due_at: datetime
    status: DutyStatus
    done_at: datetime | None
    note: str | None
    requirement_id: str | None


class NotificationChangeIn(StrictInput):
    event: Literal["new_name", "address_change", "homeless"]
    occurred_at: AwareDatetime
    detail: str | None = Field(default=None, max_length=500)


class DutyDoneIn(StrictInput):
    version: int
    done_at: AwareDatetime
    note: str | None = Field(default=None, max_length=2000)


class ComplianceReportIn(StrictInput):
    requirement_id: str = Field(min_length=1, max_length=64)
    appointment_at: AwareDatetime
    attended: bool
    supervisor: str = Text200
    note: str | None = Field(default=None, max_length=2000)


class ComplianceReportOut(Output):
    id: int
    order_id: int
    requirement_id: str
    appointment_at: datetime
    attended: bool
    supervisor: str
    note: str | None
    reported_at: datetime


class OrderAlertOut(Output):
    id: int
    order_id: int
    kind: OrderAlertKind
    message: str
    raised_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    duty_id: int | None
    breach_id: int | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class BreachReportIn(StrictInput):
    """A breach reported by a person (the protected person, a witness, an officer)."""

    occurred_at: AwareDatetime
    description: str = Field(min_length=1, max_length=4000)
    grade: Literal["emergency", "priority"] = "emergency"


class OutcomeIn(StrictInput):
    version: int
    status: Literal["attended", "arrested", "charged", "no_further_action"]
    at: AwareDatetime
    reason: str | None = Field(default=None, max_length=4000)


class BreachOut(Output):
    id: int
    version: int
    order_id: int
    kind: BreachKind
    grade: str
    confidence: str | None
    device_id: str | None
    condition: str | None
    description: str | None
    started_at: datetime
    ended_at: datetime | None
    raised_at: datetime
    point_received_at: datetime | None
    status: BreachStatus
    attended_at: datetime | None
    arrested_at: datetime | None
    charged_at: datetime | None
    closed_at: datetime | None
    nfa_reason: str | None
    outcome_by: str | None
    escalated_at: datetime | None
    evidence: dict[str, Any]


class SettingsIn(StrictInput):
    live_lateness_s: float = Field(ge=0, le=60)
    escalate_after_minutes: float = Field(ge=1, le=24 * 60)
    warmup_minutes: float = Field(ge=5, le=240)


class SettingsOut(Output):
    live_lateness_s: float
    escalate_after_minutes: float
    warmup_minutes: float


class TelemetryIn(StrictInput):
    """A batch from a monitoring centre. Each point is checked on its own (see PointIn)."""

    points: list[Any] = Field(min_length=1, max_length=5000)


class PointIn(StrictInput):
    device_id: str = Field(min_length=1, max_length=64)
    ts: AwareDatetime
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: float = Field(ge=0, le=100_000, allow_inf_nan=False)
    battery_pct: float | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    tamper: bool = False
    signal: str | None = Field(default=None, max_length=16)


class RejectedPoint(Output):
    index: int
    errors: list[str]


class TelemetryAck(Output):
    stored: int
    duplicates: int
    rejected: list[RejectedPoint]
