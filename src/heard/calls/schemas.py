"""API shapes for intake and the safeguarding context."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from heard.incidents.models import CallStatus, Channel
from heard.schemas_base import Output, StrictInput


class CallIn(BaseModel):
    """Only source_ref, channel and received_at are structural; the rest is read leniently."""

    # Unknown fields are noted on the call rather than refused: a 999 call must get through.
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    source_ref: str = Field(min_length=1, max_length=64)
    channel: Channel
    received_at: AwareDatetime
    caller_number: Any = None
    free_text: Any = None
    aml: Any = None
    address: Any = None
    postcode: Any = None
    handler_ref: Any = None
    grade: Any = None
    people: list[Any] = Field(default_factory=list, max_length=50)
    relationship: Any = None


class CallPatch(BaseModel):
    """Details learned as the call goes on; the same leniency as intake."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    free_text: Any = None
    address: Any = None
    postcode: Any = None
    people: list[Any] = Field(default_factory=list, max_length=50)
    relationship: Any = None


class CloseIn(StrictInput):
    disposition: str = Field(min_length=1, max_length=64)


class DecisionIn(StrictInput):
    reason: str = Field(min_length=3, max_length=2000)


class MergeIn(StrictInput):
    keep_subject_id: int
    merge_subject_id: int
    reason: str = Field(min_length=3, max_length=2000)


class FieldWeightOut(Output):
    field: str
    level: str
    weight: float
    value_frequency: float | None = None


class CandidateOut(Output):
    record_id: int
    subject_id: int | None
    probability: float
    band: str
    explanation: list[FieldWeightOut]
    suggestion_id: int | None = None


class PersonOnCallOut(Output):
    record_id: int
    role: str
    name: str
    date_of_birth: str | None
    subject_id: int | None
    link: str  # linked, suggested, new
    confidence: float | None
    candidates: list[CandidateOut]


class OrderOut(Output):
    id: int
    order_type: str
    status: str
    made_at: datetime
    expires_at: datetime | None
    as_role: str  # subject or protected


class SubjectSummaryOut(Output):
    subject_id: int
    name: str
    date_of_birth: str | None
    roles_on_call: list[str]
    incidents_by_year: dict[str, int]
    incidents_total: int
    da_incidents: int
    da_incidents_12m: int
    calls_24h: int
    calls_7d: int
    calls_12m: int
    last_incident_at: datetime | None
    hours_since_last_incident: float | None
    risk_grades: list[dict[str, Any]]
    marac_last_12m: bool
    last_marac_at: datetime | None
    markers: list[dict[str, Any]]
    orders: list[OrderOut]
    children: list[dict[str, Any]]
    other_victims: list[dict[str, Any]]
    related_people: list[dict[str, Any]]


class LocationSummaryOut(Output):
    location_id: int
    address: str
    postcode: str | None
    incidents_12m: int
    da_incidents_12m: int
    markers: list[dict[str, Any]]


class CallOut(Output):
    id: int
    source_ref: str
    channel: Channel
    received_at: datetime
    status: CallStatus
    incident_id: int | None
    suggested_incident_id: int | None
    caller_number: str | None
    disposition: str | None
    invalid_fields: list[dict[str, Any]] | None


class ContextOut(Output):
    call: CallOut
    incident_link: str  # new, attached, suggested
    people: list[PersonOnCallOut]
    subjects: list[SubjectSummaryOut]
    location: LocationSummaryOut | None
    # What domains above calls derive from the call, under the name each registered its hook
    # with (`signals`: warning signs and the suggested grade; see heard.calls.hooks).
    extensions: dict[str, Any] = {}
    timings_ms: dict[str, float]
