"""Repeated DA calls without positive action; a lowered grade on a call that involved violence."""

from __future__ import annotations

from tests.unit.review_rules.helpers import (
    T0,
    arrest,
    call,
    change,
    found,
    history,
    incident,
)

RULE = "repeat-da-no-positive-action"
DAY = 24


def calls_on(days: list[float], **incident_kw):
    records = []
    for n, d in enumerate(days, start=1):
        records += [
            incident(f"i{n}", d * DAY, **incident_kw),
            call(f"c{n}", d * DAY, incident=f"i{n}"),
        ]
    return records


def test_three_domestic_abuse_calls_in_ninety_days_without_arrest_are_a_finding():
    case = history(*calls_on([0, 10, 20]))
    [finding] = found(case, RULE)
    assert finding.severity == "high"
    assert finding.at == T0.replace(day=23)
    assert finding.evidence == ("c1", "i1", "c2", "i2", "c3", "i3")
    assert finding.about == ("v1", "s1")


def test_two_calls_are_not_yet_repeated_calls():
    assert found(history(*calls_on([0, 10])), RULE) == []


def test_an_arrest_on_any_of_the_incidents_is_positive_action():
    records = calls_on([0, 10, 20])
    records[2] = incident("i2", 10 * DAY, arrest_made=True)
    assert found(history(*records), RULE) == []


def test_a_written_reason_for_not_arresting_is_positive_action():
    records = calls_on([0, 10, 20])
    records[4] = incident("i3", 20 * DAY, no_arrest_reason="suspect had left; circulated")
    assert found(history(*records), RULE) == []


def test_an_arrest_of_the_suspect_within_a_day_of_a_call_counts_and_later_does_not():
    in_time = history(*calls_on([0, 10, 20]), arrest("a1", 20 * DAY + 24))
    late = history(*calls_on([0, 10, 20]), arrest("a1", 20 * DAY + 24.01))
    assert found(in_time, RULE) == []
    assert len(found(late, RULE)) == 1


def test_the_window_is_inclusive_at_exactly_ninety_days():
    assert len(found(history(*calls_on([0, 45, 90])), RULE)) == 1
    assert found(history(*calls_on([0, 45, 90.0001])), RULE) == []


def test_calls_with_no_suspect_named_cannot_call_for_an_arrest():
    assert found(history(*calls_on([0, 1, 2], suspects=())), RULE) == []


def test_calls_that_are_not_domestic_abuse_do_not_count():
    assert found(history(*calls_on([0, 1, 2], da=False)), RULE) == []


def test_a_call_flagged_domestic_abuse_counts_without_an_incident():
    records = [
        call(f"c{n}", n, domestic_abuse=True, victim_ids=["v1"], suspect_ids=["s1"])
        for n in range(3)
    ]
    [finding] = found(history(*records), RULE)
    assert finding.evidence == ("c0", "c1", "c2")


def test_six_unanswered_calls_are_two_findings_not_four():
    assert len(found(history(*calls_on([0, 1, 2, 3, 4, 5])), RULE)) == 2


def test_a_force_can_ask_for_more_calls_before_it_is_a_finding():
    case = history(*calls_on([0, 1, 2]))
    assert found(case, RULE, min_calls=4) == []
    assert len(found(history(*calls_on([0, 1, 2, 3])), RULE, min_calls=4)) == 1


LOWERED = "lowered-grade-then-violence"


def lowered_call(**incident_kw):
    return [
        incident("i1", 0, **incident_kw),
        call("c1", 0, incident="i1"),
        change("g1", "c1", 0.1, "emergency", "scheduled", reason="caller calmer now"),
    ]


def test_a_lowered_grade_on_a_call_that_involved_violence_is_a_finding():
    [finding] = found(history(*lowered_call(violence=True)), LOWERED)
    assert finding.evidence == ("g1", "c1", "i1")
    assert finding.at == T0.replace(minute=6)
    assert "not signed off" in finding.summary


def test_the_summary_says_when_the_lowering_was_signed_off():
    records = lowered_call(violence=True)
    records[2] = change("g1", "c1", 0.1, "emergency", "priority", status="signed_off")
    [finding] = found(history(*records), LOWERED)
    assert "(signed off)" in finding.summary


def test_a_lowered_grade_without_violence_is_not_a_finding():
    assert found(history(*lowered_call()), LOWERED) == []


def test_a_raised_grade_is_not_a_lowered_one():
    records = lowered_call(violence=True)
    records[2] = change("g1", "c1", 0.1, "priority", "emergency")
    assert found(history(*records), LOWERED) == []


def test_a_rejected_lowering_never_stood():
    records = lowered_call(violence=True)
    records[2] = change("g1", "c1", 0.1, "emergency", "scheduled", status="rejected")
    assert found(history(*records), LOWERED) == []


def test_violence_to_the_same_victim_within_three_days_counts_and_later_does_not():
    inside = history(*lowered_call(), incident("i2", 0.1 + 72, violence=True))
    outside = history(*lowered_call(), incident("i2", 0.1 + 72.01, violence=True))
    [finding] = found(inside, LOWERED)
    assert finding.evidence == ("g1", "c1", "i2")
    assert found(outside, LOWERED) == []


def test_violence_to_someone_else_does_not_count():
    case = history(*lowered_call(), incident("i2", 1, victims=("v2",), violence=True))
    assert found(case, LOWERED) == []
