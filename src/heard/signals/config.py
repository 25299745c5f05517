"""Per-force settings for warning signs and grading, read from `Force.settings`.

    {"warning_signs": {"tonight_hours": 12, "repeat_windows_hours": [12, 168, 672],
                       "marac_escalation": {"incidents": 3, "months": 12},
                       "short_gap_hours": 72, "acknowledge_within_seconds": 120,
                       "call_back_dispositions": ["call_back", "call_back_later"]},
     "grading": {"critical_cues": [...], "da_critical_cue": {"enabled": true, "grade": "emergency"},
                 "repeat_da": {"enabled": true, "hours": 24, "grade": "priority",
                               "refuse": ["resolution"]},
                 "silent_da_number": {"enabled": true, "grade": "emergency"},
                 "call_back_sign_off": {"enabled": true}}}

Anything left out takes the default below. A setting that cannot be read is logged as an error and
the defaults are used instead, so a typo in one force's settings never stops its calls being graded.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from heard.incidents.models import Grade
from heard.risk.instruments.marac import EscalationRule
from heard.signals.cues import CueCode

log = logging.getLogger(__name__)

SIGNALS_SETTING = "warning_signs"
GRADING_SETTING = "grading"

DEFAULT_CRITICAL_CUES = (
    CueCode.THREAT_TO_KILL.value,
    CueCode.STRANGULATION.value,
    CueCode.WEAPON.value,
    CueCode.SUSPECT_PRESENT.value,
    CueCode.ONGOING_ASSAULT.value,
    CueCode.ORDER_BREACH.value,
)


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Escalation(_Doc):
    incidents: int = Field(default=3, ge=1, le=100)
    months: int = Field(default=12, ge=1, le=120)

    def rule(self) -> EscalationRule:
        return EscalationRule(self.incidents, self.months)


class SignalSettings(_Doc):
    # "Tonight": the window in which a repeat call reads as "the 2nd/3rd call tonight".
    tonight_hours: float = Field(default=12, gt=0, le=48)
    # Repeat-call windows, shortest first; the sign names the shortest window with earlier calls.
    repeat_windows_hours: tuple[float, ...] = Field(default=(12, 168, 672), min_length=1)
    marac_escalation: Escalation = Field(default_factory=Escalation)
    short_gap_hours: float = Field(default=72, gt=0, le=24 * 365)
    acknowledge_within_seconds: float = Field(default=120, gt=0, le=24 * 3600)
    call_back_dispositions: tuple[str, ...] = ("call_back", "call_back_later", "callback")

    @field_validator("repeat_windows_hours")
    @classmethod
    def _sorted(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(v <= 0 for v in value):
            raise ValueError("repeat windows must be positive hours")
        return tuple(sorted(value))


class RuleToggle(_Doc):
    enabled: bool = True


class GradeRule(RuleToggle):
    grade: Grade


class RepeatRule(GradeRule):
    hours: float = Field(default=24, gt=0, le=24 * 14)
    # Grades refused outright on such a call: "never resolved without deployment".
    refuse: tuple[Grade, ...] = (Grade.RESOLUTION,)


class GradingSettings(_Doc):
    critical_cues: tuple[str, ...] = DEFAULT_CRITICAL_CUES
    da_critical_cue: GradeRule = GradeRule(grade=Grade.EMERGENCY)
    repeat_da: RepeatRule = RepeatRule(grade=Grade.PRIORITY)
    silent_da_number: GradeRule = GradeRule(grade=Grade.EMERGENCY)
    call_back_sign_off: RuleToggle = RuleToggle()

    @field_validator("critical_cues")
    @classmethod
    def _known_cues(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - {c.value for c in CueCode})
        if unknown:
            raise ValueError(f"unknown cue codes {unknown}")
        return value


def _read(settings: dict[str, Any], key: str, model: type[_Doc], force_id: int) -> Any:
    raw = settings.get(key) or {}
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        log.error(
            "force settings unreadable; defaults used",
            extra={"force_id": force_id, "setting": key, "problem": str(exc)},
        )
        return model()


def signal_settings(settings: dict[str, Any], *, force_id: int = 0) -> SignalSettings:
    found: SignalSettings = _read(settings, SIGNALS_SETTING, SignalSettings, force_id)
    return found


def grading_settings(settings: dict[str, Any], *, force_id: int = 0) -> GradingSettings:
    found: GradingSettings = _read(settings, GRADING_SETTING, GradingSettings, force_id)
    return found
