"""Breach alerts without attendance or outcome; notification duties overdue without action."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.review_rules.helpers import T0, breach, duty, found, history, order, t

BREACH = "breach-no-response"


def alert(as_of=48, **kw):
    return history(order("o1", -100), breach("b1", "o1", 0, **kw), as_of=as_of)


def test_a_breach_alert_never_attended_is_a_finding_at_the_attendance_standard():
    [finding] = found(alert(), BREACH)
    assert finding.at == T0 + timedelta(minutes=20)
    assert finding.evidence == ("b1", "o1")
    assert finding.about == ("s1", "v1")
    assert "no attendance within 20 minutes" in finding.summary
    assert "no outcome within 24 hours" in finding.summary


def test_attended_in_time_with_an_outcome_in_time_is_not_a_finding():
    done = alert(attended_at=t(minutes=20), outcome="arrested", outcome_at=t(3))
    assert found(done, BREACH) == []


def test_attended_a_minute_late_is_a_finding():
    late = alert(attended_at=t(minutes=21), outcome="arrested", outcome_at=t(3))
    [finding] = found(late, BREACH)
    assert "no attendance" in finding.summary and "no outcome" not in finding.summary


def test_attended_but_no_outcome_within_a_day_is_a_finding_at_the_outcome_standard():
    [finding] = found(alert(attended_at=t(minutes=5)), BREACH)
    assert finding.at == T0 + timedelta(hours=24)
    assert found(alert(attended_at=t(minutes=5), as_of=24), BREACH) == []


def test_an_arrest_inside_the_attendance_standard_shows_someone_attended():
    arrested = alert(outcome="arrested", outcome_at=t(minutes=15))
    assert found(arrested, BREACH) == []


def test_a_priority_breach_has_an_hour_to_attend():
    on_time = alert(grade="priority", attended_at=t(1), outcome="nfa", outcome_at=t(2))
    assert found(on_time, BREACH) == []


def test_a_breach_alert_is_not_judged_before_the_standard_passes():
    assert found(alert(as_of=20 / 60), BREACH) == []


def test_a_force_can_set_its_own_attendance_standard():
    quick = alert(attended_at=t(minutes=16), outcome="arrested", outcome_at=t(3))
    assert len(found(quick, BREACH, attend_minutes={"emergency": 15})) == 1


DUTY = "order-duty-overdue"


def test_a_notification_duty_overdue_with_nothing_done_is_a_finding():
    case = history(order("o1", 0), duty("d1", "o1", 72), as_of=200)
    [finding] = found(case, DUTY)
    assert finding.evidence == ("d1", "o1")
    assert finding.at == T0 + timedelta(hours=96)
    assert finding.severity == "medium"


def test_a_duty_done_on_time_is_not_a_finding():
    case = history(order("o1", 0), duty("d1", "o1", 72, done_at=t(70)), as_of=200)
    assert found(case, DUTY) == []


def test_action_within_a_day_of_the_deadline_answers_it_and_later_does_not():
    acted = duty("d1", "o1", 72, action_at=t(96), action="breach raised and attended")
    late = duty("d1", "o1", 72, action_at=t(96.5), action="breach raised")
    assert found(history(order("o1", 0), acted, as_of=200), DUTY) == []
    assert len(found(history(order("o1", 0), late, as_of=200), DUTY)) == 1


def test_a_duty_done_late_but_within_the_action_window_is_not_a_finding():
    case = history(order("o1", 0), duty("d1", "o1", 72, done_at=t(80)), as_of=200)
    assert found(case, DUTY) == []


def test_other_duties_are_outside_the_rule_unless_the_force_adds_them():
    case = history(order("o1", 0), duty("d1", "o1", 72, kind="dapn_hearing"), as_of=200)
    assert found(case, DUTY) == []
    assert len(found(case, DUTY, kinds=["dapn_hearing"])) == 1


def test_an_overdue_duty_is_not_judged_while_there_is_still_time_to_act():
    case = history(order("o1", 0), duty("d1", "o1", 72), as_of=96)
    assert found(case, DUTY) == []
