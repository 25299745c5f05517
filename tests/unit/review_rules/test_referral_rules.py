"""Victim referrals not delivered; Operation Encompass not sent; serial perpetrators not flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.unit.review_rules.helpers import (
    T0,
    attendance,
    found,
    history,
    incident,
    marker,
    person,
    referral,
    t,
)

REFERRAL = "referral-not-delivered"


def test_a_support_referral_past_its_due_time_and_not_delivered_is_a_finding():
    case = history(referral("f1", "support", "v1", 24, incident_id=None), as_of=30)
    [finding] = found(case, REFERRAL)
    assert finding.evidence == ("f1",)
    assert finding.at == T0 + timedelta(hours=24)
    assert "not delivered" in finding.summary


def test_delivered_on_time_is_not_a_finding_and_late_is():
    on_time = referral("f1", "support", "v1", 24, delivered_at=t(24), status="delivered")
    late = referral("f1", "support", "v1", 24, delivered_at=t(24.5), status="delivered")
    assert found(history(on_time, as_of=30), REFERRAL) == []
    [finding] = found(history(late, as_of=30), REFERRAL)
    assert "delivered late" in finding.summary


def test_a_referral_not_yet_due_is_not_judged():
    assert found(history(referral("f1", "support", "v1", 24), as_of=24), REFERRAL) == []


def test_a_referral_the_victim_declined_or_that_was_withdrawn_is_not_owed():
    for status in ("not_sent", "withdrawn"):
        case = history(referral("f1", "support", "v1", 24, status=status), as_of=30)
        assert found(case, REFERRAL) == []


def test_a_referral_about_the_suspect_is_not_a_victim_referral():
    programme = referral("f1", "support", "s1", 24, victim_id="v1", service="perpetrator_programme")
    assert found(history(programme, as_of=30), REFERRAL) == []


def test_a_marac_pack_is_a_victim_referral_and_encompass_has_its_own_rule():
    pack = referral("f1", "marac", "v1", 24)
    notice = referral("f2", "encompass", "child1", 24)
    assert [f.evidence for f in found(history(pack, notice, as_of=30), REFERRAL)] == [("f1",)]


def test_a_force_can_allow_a_grace_period():
    case = history(referral("f1", "support", "v1", 24), as_of=27)
    assert found(case, REFERRAL, grace_hours=3) == []


ENCOMPASS = "encompass-not-sent"
# Attended on Monday 3 March 2025 at 22:00 GMT: the school must know by Tuesday 08:30.
ARRIVED = 10
DEADLINE = datetime(2025, 3, 4, 8, 30, tzinfo=UTC)


def with_child(*extra, child_age=8, as_of=48, **kw):
    return history(
        person("child1", age_years=child_age),
        incident("i1", 9.5, child_ids=("child1",), **kw),
        attendance("a1", "i1", ARRIVED),
        *extra,
        as_of=as_of,
    )


def notice(delivered_hours, **kw):
    return referral(
        "n1", "encompass", "child1", 20.5, incident_id="i1", delivered_at=t(delivered_hours), **kw
    )


def test_a_child_at_an_attended_incident_whose_school_was_not_told_is_a_finding():
    [finding] = found(with_child(), ENCOMPASS)
    assert finding.at == DEADLINE
    assert finding.evidence == ("i1", "a1", "child1")
    assert finding.about == ("child1", "v1")


def test_a_notice_delivered_before_the_school_day_starts_is_on_time():
    assert found(with_child(notice(20.5)), ENCOMPASS) == []
    [late] = found(with_child(notice(20.51)), ENCOMPASS)
    assert late.evidence == ("i1", "a1", "child1", "n1")


def test_weekends_do_not_wait_for_monday():
    friday_night = datetime(2025, 3, 7, 22, 0, tzinfo=UTC)
    hours = (friday_night - T0).total_seconds() / 3600
    case = history(
        person("child1", age_years=8),
        incident("i1", hours - 1, child_ids=("child1",)),
        attendance("a1", "i1", hours),
        as_of=hours + 72,
    )
    [finding] = found(case, ENCOMPASS)
    assert finding.at == datetime(2025, 3, 8, 8, 30, tzinfo=UTC)


def test_summer_time_moves_the_deadline_in_utc():
    july_evening = datetime(2025, 7, 1, 20, 0, tzinfo=UTC)
    hours = (july_evening - T0).total_seconds() / 3600
    case = history(
        person("child1", age_years=8),
        incident("i1", hours - 1, child_ids=("child1",)),
        attendance("a1", "i1", hours),
        as_of=hours + 48,
    )
    [finding] = found(case, ENCOMPASS)
    assert finding.at == datetime(2025, 7, 2, 7, 30, tzinfo=UTC)


def test_an_incident_nobody_attended_is_outside_operation_encompass():
    case = history(
        person("child1", age_years=8),
        incident("i1", 9.5, child_ids=("child1",)),
        attendance("a1", "i1", None),
        as_of=48,
    )
    assert found(case, ENCOMPASS) == []


def test_children_below_school_age_and_adults_are_not_notified():
    assert found(with_child(child_age=3), ENCOMPASS) == []
    assert found(with_child(child_age=18), ENCOMPASS) == []
    assert len(found(with_child(child_age=4), ENCOMPASS)) == 1
    assert len(found(with_child(child_age=17), ENCOMPASS)) == 1


def test_it_is_not_judged_before_the_school_day_starts():
    assert found(with_child(as_of=20.5), ENCOMPASS) == []


def test_incidents_that_are_not_domestic_abuse_are_outside_it():
    assert found(with_child(da=False), ENCOMPASS) == []


SERIAL = "serial-perpetrator-not-flagged"
DAY = 24


def test_a_suspect_with_two_victims_never_flagged_is_a_finding():
    case = history(
        incident("i1", 0, victims=("v1",)), incident("i2", 10 * DAY, victims=("v2",)), as_of=999
    )
    [finding] = found(case, SERIAL)
    assert finding.evidence == ("i1", "i2")
    assert finding.at == T0 + timedelta(days=38)
    assert finding.about == ("s1", "v1", "v2")


def test_one_victim_many_times_is_not_several_victims():
    case = history(incident("i1", 0), incident("i2", DAY), incident("i3", 2 * DAY), as_of=999)
    assert found(case, SERIAL) == []


def test_a_flag_within_twenty_eight_days_answers_it_and_later_does_not():
    two = (incident("i1", 0, victims=("v1",)), incident("i2", 10 * DAY, victims=("v2",)))
    assert found(history(*two, marker("k1", "s1", 38 * DAY), as_of=999), SERIAL) == []
    late = history(*two, marker("k1", "s1", 38 * DAY + 1), as_of=999)
    assert len(found(late, SERIAL)) == 1


def test_victims_years_apart_are_outside_the_window():
    case = history(
        incident("i1", 0, victims=("v1",)),
        incident("i2", (3 * 365 + 1) * DAY, victims=("v2",)),
        as_of=(3 * 365 + 60) * DAY,
    )
    assert found(case, SERIAL) == []


def test_a_force_can_ask_for_three_victims():
    case = history(
        incident("i1", 0, victims=("v1",)), incident("i2", DAY, victims=("v2",)), as_of=99 * DAY
    )
    assert found(case, SERIAL, min_victims=3) == []
