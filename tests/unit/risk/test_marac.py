from datetime import date

import pytest

from heard.risk.instruments import (
    Criterion,
    EscalationRule,
    Judgement,
    Level,
    MaracHistory,
    marac_criteria,
    months_before,
    score,
)
from tests.unit.risk.helpers import instrument, items, responses

D = date.fromisoformat
DEFAULT = EscalationRule()


def scored(yes=0, judgement=None, instrument_id="dash-acpo-27"):
    found = instrument(instrument_id)
    return score(found, responses(yes=items(1, yes)), found.scoring.bands, judgement)


def criteria(result=None, incidents=(), last_referral=None, as_of="2025-03-15", rule=DEFAULT):
    history = MaracHistory(
        tuple(D(d) for d in incidents), D(last_referral) if last_referral else None
    )
    return marac_criteria(result or scored(), history, D(as_of), rule)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2025-03-15", 12, "2024-03-15"),
        ("2025-03-15", 0, "2025-03-15"),
        ("2025-01-15", 1, "2024-12-15"),
        ("2024-02-29", 12, "2023-02-28"),
        ("2025-02-28", 12, "2024-02-28"),
        ("2028-02-29", 48, "2024-02-29"),
        ("2025-05-31", 3, "2025-02-28"),
        ("2024-05-31", 3, "2024-02-29"),
        ("2025-03-31", 1, "2025-02-28"),
        ("2025-12-31", 6, "2025-06-30"),
    ],
)
def test_months_before_keeps_the_day_of_the_month_and_clamps_at_month_end(day, months, expected):
    assert months_before(D(day), months) == D(expected)


def test_months_before_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        months_before(D("2025-01-01"), -1)


def test_no_criteria_means_no_referral():
    decision = criteria(scored(yes=13))
    assert decision.criteria == () and not decision.refer


def test_fourteen_yes_is_visible_high_risk_and_a_referral():
    decision = criteria(scored(yes=14))
    assert decision.criteria == (Criterion.VISIBLE_HIGH_RISK,) and decision.refer


def test_a_high_judgement_on_a_lower_count_is_the_professional_judgement_criterion():
    decision = criteria(scored(yes=3, judgement=Judgement(Level.HIGH, "threat to kill")))
    assert decision.criteria == (Criterion.PROFESSIONAL_JUDGEMENT,)


def test_a_high_judgement_on_a_high_count_is_only_visible_high_risk():
    decision = criteria(scored(yes=20, judgement=Judgement(Level.HIGH, "agree")))
    assert decision.criteria == (Criterion.VISIBLE_HIGH_RISK,)


def test_a_medium_judgement_is_no_marac_criterion():
    assert criteria(scored(yes=11, judgement=Judgement(Level.MEDIUM, "r"))).criteria == ()


def test_a_high_judgement_on_stalking_questions_without_bands_is_professional_judgement():
    result = scored(yes=11, judgement=Judgement(Level.HIGH, "r"), instrument_id="s-dash-11")
    assert criteria(result).criteria == (Criterion.PROFESSIONAL_JUDGEMENT,)


def test_stalking_questions_alone_never_make_visible_high_risk_without_bands():
    assert criteria(scored(yes=11, instrument_id="s-dash-11")).criteria == ()


def test_the_current_incident_and_two_earlier_in_twelve_months_is_potential_escalation():
    decision = criteria(incidents=["2024-09-01", "2025-02-01"])
    assert decision.criteria == (Criterion.POTENTIAL_ESCALATION,)
    assert decision.incidents_in_window == 3


def test_the_current_incident_and_one_earlier_is_not_potential_escalation():
    decision = criteria(incidents=["2025-02-01"])
    assert decision.criteria == () and decision.incidents_in_window == 2


def test_the_current_incident_counts_towards_the_threshold():
    one_in_twelve = EscalationRule(incidents=1, months=12)
    assert criteria(rule=one_in_twelve).criteria == (Criterion.POTENTIAL_ESCALATION,)
    two_in_twelve = EscalationRule(incidents=2, months=12)
    assert criteria(incidents=["2025-01-01"], rule=two_in_twelve).refer


def test_an_incident_exactly_twelve_months_before_counts_and_one_day_earlier_does_not():
    assert criteria(incidents=["2024-03-15", "2025-01-01"]).refer
    assert not criteria(incidents=["2024-03-14", "2025-01-01"]).refer


def test_an_earlier_incident_on_the_same_day_counts():
    assert criteria(incidents=["2025-03-15", "2025-03-15"]).incidents_in_window == 3


def test_incidents_after_as_of_are_ignored():
    decision = criteria(incidents=["2025-03-16", "2025-06-01", "2026-01-01"])
    assert decision.criteria == () and decision.incidents_in_window == 1


@pytest.mark.parametrize(
    ("as_of", "counted", "not_counted"),
    [
        ("2025-02-28", ["2024-02-28", "2024-02-29"], ["2024-02-27"]),
        ("2024-02-29", ["2023-02-28", "2023-03-01"], ["2023-02-27"]),
        ("2025-03-01", ["2024-03-01"], ["2024-02-29"]),
    ],
)
def test_leap_days_on_the_window_edge(as_of, counted, not_counted):
    decision = criteria(incidents=counted + not_counted, as_of=as_of)
    assert decision.incidents_in_window == 1 + len(counted)


def test_a_force_with_three_in_six_months_counts_only_the_last_six_months():
    kent_like = EscalationRule(incidents=3, months=6)
    assert criteria(incidents=["2024-09-15", "2025-01-01"], rule=kent_like).refer
    assert not criteria(incidents=["2024-09-14", "2025-01-01"], rule=kent_like).refer
    assert criteria(incidents=["2024-09-14", "2025-01-01"]).refer


def test_a_marac_referral_in_the_last_twelve_months_makes_this_a_repeat():
    assert criteria(last_referral="2024-11-01").criteria == (Criterion.REPEAT,)


def test_a_referral_exactly_twelve_months_before_is_a_repeat_and_a_day_earlier_is_not():
    assert criteria(last_referral="2024-03-15").criteria == (Criterion.REPEAT,)
    assert criteria(last_referral="2024-03-14").criteria == ()


def test_a_repeat_across_a_leap_day():
    assert criteria(last_referral="2023-02-28", as_of="2024-02-29").refer
    assert not criteria(last_referral="2023-02-27", as_of="2024-02-29").refer
    assert criteria(last_referral="2024-02-29", as_of="2025-02-28").refer


def test_a_referral_dated_after_as_of_is_ignored():
    assert criteria(last_referral="2025-03-16").criteria == ()


def test_a_repeat_ignores_the_local_escalation_rule():
    strict = EscalationRule(incidents=10, months=1)
    assert criteria(last_referral="2024-06-01", rule=strict).criteria == (Criterion.REPEAT,)


def test_all_four_criteria_are_listed_in_the_contract_order():
    decision = criteria(
        scored(yes=14, judgement=Judgement(Level.HIGH, "r")),
        incidents=["2025-01-01", "2025-02-01"],
        last_referral="2025-01-15",
    )
    assert decision.criteria == (
        Criterion.VISIBLE_HIGH_RISK,
        Criterion.POTENTIAL_ESCALATION,
        Criterion.REPEAT,
    )
    decision = criteria(
        scored(yes=2, judgement=Judgement(Level.HIGH, "r")),
        incidents=["2025-01-01", "2025-02-01"],
        last_referral="2025-01-15",
    )
    assert [c.value for c in decision.criteria] == [
        "professional_judgement",
        "potential_escalation",
        "repeat",
    ]


@pytest.mark.parametrize(("incidents", "months"), [(0, 12), (101, 12), (3, 0), (3, 121)])
def test_an_escalation_rule_out_of_range_is_refused(incidents, months):
    with pytest.raises(ValueError, match="escalation"):
        EscalationRule(incidents=incidents, months=months)
