"""The rule catalogue and `evaluate`: the one function the CLI and the service both call."""

from __future__ import annotations

from heard.review.rules import rules_calls, rules_orders, rules_risk, rules_signals
from heard.review.rules.case import CaseHistory, Severity
from heard.review.rules.config import RuleSettings
from heard.review.rules.findings import Finding, Rule
from heard.review.rules.index import CaseIndex

S = Severity
RULES: tuple[Rule, ...] = (
    Rule(
        "repeat-da-no-positive-action",
        "Repeated domestic abuse calls without positive action",
        "Several domestic abuse calls about the same victim in a short time, and not one ended "
        "in an arrest or a written reason for not arresting.",
        S.HIGH,
        rules_calls.repeat_da_no_positive_action,
    ),
    Rule(
        "high-risk-no-marac",
        "High risk without a MARAC referral",
        "A risk assessment reached high risk and no MARAC referral was made for the victim.",
        S.HIGH,
        rules_risk.high_risk_no_marac,
    ),
    Rule(
        "marac-repeat-not-referred",
        "Repeat within 12 months of MARAC not referred back",
        "Further abuse within 12 months of a MARAC referral was not referred back to MARAC, "
        "although a repeat goes back whatever the local threshold.",
        S.HIGH,
        rules_risk.marac_repeat_not_referred,
    ),
    Rule(
        "lowered-grade-then-violence",
        "Lowered grade on a call that involved violence",
        "A person lowered a call's grade, and the call turned out to involve violence or injury.",
        S.HIGH,
        rules_calls.lowered_grade_then_violence,
    ),
    Rule(
        "call-back-with-risk-signals",
        "Call-back promised instead of attendance",
        "A call showing serious warning signs was closed with a promise to call back, and no "
        "officer attended.",
        S.CRITICAL,
        rules_calls.call_back_with_risk_signals,
    ),
    Rule(
        "not-relevant-then-harm",
        "Warning sign dismissed, then harm",
        "A warning sign was acknowledged as not relevant, and violence or injury followed.",
        S.HIGH,
        rules_signals.not_relevant_then_harm,
    ),
    Rule(
        "breach-no-response",
        "Breach alert without attendance or outcome",
        "A breach alert on a protective order was not attended, or reached no outcome, within "
        "the standard.",
        S.HIGH,
        rules_orders.breach_no_response,
    ),
    Rule(
        "order-duty-overdue",
        "Order notification duty overdue without action",
        "The person subject to an order did not notify the police by the deadline, and nothing "
        "was done about it.",
        S.MEDIUM,
        rules_orders.order_duty_overdue,
    ),
    Rule(
        "referral-not-delivered",
        "Victim referral due and not delivered",
        "A referral to support for the victim was due and did not reach the service in time.",
        S.MEDIUM,
        rules_risk.referral_not_delivered,
    ),
    Rule(
        "encompass-not-sent",
        "Child not notified through Operation Encompass",
        "A child linked to an attended domestic abuse incident, whose school was not told "
        "before the start of the next school day.",
        S.MEDIUM,
        rules_risk.encompass_not_sent,
    ),
    Rule(
        "serial-perpetrator-not-flagged",
        "Serial perpetrator never flagged",
        "A suspect in domestic abuse against several victims was never flagged as a serial "
        "perpetrator.",
        S.MEDIUM,
        rules_risk.serial_perpetrator_not_flagged,
    ),
    Rule(
        "attendance-beyond-target",
        "Attendance far beyond the grade's target",
        "Officers arrived far later than the target for the call's grade, or never arrived.",
        S.MEDIUM,
        rules_calls.attendance_beyond_target,
    ),
    Rule(
        "closed-with-open-signal",
        "Incident closed with a warning sign unacknowledged",
        "An incident was closed while a warning sign on one of its calls was still waiting for "
        "a person to acknowledge it.",
        S.MEDIUM,
        rules_signals.closed_with_open_signal,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def evaluate(case: CaseHistory, settings: RuleSettings | None = None) -> list[Finding]:
    """Every finding of every enabled rule, in time order (then rule id, then evidence)."""
    settings = settings or RuleSettings()
    same = settings.same_person
    index = CaseIndex(case, same_person_similarity=same.name_similarity if same.enabled else None)
    found: list[Finding] = []
    for rule in RULES:
        rule_settings = settings.for_rule(rule.id)
        if not rule_settings.enabled:
            continue
        severity = rule_settings.severity or rule.severity
        found += [
            Finding(rule.id, severity, d.at, d.evidence, d.about, d.summary)
            for d in rule.check(index, rule_settings)
        ]
    return sorted(found, key=lambda f: (f.at, f.rule, f.evidence))
