"""High risk without a MARAC referral; a repeat within 12 months of MARAC not referred back."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.review_rules.helpers import (
    T0,
    assessment,
    call,
    found,
    history,
    incident,
    marac,
    referral,
)

HIGH = "high-risk-no-marac"
DAY = 24


def test_a_high_risk_assessment_with_no_marac_referral_is_a_finding_when_the_day_has_passed():
    case = history(incident("i1", 0), assessment("r1", 1, incident_id="i1"), as_of=30)
    [finding] = found(case, HIGH)
    assert finding.evidence == ("r1", "i1")
    assert finding.at == T0 + timedelta(hours=25)
    assert finding.about == ("v1",)


def test_it_is_not_judged_before_the_referral_was_due():
    assert found(history(assessment("r1", 1), as_of=25), HIGH) == []
    assert len(found(history(assessment("r1", 1), as_of=25.01), HIGH)) == 1


def test_a_marac_referral_within_the_day_answers_it():
    assert found(history(assessment("r1", 1), marac("m1", 25), as_of=99), HIGH) == []
    assert len(found(history(assessment("r1", 1), marac("m1", 25.01), as_of=99), HIGH)) == 1


def test_a_marac_pack_referral_counts_as_a_referral():
    pack = referral("p1", "marac", "v1", due_hours=30, created_at="2025-03-03T14:00:00Z")
    assert found(history(assessment("r1", 1), pack, as_of=99), HIGH) == []


def test_medium_risk_does_not_need_marac():
    assert found(history(assessment("r1", 1, level="medium"), as_of=99), HIGH) == []


def test_a_referral_in_the_year_before_still_covers_the_assessment():
    earlier = marac("m1", -364 * DAY)
    assert found(history(earlier, assessment("r1", 1), as_of=99), HIGH) == []
    too_old = marac("m1", -366 * DAY)
    assert len(found(history(too_old, assessment("r1", 1), as_of=99), HIGH)) == 1


def test_another_victims_referral_does_not_count():
    case = history(assessment("r1", 1), marac("m1", 2, victim="v2"), as_of=99)
    assert len(found(case, HIGH)) == 1


REPEAT = "marac-repeat-not-referred"


def test_further_abuse_within_a_year_of_marac_not_referred_back_is_a_finding():
    case = history(marac("m1", 0), incident("i1", 100 * DAY), as_of=200 * DAY)
    [finding] = found(case, REPEAT)
    assert finding.evidence == ("m1", "i1")
    assert finding.at == T0 + timedelta(days=100, hours=72)
    assert finding.about == ("v1", "s1")


def test_a_referral_back_within_three_days_answers_the_repeat():
    first, repeat, later = marac("m1", 0), incident("i1", 100 * DAY), 200 * DAY
    referred = history(first, repeat, marac("m2", 100 * DAY + 72), as_of=later)
    late = history(first, repeat, marac("m2", 100 * DAY + 72.5), as_of=later)
    assert found(referred, REPEAT) == []
    assert len(found(late, REPEAT)) == 1


def test_abuse_exactly_a_year_later_is_still_a_repeat_and_a_moment_after_is_not():
    inside = history(marac("m1", 0), incident("i1", 365 * DAY), as_of=400 * DAY)
    outside = history(marac("m1", 0), incident("i1", 365 * DAY + 0.01), as_of=400 * DAY)
    assert len(found(inside, REPEAT)) == 1
    assert found(outside, REPEAT) == []


def test_a_repeat_need_not_be_violent_or_a_crime():
    case = history(
        marac("m1", 0),
        incident("i1", DAY, category="concern_for_welfare", violence=False),
        as_of=10 * DAY,
    )
    assert len(found(case, REPEAT)) == 1


def test_a_domestic_abuse_call_without_an_incident_is_a_repeat_too():
    case = history(
        marac("m1", 0),
        call("c1", DAY, domestic_abuse=True, victim_ids=["v1"], suspect_ids=["s1"]),
        as_of=10 * DAY,
    )
    [finding] = found(case, REPEAT)
    assert finding.evidence == ("m1", "c1")


def test_several_repeats_after_one_referral_are_one_finding():
    case = history(marac("m1", 0), incident("i1", DAY), incident("i2", 2 * DAY), as_of=10 * DAY)
    [finding] = found(case, REPEAT)
    assert finding.evidence == ("m1", "i1")


def test_incidents_that_are_not_domestic_abuse_are_not_repeats():
    case = history(marac("m1", 0), incident("i1", DAY, da=False), as_of=10 * DAY)
    assert found(case, REPEAT) == []


def test_a_victim_never_referred_has_no_repeat():
    assert found(history(incident("i1", DAY), as_of=10 * DAY), REPEAT) == []


def test_abuse_by_a_different_perpetrator_is_not_a_repeat_of_that_referral():
    referred = (incident("i0", 0), marac("m1", 1, incident_id="i0"))
    other = history(*referred, incident("i1", DAY, suspects=("s2",)), as_of=10 * DAY)
    same = history(*referred, incident("i1", DAY, suspects=("s1", "s2")), as_of=10 * DAY)
    assert found(other, REPEAT) == []
    assert len(found(same, REPEAT)) == 1
    assert len(found(other, REPEAT, same_perpetrator=False)) == 1


def test_a_late_referral_is_named_in_the_finding_and_none_at_all_is_said_plainly():
    late = history(assessment("r1", 0), marac("m1", 3 * DAY), as_of=99 * DAY)
    [finding] = found(late, HIGH)
    assert finding.evidence == ("r1", "m1")
    assert "the next MARAC referral came 3 days later" in finding.summary
    hours = history(assessment("r1", 0), marac("m1", 30), as_of=99 * DAY)
    assert "came 30 hours later" in found(hours, HIGH)[0].summary
    [never] = found(history(assessment("r1", 0), as_of=99 * DAY), HIGH)
    assert "no MARAC referral was made" in never.summary
