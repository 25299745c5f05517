"""MARAC referral criteria, applied to every scored assessment.

Windows are counted in calendar months on dates (the force's local date of `as_of`):
"within the N months before as_of" means `months_before(as_of, N) <= day <= as_of`, both ends
included, because a boundary case should lead to a referral rather than be missed. Dates after
`as_of` are ignored: they are not history at the moment of assessment.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from heard.risk.instruments.scoring import Level, Score

# SafeLives: any further abuse within 12 months of the last referral is a repeat "regardless of
# the local threshold", so unlike potential escalation this window is not a force setting.
REPEAT_WINDOW_MONTHS = 12


class Criterion(StrEnum):
    VISIBLE_HIGH_RISK = "visible_high_risk"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"
    POTENTIAL_ESCALATION = "potential_escalation"
    REPEAT = "repeat"


@dataclass(frozen=True)
class EscalationRule:
    """Potential escalation: `incidents` DA incidents (the current one included) in `months`."""

    incidents: int = 3
    months: int = 12

    def __post_init__(self) -> None:
        if not 1 <= self.incidents <= 100:
            raise ValueError(f"escalation incidents must be 1..100, got {self.incidents}")
        if not 1 <= self.months <= 120:
            raise ValueError(f"escalation months must be 1..120, got {self.months}")


@dataclass(frozen=True)
class MaracHistory:
    """Earlier DA incidents between the same victim and suspect (not the current one)."""

    da_incidents: tuple[date, ...] = ()
    last_marac_referral: date | None = None


@dataclass(frozen=True)
class MaracDecision:
    criteria: tuple[Criterion, ...]
    incidents_in_window: int

    @property
    def refer(self) -> bool:
        return bool(self.criteria)


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier, clamped to the month's end.

    29 Feb 2024 minus 12 months is 28 Feb 2023; 31 May minus 3 months is 28 or 29 Feb.
    """
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def within_months_before(day: date, as_of: date, months: int) -> bool:
    return months_before(as_of, months) <= day <= as_of


def incidents_in_window(earlier: Sequence[date], as_of: date, months: int) -> int:
    """The current incident plus the earlier ones in the window (same-day incidents all count)."""
    return 1 + sum(1 for day in earlier if within_months_before(day, as_of, months))


def marac_criteria(
    result: Score, history: MaracHistory, as_of: date, rule: EscalationRule
) -> MaracDecision:
    criteria: list[Criterion] = []
    count_is_high = result.computed_level is Level.HIGH
    if count_is_high:
        criteria.append(Criterion.VISIBLE_HIGH_RISK)
    judged_high = result.judgement is not None and result.judgement.level is Level.HIGH
    if judged_high and not count_is_high:
        criteria.append(Criterion.PROFESSIONAL_JUDGEMENT)
    in_window = incidents_in_window(history.da_incidents, as_of, rule.months)
    if in_window >= rule.incidents:
        criteria.append(Criterion.POTENTIAL_ESCALATION)
    last = history.last_marac_referral
    if last is not None and within_months_before(last, as_of, REPEAT_WINDOW_MONTHS):
        criteria.append(Criterion.REPEAT)
    return MaracDecision(criteria=tuple(criteria), incidents_in_window=in_window)
