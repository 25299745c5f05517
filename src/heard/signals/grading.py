"""THRIVE-informed grading rules: a suggested grade with its reasons, from the call's risk facts.

Pure functions over `RiskFacts`, configured per force (`GradingSettings`). The suggestion is the
highest grade any rule gives, so adding a risk fact can only keep or raise it. The rules:

- domestic abuse with a critical cue (threat to kill, strangulation, weapon, suspect present,
  ongoing assault, order breach; a possible breach from history counts as an order breach)
  -> Emergency;
- a repeat call within 24 h on a domestic abuse call -> at least Priority, and never resolved
  without deployment (Resolution is refused on the call);
- a silent or cut-off call from a number with domestic abuse history -> Emergency;
- a "call back later" on a domestic abuse call with warning signs needs a specialist's or a
  supervisor's sign-off.

Heard never sets or lowers a person's grade: these rules only suggest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from heard.incidents.models import Grade
from heard.signals.catalogue import SignalCode, cue_words
from heard.signals.config import GradingSettings
from heard.signals.cues import CueCode

GRADE_RANK = {Grade.RESOLUTION: 0, Grade.SCHEDULED: 1, Grade.PRIORITY: 2, Grade.EMERGENCY: 3}
GRADE_WORDS = {
    Grade.EMERGENCY: "Emergency",
    Grade.PRIORITY: "Priority",
    Grade.SCHEDULED: "Scheduled",
    Grade.RESOLUTION: "Resolution without deployment",
}


def rank(grade: Grade | None) -> int:
    return -1 if grade is None else GRADE_RANK[grade]


def highest(grades: Iterable[Grade | None]) -> Grade | None:
    return max(grades, key=rank, default=None)


def below(grade: Grade, than: Grade | None) -> bool:
    return than is not None and rank(grade) < rank(than)


@dataclass(frozen=True)
class RiskFacts:
    """What grading needs to know about a call; every field only adds risk."""

    domestic_abuse: bool = False
    cues: frozenset[str] = frozenset()
    signals: frozenset[str] = frozenset()
    # Hours since the nearest earlier call about the same victim, suspect or address.
    hours_since_previous_call: float | None = None
    silent_or_cut_off: bool = False
    number_da_history: bool = False
    warning_signs: int = 0


@dataclass(frozen=True)
class Reason:
    rule: str
    grade: Grade | None
    words: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "grade": self.grade.value if self.grade else None,
            "words": self.words,
        }


@dataclass(frozen=True)
class Suggestion:
    grade: Grade | None
    reasons: tuple[Reason, ...] = ()
    refused: frozenset[Grade] = field(default_factory=frozenset)
    call_back_needs_sign_off: bool = False


def _ago(hours: float) -> str:
    return f"{hours:.1f} hours" if hours >= 1 else f"{round(hours * 60)} minutes"


def _critical(facts: RiskFacts, rules: GradingSettings) -> list[str]:
    found = sorted(facts.cues & set(rules.critical_cues))
    breach = CueCode.ORDER_BREACH.value
    if SignalCode.POSSIBLE_BREACH.value in facts.signals and breach in rules.critical_cues:
        found = sorted({*found, breach})
    return found


def suggest(facts: RiskFacts, rules: GradingSettings) -> Suggestion:
    reasons: list[Reason] = []
    refused: set[Grade] = set()
    critical = _critical(facts, rules)
    if rules.da_critical_cue.enabled and facts.domestic_abuse and critical:
        said = "; ".join(cue_words(code) for code in critical)
        reasons.append(
            Reason(
                "da_critical_cue",
                rules.da_critical_cue.grade,
                f"Domestic abuse with a critical warning sign ({said})",
            )
        )
    repeat = rules.repeat_da
    hours = facts.hours_since_previous_call
    if repeat.enabled and facts.domestic_abuse and hours is not None and hours <= repeat.hours:
        refused.update(repeat.refuse)
        never = (
            ", never " + ", ".join(GRADE_WORDS[g] for g in repeat.refuse) if repeat.refuse else ""
        )
        reasons.append(
            Reason(
                "repeat_da",
                repeat.grade,
                f"Repeat domestic abuse call within {repeat.hours:g} hours "
                f"(the last was {_ago(hours)} earlier): at least {GRADE_WORDS[repeat.grade]}"
                f"{never}",
            )
        )
    silent = rules.silent_da_number
    if silent.enabled and facts.silent_or_cut_off and facts.number_da_history:
        reasons.append(
            Reason(
                "silent_da_number",
                silent.grade,
                "Silent or cut-off call from a number with domestic abuse history",
            )
        )
    sign_off = rules.call_back_sign_off.enabled and facts.domestic_abuse and facts.warning_signs > 0
    return Suggestion(
        grade=highest(r.grade for r in reasons),
        reasons=tuple(reasons),
        refused=frozenset(refused),
        call_back_needs_sign_off=sign_off,
    )


@dataclass(frozen=True)
class GradeDecision:
    """What setting `grade` on a call needs, given the suggestion and the grade already set."""

    refused: bool
    needs_sign_off: bool
    lowers: bool
    below_suggestion: bool


def judge(
    grade: Grade, *, current: Grade | None, suggested: Grade | None, refused: Iterable[Grade]
) -> GradeDecision:
    lowers = below(grade, current)
    under = below(grade, suggested)
    return GradeDecision(
        refused=grade in set(refused),
        needs_sign_off=lowers or under,
        lowers=lowers,
        below_suggestion=under,
    )
