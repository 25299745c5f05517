"""Grading rules: exactly the issue's rules, monotone in risk facts, and never a grade lowered."""

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.incidents.models import Grade
from heard.signals.catalogue import SignalCode
from heard.signals.config import GradingSettings, grading_settings, signal_settings
from heard.signals.cues import CueCode
from heard.signals.grading import RiskFacts, below, judge, rank, suggest

RULES = GradingSettings()
CUES = [c.value for c in CueCode]
SIGNALS = [s.value for s in SignalCode]
GRADES = list(Grade)

facts = st.builds(
    RiskFacts,
    domestic_abuse=st.booleans(),
    cues=st.frozensets(st.sampled_from(CUES), max_size=6),
    signals=st.frozensets(st.sampled_from(SIGNALS), max_size=6),
    hours_since_previous_call=st.none() | st.floats(min_value=0, max_value=24 * 60),
    silent_or_cut_off=st.booleans(),
    number_da_history=st.booleans(),
    warning_signs=st.integers(min_value=0, max_value=20),
)


@st.composite
def more_risk(draw, base):
    """The same call with more risk: never fewer cues, signals or flags, never a longer gap."""
    gap = base.hours_since_previous_call
    nearer = draw(st.none() | st.floats(min_value=0, max_value=24 * 60))
    if gap is not None:
        nearer = gap if nearer is None else min(gap, nearer)
    return RiskFacts(
        domestic_abuse=base.domestic_abuse or draw(st.booleans()),
        cues=base.cues | draw(st.frozensets(st.sampled_from(CUES), max_size=4)),
        signals=base.signals | draw(st.frozensets(st.sampled_from(SIGNALS), max_size=4)),
        hours_since_previous_call=nearer,
        silent_or_cut_off=base.silent_or_cut_off or draw(st.booleans()),
        number_da_history=base.number_da_history or draw(st.booleans()),
        warning_signs=base.warning_signs + draw(st.integers(min_value=0, max_value=5)),
    )


@settings(deadline=None)  # shared CI cores: a slow example is not a failure
@given(st.data(), facts)
def test_more_risk_facts_never_lower_the_suggestion(data, base):
    more = data.draw(more_risk(base))
    before, after = suggest(base, RULES), suggest(more, RULES)
    assert rank(after.grade) >= rank(before.grade)
    assert after.refused >= before.refused
    assert after.call_back_needs_sign_off or not before.call_back_needs_sign_off


@settings(deadline=None)
@given(facts)
def test_the_suggestion_is_the_highest_grade_any_rule_gave(f):
    found = suggest(f, RULES)
    assert found.grade == max((r.grade for r in found.reasons), key=rank, default=None)


@given(
    st.sampled_from(GRADES),
    st.none() | st.sampled_from(GRADES),
    st.none() | st.sampled_from(GRADES),
)
def test_setting_a_grade_below_the_suggestion_or_lower_than_before_always_needs_sign_off(
    grade, current, suggested
):
    decision = judge(grade, current=current, suggested=suggested, refused=())
    assert decision.needs_sign_off == (below(grade, current) or below(grade, suggested))
    if current is not None and rank(grade) >= rank(current) and not below(grade, suggested):
        assert not decision.needs_sign_off


def test_da_with_a_critical_cue_is_emergency():
    for cue in RULES.critical_cues:
        assert (
            suggest(RiskFacts(domestic_abuse=True, cues=frozenset({cue})), RULES).grade
            is Grade.EMERGENCY
        )
    assert suggest(RiskFacts(domestic_abuse=False, cues=frozenset({"WEAPON"})), RULES).grade is None
    assert suggest(RiskFacts(domestic_abuse=True, cues=frozenset({"FEAR"})), RULES).grade is None


def test_a_possible_breach_from_history_counts_as_an_order_breach():
    f = RiskFacts(domestic_abuse=True, signals=frozenset({"POSSIBLE_BREACH"}))
    found = suggest(f, RULES)
    assert found.grade is Grade.EMERGENCY and "breached" in found.reasons[0].words


def test_a_repeat_da_call_within_24_hours_is_at_least_priority_and_never_resolution():
    found = suggest(RiskFacts(domestic_abuse=True, hours_since_previous_call=23.9), RULES)
    assert found.grade is Grade.PRIORITY and found.refused == {Grade.RESOLUTION}
    assert (
        suggest(RiskFacts(domestic_abuse=True, hours_since_previous_call=24.1), RULES).grade is None
    )
    assert (
        suggest(RiskFacts(domestic_abuse=False, hours_since_previous_call=1), RULES).grade is None
    )


def test_a_silent_call_from_a_number_with_da_history_is_emergency():
    f = RiskFacts(silent_or_cut_off=True, number_da_history=True)
    assert suggest(f, RULES).grade is Grade.EMERGENCY
    assert suggest(RiskFacts(silent_or_cut_off=True), RULES).grade is None


def test_a_call_back_needs_sign_off_on_a_da_call_with_warning_signs():
    assert suggest(RiskFacts(domestic_abuse=True, warning_signs=1), RULES).call_back_needs_sign_off
    assert not suggest(RiskFacts(domestic_abuse=True), RULES).call_back_needs_sign_off
    assert not suggest(RiskFacts(warning_signs=3), RULES).call_back_needs_sign_off


def test_rules_are_configured_per_force():
    rules = grading_settings(
        {
            "grading": {
                "critical_cues": ["WEAPON"],
                "repeat_da": {"grade": "emergency", "hours": 48, "refuse": []},
                "silent_da_number": {"enabled": False, "grade": "emergency"},
            }
        }
    )
    threat = RiskFacts(domestic_abuse=True, cues=frozenset({"THREAT_TO_KILL"}))
    assert suggest(threat, rules).grade is None
    repeat = suggest(RiskFacts(domestic_abuse=True, hours_since_previous_call=40), rules)
    assert repeat.grade is Grade.EMERGENCY and repeat.refused == frozenset()
    assert suggest(RiskFacts(silent_or_cut_off=True, number_da_history=True), rules).grade is None


def test_unreadable_force_settings_fall_back_to_the_defaults(caplog):
    rules = grading_settings({"grading": {"critical_cues": ["NOT_A_CUE"]}}, force_id=7)
    assert rules == GradingSettings()
    assert "defaults used" in caplog.text
    signals = signal_settings(
        {"warning_signs": {"marac_escalation": {"incidents": 3, "months": 6}}}
    )
    assert signals.marac_escalation.rule().months == 6
    assert signal_settings(
        {"warning_signs": {"repeat_windows_hours": [168, 12]}}
    ).repeat_windows_hours == (12, 168)
