"""The scenario file format: people, the history they already have, and a timeline of requests.

Scenario files are data (YAML) written by people, so every mistake is reported with the file, the
place in it and what to write instead, before anything is sent to a server.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from heard.incidents.models import Category, Channel, Connection, Grade, Role
from heard.orders.conditions import Conditions
from heard.orders.models import OrderType
from heard.people.models import MarkerCode, Sex
from heard.risk.models import RiskGrade

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=32)]
Speaker = Literal["caller", "handler"]
STEP_KINDS = ("call", "transcript", "update", "close", "telemetry")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(Strict):
    """A synthetic person as they truly are; calls may record them differently (`as_recorded`)."""

    given_name: str | None = None
    family_name: str | None = None
    name: str | None = None  # for someone known only by a description ("unknown male")
    date_of_birth: date | None = None
    age: int | None = Field(default=None, ge=0, le=120)
    sex: Sex = Sex.UNKNOWN
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _identifiable(self) -> Person:
        if not (self.given_name or self.family_name or self.name or self.phone):
            raise ValueError("a person needs at least one of given_name, family_name, name, phone")
        return self


class EarlierIncidents(Strict):
    """A run of earlier incidents between two of the scenario's people."""

    victim: Key
    suspect: Key
    connection: Connection
    former: bool = False
    count: int = Field(ge=1, le=50)
    first_days_ago: int = Field(ge=1, le=3650)
    last_days_ago: int = Field(ge=1, le=3650)
    category: Category = Category.DOMESTIC
    arrests: int = Field(default=0, ge=0)
    # How the victim described the suspect in the call notes ("ex-partner", "son").
    described_as: str = Field(default="partner", max_length=40)

    @model_validator(mode="after")
    def _ordered(self) -> EarlierIncidents:
        if self.last_days_ago > self.first_days_ago:
            raise ValueError("last_days_ago must not be earlier than first_days_ago")
        if self.arrests > self.count:
            raise ValueError("arrests cannot exceed the number of incidents")
        return self


class EarlierRisk(Strict):
    victim: Key
    days_ago: int = Field(ge=1, le=3650)
    grade: RiskGrade
    lowered_from: RiskGrade | None = None  # the grade before a person lowered it


class EarlierOrder(Strict):
    type: OrderType
    subject: Key
    protected: list[Key] = Field(min_length=1)
    made_days_ago: int = Field(ge=0, le=3650)
    expires_in_days: int | None = None  # None: no end date (a DAPO has no maximum duration)
    issued_by: str = "Family Court (synthetic)"
    # As the register takes them (`heard.orders.conditions.Conditions`), so monitoring reads them.
    conditions: dict[str, Any] = Field(default_factory=dict)

    @field_validator("conditions")
    @classmethod
    def _register_conditions(cls, value: dict[str, Any]) -> dict[str, Any]:
        return Conditions.model_validate(value).document()


class EarlierMarker(Strict):
    person: Key
    code: MarkerCode
    at_address: bool = False  # on the person's home rather than on the person


class EarlierMarac(Strict):
    victim: Key
    days_ago: int = Field(ge=1, le=3650)
    criteria: list[str] = Field(default_factory=lambda: ["visible_high_risk"])


class History(Strict):
    """What the force already holds about the scenario's people, written before playback."""

    # Orders, assessments and markers follow incidents, so history starts with at least one.
    incidents: list[EarlierIncidents] = Field(min_length=1)
    risk_assessments: list[EarlierRisk] = Field(default_factory=list)
    orders: list[EarlierOrder] = Field(default_factory=list)
    markers: list[EarlierMarker] = Field(default_factory=list)
    marac: list[EarlierMarac] = Field(default_factory=list)


class PersonOnCall(Strict):
    """One of the scenario's people named on a call, optionally recorded differently."""

    person: Key
    role: Role
    # Fields as the handler took them down (a nickname, an age instead of a date of birth);
    # a null removes the field from what is sent.
    as_recorded: dict[str, Any] = Field(default_factory=dict)

    @field_validator("as_recorded")
    @classmethod
    def _known_fields(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(SENT_PERSON_FIELDS))
        if unknown:
            allowed = ", ".join(SENT_PERSON_FIELDS)
            raise ValueError(f"as_recorded has unknown field(s) {unknown}; allowed: {allowed}")
        return value


SENT_PERSON_FIELDS = (
    "given_name",
    "family_name",
    "name",
    "date_of_birth",
    "age",
    "sex",
    "phone",
    "address",
)


class RelationshipSpec(Strict):
    connection: Connection
    former: bool = False


class Aml(Strict):
    """Advanced Mobile Location as the handset reported it."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: float = Field(gt=0, le=100_000)


class Timed(Strict):
    """`at`: seconds from the scenario's start; `after`: seconds after the previous step ended."""

    at: float | None = Field(default=None, ge=0)
    after: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_time(self) -> Timed:
        if self.at is not None and self.after is not None:
            raise ValueError("give either 'at' or 'after', not both")
        return self


class CallStep(Timed):
    call: Key
    channel: Channel
    caller: Key | None = None  # the caller's number comes from this person's phone
    caller_number: str | None = None
    location: Key | None = None  # the address and postcode come from this person's home
    address: str | None = None
    postcode: str | None = None
    aml: Aml | None = None
    free_text: str | None = None
    grade: Grade | None = None
    people: list[PersonOnCall] = Field(default_factory=list)
    relationship: RelationshipSpec | None = None


class TranscriptStep(Timed):
    transcript: Key
    lines: list[dict[Speaker, str]] = Field(min_length=1)

    @field_validator("lines", mode="before")
    @classmethod
    def _no_yaml_booleans(cls, lines: Any) -> Any:
        for at, line in enumerate(lines if isinstance(lines, list) else []):
            values = line.values() if isinstance(line, dict) else []
            if any(isinstance(value, bool) for value in values):
                raise ValueError(
                    f'line {at}: put the words in quotes (caller: "yes"): YAML reads a bare '
                    "yes, no, on or off as true or false"
                )
        return lines

    @field_validator("lines")
    @classmethod
    def _one_speaker_per_line(cls, lines: list[dict[str, str]]) -> list[dict[str, str]]:
        for at, line in enumerate(lines):
            if len(line) != 1 or not next(iter(line.values())).strip():
                raise ValueError(
                    f"line {at}: write each line as one 'caller: text' or 'handler: text'"
                )
        return lines


class UpdateStep(Timed):
    update: Key
    free_text: str | None = None
    address: str | None = None
    postcode: str | None = None
    people: list[PersonOnCall] = Field(default_factory=list)
    relationship: RelationshipSpec | None = None


class CloseStep(Timed):
    close: Key
    disposition: str = Field(min_length=1, max_length=64)


class TelemetryPoint(Strict):
    """A monitoring point; its time is the moment it is sent plus `offset_s`."""

    device_id: str = Field(min_length=1, max_length=64)
    offset_s: float = 0.0
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: float = Field(default=10.0, gt=0)
    battery_pct: float | None = Field(default=None, ge=0, le=100)
    tamper: bool = False


class TelemetryStep(Timed):
    telemetry: list[TelemetryPoint] = Field(min_length=1)


def _step_kind(raw: Any) -> str | None:
    if isinstance(raw, BaseModel):
        found = [k for k in STEP_KINDS if hasattr(raw, k)]
    elif isinstance(raw, dict):
        found = [k for k in STEP_KINDS if k in raw]
    else:
        return None
    return found[0] if len(found) == 1 else None


Step = Annotated[
    Annotated[CallStep, Tag("call")]
    | Annotated[TranscriptStep, Tag("transcript")]
    | Annotated[UpdateStep, Tag("update")]
    | Annotated[CloseStep, Tag("close")]
    | Annotated[TelemetryStep, Tag("telemetry")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message="a step needs exactly one of: " + ", ".join(STEP_KINDS),
    ),
]


class Scenario(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=48)
    title: str = Field(min_length=3, max_length=120)
    description: str = Field(min_length=10)
    domestic_abuse: bool  # what a specialist would conclude; tests and docs use it
    people: dict[Key, Person] = Field(default_factory=dict)
    history: History | None = None
    timeline: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        problems = _history_problems(self) + _timeline_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _missing(scenario: Scenario, where: str, keys: list[str]) -> list[str]:
    known = ", ".join(sorted(scenario.people)) or "none"
    return [
        f"{where}: no person '{k}' in people (known: {known})"
        for k in keys
        if k not in scenario.people
    ]


def _history_problems(scenario: Scenario) -> list[str]:
    history = scenario.history
    if history is None:
        return []
    problems: list[str] = []
    for at, run in enumerate(history.incidents):
        problems += _missing(scenario, f"history.incidents.{at}", [run.victim, run.suspect])
    for at, risk in enumerate(history.risk_assessments):
        problems += _missing(scenario, f"history.risk_assessments.{at}", [risk.victim])
    for at, order in enumerate(history.orders):
        problems += _missing(scenario, f"history.orders.{at}", [order.subject, *order.protected])
    for at, marker in enumerate(history.markers):
        problems += _missing(scenario, f"history.markers.{at}", [marker.person])
    for at, marac in enumerate(history.marac):
        problems += _missing(scenario, f"history.marac.{at}", [marac.victim])
    return problems


def _timeline_problems(scenario: Scenario) -> list[str]:
    problems: list[str] = []
    open_calls: set[str] = set()
    closed: set[str] = set()
    for at, step in enumerate(scenario.timeline):
        where = f"timeline.{at}"
        if isinstance(step, CallStep):
            if step.call in open_calls | closed:
                problems.append(f"{where}: call '{step.call}' is already used in this scenario")
            open_calls.add(step.call)
            problems += _call_step_problems(scenario, where, step)
            continue
        if isinstance(step, TelemetryStep):
            continue
        key = _call_key(step)
        if key in closed:
            problems.append(f"{where}: call '{key}' was closed by an earlier step")
        elif key not in open_calls:
            known = ", ".join(sorted(open_calls)) or "none"
            problems.append(
                f"{where}: no call '{key}' has started before this step (open: {known})"
            )
        if isinstance(step, UpdateStep):
            people = [p.person for p in step.people]
            problems += _missing(scenario, f"{where}.people", people)
        if isinstance(step, CloseStep):
            open_calls.discard(key)
            closed.add(key)
    return problems


def _call_key(step: TranscriptStep | UpdateStep | CloseStep) -> str:
    if isinstance(step, TranscriptStep):
        return step.transcript
    if isinstance(step, UpdateStep):
        return step.update
    return step.close


def _call_step_problems(scenario: Scenario, where: str, step: CallStep) -> list[str]:
    problems = _missing(scenario, f"{where}.people", [p.person for p in step.people])
    if step.caller is not None:
        problems += _missing(scenario, f"{where}.caller", [step.caller])
        person = scenario.people.get(step.caller)
        if person is not None and not person.phone:
            problems.append(f"{where}.caller: '{step.caller}' has no phone to call from")
    if step.location is not None:
        problems += _missing(scenario, f"{where}.location", [step.location])
        person = scenario.people.get(step.location)
        if person is not None and not (person.address or person.postcode):
            problems.append(f"{where}.location: '{step.location}' has no address or postcode")
    return problems
