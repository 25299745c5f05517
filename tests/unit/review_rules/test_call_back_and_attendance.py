"""A call-back promised instead of attendance; an attendance far beyond the grade's target."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.review_rules.helpers import (
    T0,
    attendance,
    call,
    change,
    found,
    history,
    incident,
    sign,
)

CALL_BACK = "call-back-with-risk-signals"


def promised(*extra, disposition="call_back", severity="critical", as_of=48):
    return history(
        incident("i1", 0),
        call("c1", 0, incident="i1", disposition=disposition, closed_at="2025-03-03T12:20:00Z"),
        sign("w1", "c1", 0.05, "threat_to_kill", severity=severity),
        *extra,
        as_of=as_of,
    )


def test_a_call_back_promised_on_a_call_with_a_threat_to_kill_is_a_critical_finding():
    [finding] = found(promised(), CALL_BACK)
    assert finding.severity == "critical"
    assert finding.at == T0 + timedelta(minutes=20)
    assert finding.evidence == ("c1", "w1", "i1")
    assert "threat_to_kill" in finding.summary


def test_a_call_back_recorded_as_a_grade_decision_is_the_promise():
    case = history(
        incident("i1", 0),
        call("c1", 0, incident="i1"),
        sign("w1", "c1", 0.05),
        change("g1", "c1", 0.2, "priority", None, kind="call_back", status="pending"),
        as_of=48,
    )
    [finding] = found(case, CALL_BACK)
    assert finding.evidence == ("c1", "g1", "w1", "i1")


def test_a_call_back_without_serious_warning_signs_is_not_a_finding():
    assert found(promised(severity="medium"), CALL_BACK) == []
    assert found(promised(severity="medium"), CALL_BACK, min_signal_severity="medium") != []


def test_a_call_closed_as_attended_is_not_a_call_back():
    assert found(promised(disposition="attended"), CALL_BACK) == []


def test_officers_arriving_within_the_hour_mean_the_call_back_was_not_instead_of_attendance():
    assert found(promised(attendance("a1", "i1", 1.0)), CALL_BACK) == []
    assert len(found(promised(attendance("a1", "i1", 1.01)), CALL_BACK)) == 1


def test_it_is_not_judged_before_the_hour_has_passed():
    assert found(promised(as_of=1.0), CALL_BACK) == []


ATTEND = "attendance-beyond-target"


def attended(grade, arrived_minutes, *, rural=False, da=True, as_of=None):
    return history(
        incident("i1", 0, grade=grade, da=da),
        call("c1", 0, incident="i1", grade=grade),
        attendance(
            "a1", "i1", None if arrived_minutes is None else arrived_minutes / 60, rural=rural
        ),
        as_of=as_of,
    )


def test_an_emergency_attended_after_more_than_twice_the_fifteen_minute_target_is_a_finding():
    [finding] = found(attended("emergency", 31), ATTEND)
    assert finding.at == T0 + timedelta(minutes=30)
    assert finding.evidence == ("i1", "c1", "a1")
    assert "31 minutes" in finding.summary


def test_exactly_twice_the_target_is_not_far_beyond_it():
    assert found(attended("emergency", 30), ATTEND) == []


def test_a_rural_emergency_has_twenty_minutes():
    assert found(attended("emergency", 40, rural=True), ATTEND) == []
    assert len(found(attended("emergency", 41, rural=True), ATTEND)) == 1


def test_priority_and_scheduled_grades_have_their_own_targets():
    assert found(attended("priority", 120), ATTEND) == []
    assert len(found(attended("priority", 121), ATTEND)) == 1
    assert found(attended("scheduled", 96 * 60), ATTEND) == []
    assert len(found(attended("scheduled", 96 * 60 + 1), ATTEND)) == 1


def test_a_resolution_without_deployment_has_no_attendance_target():
    assert found(attended("resolution", 10_000), ATTEND) == []


def test_officers_sent_who_never_arrived_are_a_finding_once_the_limit_has_passed():
    assert len(found(attended("emergency", None, as_of=1), ATTEND)) == 1
    assert found(attended("emergency", None, as_of=0.5), ATTEND) == []


def test_only_domestic_abuse_incidents_count_unless_the_force_says_otherwise():
    assert found(attended("emergency", 60, da=False), ATTEND) == []
    assert found(attended("emergency", 60, da=False), ATTEND, domestic_abuse_only=False) != []


def test_a_force_can_set_its_own_factor():
    assert len(found(attended("emergency", 23), ATTEND, factor=1.5)) == 1
    assert found(attended("emergency", 22.5), ATTEND, factor=1.5) == []
