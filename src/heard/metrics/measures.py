"""The pilot's measures: what each one counts, in plain words, and the figures they produce."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    MINUTES = "minutes"
    SECONDS = "seconds"
    HOURS = "hours"


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    unit: Unit
    explanation: str
    group_by: str = ""  # what the group column names ("kind", "criterion"...), if anything


@dataclass(frozen=True, order=True)
class Figure:
    """One number: a measure for one month (and one group of it, such as a referral kind)."""

    month: str
    measure: str
    group: str
    value: float | None  # None: nothing to take a median of that month


M = Measure
MEASURES: tuple[Measure, ...] = (
    M("da_calls", "Domestic abuse calls", Unit.COUNT,
      "Calls received in the month that were domestic abuse: recorded so on the incident, or "
      "decided so on the call from what was said."),
    M("da_calls_reviewed", "Reviewed by a specialist", Unit.COUNT,
      "Of those calls, the ones a domestic abuse specialist reviewed (an outcome recorded)."),
    M("da_calls_reviewed_percent", "Share reviewed by a specialist", Unit.PERCENT,
      "Reviewed calls as a share of the month's domestic abuse calls."),
    M("review_minutes_median", "Time to specialist review (median)", Unit.MINUTES,
      "From the call being received to the specialist recording the review's outcome."),
    M("warning_signs_raised", "Warning signs raised", Unit.COUNT,
      "Warning signs Heard raised on calls in the month."),
    M("warning_signs_acknowledged", "Warning signs acknowledged", Unit.COUNT,
      "Of those, the ones a person acknowledged (any action, including 'not relevant')."),
    M("warning_signs_not_relevant", "Acknowledged as 'not relevant'", Unit.COUNT,
      "Of the acknowledged warning signs, those a person marked not relevant."),
    M("acknowledge_seconds_median", "Time to acknowledge a warning sign (median)", Unit.SECONDS,
      "From the sign being raised on the call to a person acknowledging it."),
    M("grades_lowered", "Grades lowered", Unit.COUNT,
      "A person setting a call's grade below the grade it had (emergency > priority > "
      "scheduled > resolution)."),
    M("grades_lowered_signed_off", "Lowered grades signed off", Unit.COUNT,
      "Of those, the ones a second person signed off."),
    M("referrals_made", "Victim referrals made", Unit.COUNT,
      "Referrals created in the month: to a support service, or a MARAC pack.", "kind"),
    M("referrals_on_time", "Victim referrals delivered on time", Unit.COUNT,
      "Of those, the ones delivered at or before their due time.", "kind"),
    M("marac_referrals", "MARAC referrals", Unit.COUNT,
      "MARAC referrals made, in total (no group) and by the criterion that met the threshold "
      "(a referral meeting two criteria counts under each).", "criterion"),
    M("encompass_notices", "Operation Encompass notices", Unit.COUNT,
      "Notices to a child's school created in the month."),
    M("encompass_on_time", "Operation Encompass notices on time", Unit.COUNT,
      "Of those, the ones delivered by their due time (the start of the next school day)."),
    M("orders_made", "Orders made", Unit.COUNT, "Protective orders made, by type.", "type"),
    M("breaches", "Breaches raised", Unit.COUNT,
      "Breaches (or possible breaches) raised in the month, by where each stands now.", "outcome"),
    M("breach_attend_minutes_median", "Time to attend a breach (median)", Unit.MINUTES,
      "From the breach being raised to officers attending (or arresting, if that came first)."),
    M("breach_outcome_hours_median", "Time to a breach outcome (median)", Unit.HOURS,
      "From the breach being raised to its first outcome: arrest, charge or no further action."),
    M("repeat_da_calls_12m", "Repeat calls within 12 months", Unit.COUNT,
      "Domestic abuse calls in the month about a victim who was the victim of another domestic "
      "abuse incident in the twelve months before (a second call about the same incident is "
      "not a repeat)."),
    M("findings", "Missed-opportunity findings", Unit.COUNT,
      "Findings of the missed-opportunity rules, by the month the opportunity was missed, by "
      "rule (whatever a reviewer decided since).", "rule"),
)  # fmt: skip
MEASURES_BY_ID = {m.id: m for m in MEASURES}
