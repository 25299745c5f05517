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


# What each history signal means, for docs and the API's catalogue; the sign itself carries
# words specific to the call ("3rd call in 12 hours about Amira Haddad").
SIGNAL_MEANING: dict[SignalCode, str] = {
    SignalCode.REPEAT_CALLS_VICTIM: "earlier calls about the same victim within a repeat window",
    SignalCode.REPEAT_CALLS_SUSPECT: "earlier calls about the same suspect within a repeat window",
    SignalCode.REPEAT_CALLS_ADDRESS: "earlier calls from or about the same address",
    SignalCode.DA_INCIDENTS_PAIR: (
        "domestic abuse incidents between this victim and this suspect in the MARAC window, "
        "against the force's escalation threshold"
    ),
    SignalCode.EARLIER_HIGH_RISK: "an earlier risk assessment graded this victim high risk",
    SignalCode.MARAC_LAST_12_MONTHS: (
        "a MARAC referral in the last 12 months: any new incident is a repeat and goes back "
        "to MARAC"
    ),
    SignalCode.ACTIVE_ORDER: "an active order names the suspect or the victim",
    SignalCode.POSSIBLE_BREACH: (
        "the call is from or about a place an order protects while the order's subject is named "
        "or said to be there"
    ),
    SignalCode.EARLIER_GRADE_LOWERED: "an earlier grade for this victim was lowered",
    SignalCode.EARLIER_CALL_BACK: "an earlier call was promised a call-back instead of attendance",
    SignalCode.SUSPECT_OTHER_VICTIMS: "the suspect has domestic abuse history with other victims",
    SignalCode.MARKER_WEAPONS: "a weapons marker on a person on the call or on the address",
    SignalCode.MARKER_VIOLENCE: "a violence marker on a person on the call or on the address",
    SignalCode.CHILDREN_LINKED: "children linked to the household",
    SignalCode.RECENT_SEPARATION: (
        "the victim and suspect are recorded as separated in the last year"
    ),
    SignalCode.SHORT_GAP_SINCE_LAST_INCIDENT: "a short time since the victim's last incident",
    SignalCode.NUMBER_DA_HISTORY: "the calling number has domestic abuse history",
}

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
