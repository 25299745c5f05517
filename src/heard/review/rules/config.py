"""Thresholds for every rule, with defaults from the standards and overrides per force.

A configuration document (the `--config` file of `heard review case`, or a force's
`settings["missed_opportunities"]` in the service) names rules by their ids:

    {"defaults": {"repeat-da-no-positive-action": {"min_calls": 4}},
     "forces": {"WMP": {"attendance-beyond-target": {"factor": 1.5}}}}

Anything left out keeps the default below. Every rule also takes `enabled` and `severity`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from heard.review.rules.case import Grade, ReferralKind, Severity


class RulesConfigError(ValueError):
    """A configuration that cannot be read; the message says which rule and field."""


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = True
    # None keeps the rule's own severity.
    severity: Severity | None = None


class RepeatDaSettings(_Settings):
    min_calls: int = Field(default=3, ge=2, le=100)
    window_days: float = Field(default=90, gt=0, le=3650)
    # An arrest of the suspect this soon after a call counts as positive action on that call.
    arrest_within_hours: float = Field(default=24, ge=0, le=24 * 90)


class HighRiskNoMaracSettings(_Settings):
    # heard.referrals gives a MARAC referral 24 hours by default.
    grace_hours: float = Field(default=24, ge=0, le=24 * 90)
    # A referral this long before the assessment still covers it (a later abuse is a repeat).
    lookback_days: float = Field(default=365, ge=0, le=3650)


class MaracRepeatSettings(_Settings):
    # SafeLives: any further abuse within 12 months of the last referral goes back to MARAC.
    window_days: float = Field(default=365, gt=0, le=3650)
    grace_hours: float = Field(default=72, ge=0, le=24 * 90)
    # Only abuse by the perpetrator(s) of the referred incident, where both sides name one.
    same_perpetrator: bool = True


class LoweredGradeSettings(_Settings):
    # Violence this soon after the lowering, to the same victim, counts as well as the call's own.
    within_hours: float = Field(default=72, ge=0, le=24 * 365)


class CallBackSettings(_Settings):
    dispositions: tuple[str, ...] = ("call_back", "call_back_later", "callback")
    min_signal_severity: Severity = Severity.HIGH
    attended_within_hours: float = Field(default=1, ge=0, le=24 * 14)


class NotRelevantHarmSettings(_Settings):
    within_days: float = Field(default=28, gt=0, le=3650)


BREACH_ATTEND_MINUTES = {
    Grade.EMERGENCY: 20.0,
    Grade.PRIORITY: 60.0,
    Grade.SCHEDULED: 48 * 60.0,
    Grade.RESOLUTION: 48 * 60.0,
}


class BreachSettings(_Settings):
    # A breach alert is graded Emergency (a missed notification, Priority): attend within target.
    attend_minutes: dict[Grade, float] = BREACH_ATTEND_MINUTES

    @field_validator("attend_minutes")
    @classmethod
    def _every_grade(cls, value: dict[Grade, float]) -> dict[Grade, float]:
        if any(minutes <= 0 for minutes in value.values()):
            raise ValueError("attendance minutes must be positive")
        return {**BREACH_ATTEND_MINUTES, **value}

    # A DAPN breach must be before the court within 24 hours: an outcome by then at the latest.
    outcome_hours: float = Field(default=24, gt=0, le=24 * 90)


class DutySettings(_Settings):
    kinds: tuple[str, ...] = ("notification_initial", "notification_change")
    action_hours: float = Field(default=24, ge=0, le=24 * 90)


class ReferralSettings(_Settings):
    kinds: tuple[ReferralKind, ...] = (ReferralKind.SUPPORT, ReferralKind.MARAC)
    grace_hours: float = Field(default=0, ge=0, le=24 * 90)


class EncompassSettings(_Settings):
    school_day_start: str = Field(default="08:30", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: str = "Europe/London"
    min_age: int = Field(default=4, ge=0, le=25)
    max_age: int = Field(default=17, ge=0, le=25)
    domestic_abuse_only: bool = True

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class SerialSettings(_Settings):
    min_victims: int = Field(default=2, ge=2, le=100)
    window_days: float = Field(default=3 * 365, gt=0, le=36500)
    flag_codes: tuple[str, ...] = ("serial_perpetrator",)
    flag_within_days: float = Field(default=28, ge=0, le=3650)


class AttendanceSettings(_Settings):
    # domain-facts §8.2: emergency 15 min urban / 20 rural; priority within the hour; 48 h.
    emergency_minutes: float = Field(default=15, gt=0)
    rural_emergency_minutes: float = Field(default=20, gt=0)
    priority_minutes: float = Field(default=60, gt=0)
    scheduled_minutes: float = Field(default=48 * 60, gt=0)
    # "Far beyond": later than factor x target.
    factor: float = Field(default=2.0, ge=1.0, le=100)
    domestic_abuse_only: bool = True


class OpenSignalSettings(_Settings):
    min_severity: Severity = Severity.LOW


class SamePersonSettings(BaseModel):
    """Person ids recorded with the same date of birth and near-identical names count as one
    person (identity.py); `enabled: false` takes every id as a different person."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = True
    name_similarity: float = Field(default=0.85, gt=0, le=1)


def _rule_id(field_name: str) -> str:
    return field_name.replace("_", "-")


class RuleSettings(BaseModel):
    """The thresholds of every rule for one force; keys are rule ids."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=_rule_id, populate_by_name=True
    )

    repeat_da_no_positive_action: RepeatDaSettings = RepeatDaSettings()
    high_risk_no_marac: HighRiskNoMaracSettings = HighRiskNoMaracSettings()
    marac_repeat_not_referred: MaracRepeatSettings = MaracRepeatSettings()
    lowered_grade_then_violence: LoweredGradeSettings = LoweredGradeSettings()
    call_back_with_risk_signals: CallBackSettings = CallBackSettings()
    not_relevant_then_harm: NotRelevantHarmSettings = NotRelevantHarmSettings()
    breach_no_response: BreachSettings = BreachSettings()
    order_duty_overdue: DutySettings = DutySettings()
    referral_not_delivered: ReferralSettings = ReferralSettings()
    encompass_not_sent: EncompassSettings = EncompassSettings()
    serial_perpetrator_not_flagged: SerialSettings = SerialSettings()
    attendance_beyond_target: AttendanceSettings = AttendanceSettings()
    closed_with_open_signal: OpenSignalSettings = OpenSignalSettings()
    same_person: SamePersonSettings = SamePersonSettings()

    def for_rule(self, rule_id: str) -> Any:
        return getattr(self, rule_id.replace("-", "_"))


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _settings(document: Mapping[str, Any], where: str) -> RuleSettings:
    try:
        return RuleSettings.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        raise RulesConfigError(f"{where}: {path}: {first['msg']}") from None


class RulesConfig:
    """Defaults plus per-force overrides, validated once when loaded."""

    def __init__(self, document: Mapping[str, Any] | None = None) -> None:
        document = document or {}
        unknown = set(document) - {"defaults", "forces"}
        if unknown:
            raise RulesConfigError(f"unknown keys {sorted(unknown)}; use defaults and forces")
        self._defaults: dict[str, Any] = dict(document.get("defaults") or {})
        forces = document.get("forces") or {}
        if not isinstance(forces, Mapping):
            raise RulesConfigError("forces: must map a force code to rule settings")
        self._forces = {str(code).upper(): dict(value) for code, value in forces.items()}
        self._resolved: dict[str | None, RuleSettings] = {
            None: _settings(self._defaults, "defaults")
        }
        for code, override in self._forces.items():
            self._resolved[code] = _settings(_merge(self._defaults, override), f"forces.{code}")

    def settings_for(self, force: str | None) -> RuleSettings:
        code = force.upper() if force else None
        return self._resolved.get(code) or self._resolved[None]


def force_settings(overrides: Mapping[str, Any] | None) -> RuleSettings:
    """The service's reading of one force's own overrides (`Force.settings`)."""
    return _settings(overrides or {}, "missed_opportunities")
