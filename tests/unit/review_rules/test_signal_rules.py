"""A warning sign dismissed as not relevant before harm; an incident closed with a sign open."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.review_rules.helpers import T0, ack, call, found, history, incident, sign

NOT_RELEVANT = "not-relevant-then-harm"


def dismissed(*extra, action="not_relevant", **first_incident):
    return history(
        incident("i1", 0, **first_incident),
        call("c1", 0, incident="i1"),
        sign("w1", "c1", 0.01, "strangulation_history"),
        ack("k1", "w1", 0.02, action, reason="historic, years ago"),
        *extra,
    )


def test_a_sign_dismissed_as_not_relevant_and_then_violence_is_a_finding():
    case = dismissed(incident("i2", 24 * 10, violence=True))
    [finding] = found(case, NOT_RELEVANT)
    assert finding.evidence == ("w1", "k1", "c1", "i2")
    assert finding.at == T0 + timedelta(hours=0.02)
    assert "historic, years ago" in finding.summary


def test_violence_found_on_the_same_incident_follows_the_dismissal_too():
    [finding] = found(dismissed(violence=True), NOT_RELEVANT)
    assert finding.evidence == ("w1", "k1", "c1", "i1")


def test_a_sign_acted_on_is_not_a_finding_even_when_harm_follows():
    case = dismissed(incident("i2", 24, violence=True), action="passed_to_officers")
    assert found(case, NOT_RELEVANT) == []


def test_a_dismissal_with_no_harm_after_it_is_not_a_finding():
    assert found(dismissed(incident("i2", 24)), NOT_RELEVANT) == []


def test_harm_within_twenty_eight_days_counts_and_later_does_not():
    inside = dismissed(incident("i2", 0.02 + 28 * 24, violence=True))
    outside = dismissed(incident("i2", 0.03 + 28 * 24, violence=True))
    assert len(found(inside, NOT_RELEVANT)) == 1
    assert found(outside, NOT_RELEVANT) == []


def test_harm_to_a_different_victim_does_not_count():
    case = dismissed(incident("i2", 24, victims=("v9",), violence=True))
    assert found(case, NOT_RELEVANT) == []


OPEN = "closed-with-open-signal"


def closed(*extra, closed_hours=2.0, severity="high"):
    return history(
        incident("i1", 0, closed_at=f"2025-03-03T{12 + int(closed_hours):02d}:00:00Z"),
        call("c1", 0, incident="i1"),
        sign("w1", "c1", 0.5, "weapon", severity=severity),
        *extra,
    )


def test_an_incident_closed_with_a_warning_sign_unacknowledged_is_a_finding():
    [finding] = found(closed(), OPEN)
    assert finding.evidence == ("i1", "w1")
    assert finding.at == T0 + timedelta(hours=2)
    assert finding.severity == "medium"


def test_a_sign_acknowledged_before_closing_is_not_open():
    assert found(closed(ack("k1", "w1", 1.5)), OPEN) == []


def test_a_sign_acknowledged_exactly_at_closing_is_not_open():
    assert found(closed(ack("k1", "w1", 2.0)), OPEN) == []


def test_a_sign_acknowledged_only_after_closing_was_open_when_it_closed():
    assert len(found(closed(ack("k1", "w1", 2.01)), OPEN)) == 1


def test_an_incident_still_open_is_not_judged():
    case = history(incident("i1", 0), call("c1", 0, incident="i1"), sign("w1", "c1", 0.5))
    assert found(case, OPEN) == []


def test_a_force_can_ignore_low_signs():
    assert found(closed(severity="low"), OPEN, min_severity="medium") == []
    assert len(found(closed(severity="medium"), OPEN, min_severity="medium")) == 1
