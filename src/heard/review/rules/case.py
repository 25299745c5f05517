"""The self-contained case history the missed-opportunity rules read (format `heard-case/1`).

One JSON document holds everything a reviewer would lay out on the table: people, calls,
incidents, grades and grade changes, warning signs and their acknowledgements, risk assessments,
MARAC and other referrals, orders with their duties, breaches, arrests and attendances. Every
record has an `id` that is unique in the document, and records point at each other by those ids,
so a finding can name its evidence. The format is documented field by field in docs/review.md.

Times must carry a zone (`...Z` or `+01:00`) and are held in UTC. Unknown keys are refused: a
misspelt `arrest_made` silently dropped would invent a missed opportunity.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from heard.clock import ensure_utc
from heard.review.rules.integrity import problems

FORMAT: Literal["heard-case/1"] = "heard-case/1"

Timestamp = Annotated[datetime, AfterValidator(ensure_utc)]
RecordId = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=2000)]


class Grade(StrEnum):
    EMERGENCY = "emergency"
    PRIORITY = "priority"
    SCHEDULED = "scheduled"
    RESOLUTION = "resolution"


# Lower is more urgent: a change to a higher number is a lowered grade.
GRADE_RANK = {Grade.EMERGENCY: 0, Grade.PRIORITY: 1, Grade.SCHEDULED: 2, Grade.RESOLUTION: 3}


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class RiskLevel(StrEnum):
    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


class ChangeKind(StrEnum):
    SUGGESTED = "suggested"
    SET = "set"
    REVERTED = "reverted"
    CALL_BACK = "call_back"


class ChangeStatus(StrEnum):
    RECORDED = "recorded"
    PENDING = "pending"
    SIGNED_OFF = "signed_off"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class AckAction(StrEnum):
    ASKED_ABOUT_IT = "asked_about_it"
    PASSED_TO_OFFICERS = "passed_to_officers"
    RAISED_GRADE = "raised_grade"
    NOT_RELEVANT = "not_relevant"


class ReferralKind(StrEnum):
    SUPPORT = "support"
    MARAC = "marac"
    ENCOMPASS = "encompass"


class ReferralStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
    NOT_SENT = "not_sent"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: RecordId


class Person(_Record):
    """Someone in the history; names are optional (synthetic or redacted files need none)."""

    name: Text | None = None
    # Other names recorded for the same person (earlier surnames, spellings, nicknames).
    other_names: tuple[Text, ...] = ()
    date_of_birth: date | None = None
    age_years: int | None = Field(default=None, ge=0, le=130)


class Marker(_Record):
    """A warning marker on a person, e.g. `serial_perpetrator`, with when it was applied."""

    person_id: RecordId
    code: Annotated[str, Field(min_length=1, max_length=64)]
    applied_at: Timestamp
    expires_at: Timestamp | None = None


class Call(_Record):
    """One contact from the public; `grade` is the grade the call ended with."""

    received_at: Timestamp
    channel: Annotated[str, Field(min_length=1, max_length=32)] = "999"
    incident_id: RecordId | None = None
    caller_id: RecordId | None = None
    victim_ids: tuple[RecordId, ...] = ()
    suspect_ids: tuple[RecordId, ...] = ()
    domestic_abuse: bool = False
    grade: Grade | None = None
    disposition: Annotated[str, Field(max_length=64)] | None = None
    closed_at: Timestamp | None = None
    handler: Text | None = None


class Incident(_Record):
    """What the police dealt with; `violence` means violence, strangulation, a weapon or injury."""

    opened_at: Timestamp
    closed_at: Timestamp | None = None
    category: Annotated[str, Field(max_length=64)] | None = None
    domestic_abuse: bool = False
    violence: bool = False
    grade: Grade | None = None
    victim_ids: tuple[RecordId, ...] = ()
    suspect_ids: tuple[RecordId, ...] = ()
    child_ids: tuple[RecordId, ...] = ()
    arrest_made: bool = False
    # Positive action: an officer who does not arrest must say why.
    no_arrest_reason: Text | None = None
    outcome: Annotated[str, Field(max_length=64)] | None = None
    closed_by: Text | None = None


class GradeChange(_Record):
    """One entry in a call's grade history, with the second person's sign-off where needed."""

    call_id: RecordId
    at: Timestamp
    kind: ChangeKind = ChangeKind.SET
    grade: Grade | None = None
    previous_grade: Grade | None = None
    status: ChangeStatus = ChangeStatus.RECORDED
    reason: Text | None = None
    by: Text | None = None
    signed_off_by: Text | None = None
    signed_off_at: Timestamp | None = None


class WarningSign(_Record):
    """A warning sign raised on a call; `person_id` names whom it is about, when known."""

    call_id: RecordId
    code: Annotated[str, Field(min_length=1, max_length=64)]
    severity: Severity = Severity.HIGH
    raised_at: Timestamp
    person_id: RecordId | None = None
    words: Text | None = None


class Acknowledgement(_Record):
    warning_sign_id: RecordId
    at: Timestamp
    action: AckAction
    reason: Text | None = None
    by: Text | None = None


class RiskAssessment(_Record):
    victim_id: RecordId
    assessed_at: Timestamp
    level: RiskLevel
    incident_id: RecordId | None = None
    earlier_level: RiskLevel | None = None
    instrument: Annotated[str, Field(max_length=64)] | None = None
    by: Text | None = None


class MaracReferral(_Record):
    """The decision to refer a victim to MARAC (delivery of the pack is a `marac` referral)."""

    victim_id: RecordId
    referred_at: Timestamp
    incident_id: RecordId | None = None
    criteria: tuple[Annotated[str, Field(max_length=64)], ...] = ()
    by: Text | None = None


class Referral(_Record):
    """Something owed to a partner agency by `due_at`; an Operation Encompass notice has the child
    as `subject_id`."""

    kind: ReferralKind
    subject_id: RecordId
    victim_id: RecordId | None = None
    incident_id: RecordId | None = None
    service: Annotated[str, Field(max_length=64)] | None = None
    created_at: Timestamp
    due_at: Timestamp
    delivered_at: Timestamp | None = None
    status: ReferralStatus = ReferralStatus.PENDING
    by: Text | None = None


class Order(_Record):
    """A notice or order on `subject_id` (the person it restrains), protecting `protected_ids`."""

    type: Annotated[str, Field(min_length=1, max_length=32)]
    subject_id: RecordId
    protected_ids: tuple[RecordId, ...] = ()
    made_at: Timestamp
    served_at: Timestamp | None = None
    expires_at: Timestamp | None = None
    status: Annotated[str, Field(max_length=32)] = "active"


class OrderDuty(_Record):
    """A duty on an order, e.g. `notification_initial`: done by `due_at`, or acted on when not."""

    order_id: RecordId
    kind: Annotated[str, Field(min_length=1, max_length=32)]
    due_at: Timestamp
    done_at: Timestamp | None = None
    # What the police did when the duty was missed (breach raised, arrest, warning), and when.
    action_at: Timestamp | None = None
    action: Text | None = None


class Breach(_Record):
    """A breach alert on an order, tracked to attendance and an outcome."""

    order_id: RecordId
    alert_at: Timestamp
    kind: Annotated[str, Field(max_length=32)] | None = None
    grade: Grade = Grade.EMERGENCY
    attended_at: Timestamp | None = None
    outcome: Annotated[str, Field(max_length=64)] | None = None
    outcome_at: Timestamp | None = None


class Arrest(_Record):
    person_id: RecordId
    at: Timestamp
    incident_id: RecordId | None = None
    outcome: Annotated[str, Field(max_length=64)] | None = None


class Attendance(_Record):
    """Officers sent to an incident (for a call, when known); no `arrived_at` means they never
    arrived."""

    incident_id: RecordId
    call_id: RecordId | None = None
    dispatched_at: Timestamp | None = None
    arrived_at: Timestamp | None = None
    rural: bool = False
    by: Text | None = None


class CaseHistory(BaseModel):
    """One case history: the input of `heard review case` and of the service's sweep."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["heard-case/1"] = FORMAT
    force: Annotated[str, Field(min_length=2, max_length=16)] | None = None
    # The moment the history is judged at; overdue means overdue at this time. Without it, the
    # latest time in the history is used, so the same file always gives the same findings.
    as_of: Timestamp | None = None
    people: tuple[Person, ...] = ()
    markers: tuple[Marker, ...] = ()
    calls: tuple[Call, ...] = ()
    incidents: tuple[Incident, ...] = ()
    grade_changes: tuple[GradeChange, ...] = ()
    warning_signs: tuple[WarningSign, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    risk_assessments: tuple[RiskAssessment, ...] = ()
    marac_referrals: tuple[MaracReferral, ...] = ()
    referrals: tuple[Referral, ...] = ()
    orders: tuple[Order, ...] = ()
    order_duties: tuple[OrderDuty, ...] = ()
    breaches: tuple[Breach, ...] = ()
    arrests: tuple[Arrest, ...] = ()
    attendances: tuple[Attendance, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self) -> CaseHistory:
        found = problems(self)
        if found:
            raise ValueError("; ".join(found[:20]))
        return self
