"""Every warning-sign code, its usual severity and the plain words a handler reads on screen."""

from __future__ import annotations

from enum import StrEnum

from heard.signals.cues import CueCode
from heard.signals.models import Severity


class SignalCode(StrEnum):
    """Signals computed from history (transcript cues keep the shared taxonomy's codes)."""

    REPEAT_CALLS_VICTIM = "REPEAT_CALLS_VICTIM"
    REPEAT_CALLS_SUSPECT = "REPEAT_CALLS_SUSPECT"
    REPEAT_CALLS_ADDRESS = "REPEAT_CALLS_ADDRESS"
    DA_INCIDENTS_PAIR = "DA_INCIDENTS_PAIR"
    EARLIER_HIGH_RISK = "EARLIER_HIGH_RISK"
    MARAC_LAST_12_MONTHS = "MARAC_LAST_12_MONTHS"
    ACTIVE_ORDER = "ACTIVE_ORDER"
    POSSIBLE_BREACH = "POSSIBLE_BREACH"
    EARLIER_GRADE_LOWERED = "EARLIER_GRADE_LOWERED"
    EARLIER_CALL_BACK = "EARLIER_CALL_BACK"
    SUSPECT_OTHER_VICTIMS = "SUSPECT_OTHER_VICTIMS"
    MARKER_WEAPONS = "MARKER_WEAPONS"
    MARKER_VIOLENCE = "MARKER_VIOLENCE"
    CHILDREN_LINKED = "CHILDREN_LINKED"
    RECENT_SEPARATION = "RECENT_SEPARATION"
    SHORT_GAP_SINCE_LAST_INCIDENT = "SHORT_GAP_SINCE_LAST_INCIDENT"
    NUMBER_DA_HISTORY = "NUMBER_DA_HISTORY"


CUE_WORDS: dict[str, str] = {
    CueCode.INJURY.value: "someone is injured",
    CueCode.FEAR.value: "the victim is very frightened",
    CueCode.ISOLATION.value: "the abuser cuts the victim off from people, money or phone",
    CueCode.VICTIM_SUICIDAL.value: "the victim is depressed, self-harming or suicidal",
    CueCode.SEPARATION.value: "the victim has separated or tried to separate",
    CueCode.CHILD_CONTACT_CONFLICT.value: "conflict over contact with children",
    CueCode.STALKING.value: "stalking: following, watching, turning up, constant contact",
    CueCode.PREGNANCY.value: "the victim is pregnant or had a baby recently",
    CueCode.CHILDREN_AT_RISK.value: "the abuser has hurt or threatened children",
    CueCode.ESCALATION.value: "the abuse is happening more often or getting worse",
    CueCode.COERCIVE_CONTROL.value: "controlling or coercive behaviour",
    CueCode.WEAPON.value: "a weapon used, held or threatened",
    CueCode.THREAT_TO_KILL.value: "a threat to kill",
    CueCode.STRANGULATION.value: "strangulation or choking",
    CueCode.SEXUAL_ABUSE.value: "sexual abuse",
    CueCode.HONOUR_BASED.value: "honour-based abuse or forced marriage",
    CueCode.ANIMAL_ABUSE.value: "the abuser hurt a pet",
    CueCode.SUBSTANCE.value: "the abuser is drunk, on drugs or in crisis",
    CueCode.ABUSER_SUICIDE_THREAT.value: "the abuser threatens suicide",
    CueCode.ORDER_BREACH.value: "an order or bail condition is being breached",
    CueCode.SUSPECT_PRESENT.value: "the suspect is there now or trying to get in",
    CueCode.ONGOING_ASSAULT.value: "violence is happening during the call",
    CueCode.CHILDREN_PRESENT.value: "children are there",
    CueCode.CANNOT_SPEAK.value: "the caller cannot talk freely or the line was cut",
}

_CRITICAL_CUES = frozenset(
    {
        CueCode.THREAT_TO_KILL,
        CueCode.STRANGULATION,
        CueCode.WEAPON,
        CueCode.SUSPECT_PRESENT,
        CueCode.ONGOING_ASSAULT,
        CueCode.ORDER_BREACH,
    }
)
_HIGH_CUES = frozenset(
    {
        CueCode.SEXUAL_ABUSE,
        CueCode.CHILDREN_AT_RISK,
        CueCode.HONOUR_BASED,
        CueCode.ESCALATION,
        CueCode.STALKING,
        CueCode.COERCIVE_CONTROL,
        CueCode.CANNOT_SPEAK,
        CueCode.INJURY,
        CueCode.VICTIM_SUICIDAL,
        CueCode.ABUSER_SUICIDE_THREAT,
    }
)


def cue_severity(code: str) -> Severity:
    if code in _CRITICAL_CUES:
        return Severity.CRITICAL
    if code in _HIGH_CUES:
        return Severity.HIGH
    return Severity.MEDIUM


def cue_words(code: str) -> str:
    return CUE_WORDS.get(code, code.replace("_", " ").lower())


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
