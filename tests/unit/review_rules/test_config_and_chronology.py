"""Per-force thresholds, and the chronology of a victim, a suspect or a pair."""

from __future__ import annotations

import pytest

from heard.review.rules import RULES, Focus, RulesConfig, chronology, evaluate, force_settings
from heard.review.rules.config import RulesConfigError
from tests.unit.review_rules.helpers import (
    ack,
    assessment,
    call,
    change,
    history,
    incident,
    marker,
    order,
    sign,
)

CONFIG = {
    "defaults": {"repeat-da-no-positive-action": {"min_calls": 4}},
    "forces": {
        "wmp": {"repeat-da-no-positive-action": {"window_days": 30}},
        "NMP": {"high-risk-no-marac": {"enabled": False, "grace_hours": 2}},
    },
}


def test_every_rule_has_an_id_a_description_and_default_thresholds():
    assert len(RULES) == 13
    assert len({r.id for r in RULES}) == 13
    config = RulesConfig()
    for rule in RULES:
        assert rule.description.endswith(".")
        assert config.settings_for(None).for_rule(rule.id).enabled


def test_a_force_override_sits_on_top_of_the_defaults():
    config = RulesConfig(CONFIG)
    wmp = config.settings_for("WMP").repeat_da_no_positive_action
    assert (wmp.min_calls, wmp.window_days) == (4, 30)
    assert config.settings_for("NMP").repeat_da_no_positive_action.window_days == 90
    assert not config.settings_for("nmp").high_risk_no_marac.enabled


def test_a_force_without_overrides_gets_the_defaults():
    assert RulesConfig(CONFIG).settings_for("XYZ").repeat_da_no_positive_action.min_calls == 4


def test_a_disabled_rule_finds_nothing_for_that_force():
    case = history(assessment("r1", 1), as_of=99, force="NMP")
    config = RulesConfig(CONFIG)
    assert evaluate(case, config.settings_for("NMP")) == []
    assert len(evaluate(case, config.settings_for("WMP"))) == 1


def test_a_severity_can_be_set_per_force():
    settings = force_settings({"high-risk-no-marac": {"severity": "critical"}})
    [finding] = evaluate(history(assessment("r1", 1), as_of=99), settings)
    assert finding.severity == "critical"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"defaults": {"no-such-rule": {}}}, "no-such-rule"),
        ({"defaults": {"repeat-da-no-positive-action": {"min_calls": 1}}}, "min_calls"),
        ({"forces": {"WMP": {"attendance-beyond-target": {"factor": 0.5}}}}, "forces.WMP"),
        ({"defaults": {"encompass-not-sent": {"timezone": "Mars/Olympus"}}}, "time zone"),
        ({"rules": {}}, "unknown keys"),
    ],
)
def test_a_configuration_that_cannot_be_used_says_where(document, message):
    with pytest.raises(RulesConfigError, match=message):
        RulesConfig(document)


def story():
    return history(
        incident("i1", 0, closed_at="2025-03-03T15:00:00Z", closed_by="PC 101"),
        call("c1", 0, incident="i1", handler="handler 7"),
        change("g1", "c1", 0.1, "emergency", "scheduled", by="handler 7"),
        sign("w1", "c1", 0.05, "weapon"),
        ack("k1", "w1", 0.2, "not_relevant", reason="old", by="handler 7"),
        incident("i2", 48, violence=True),
        incident("i3", 72, victims=("v2",), suspects=("s1",)),
        incident("i4", 96, victims=("v1",), suspects=("s2",)),
        assessment("r1", 50),
        order("o1", 60, protected=("v2",)),
        marker("mk1", "s1", 80, "violence"),
    )


def test_a_victims_chronology_holds_her_records_in_time_order_with_who_did_what():
    case = story()
    entries = chronology(case, Focus(victim="v1"))
    records = [e.record_id for e in entries]
    assert "i3" not in records and "o1" not in records
    assert {"i1", "c1", "g1", "w1", "k1", "i2", "i4", "r1"} <= set(records)
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert ("acknowledgement", "handler 7") in {(e.kind, e.by) for e in entries}


def test_a_pair_chronology_leaves_out_the_victims_other_suspect():
    entries = chronology(story(), Focus(victim="v1", suspect="s1"))
    records = {e.record_id for e in entries}
    assert "i4" not in records and "i1" in records and "r1" in records
    assert "mk1" not in records


def test_a_suspects_chronology_spans_every_victim_and_the_orders_on_him():
    records = {e.record_id for e in chronology(story(), Focus(suspect="s1"))}
    assert {"i1", "i2", "i3", "o1", "mk1"} <= records
    assert "i4" not in records


def test_findings_appear_in_the_chronology_of_the_records_they_rest_on():
    case = story()
    findings = evaluate(case)
    entries = chronology(case, Focus(victim="v1"), findings=findings, kinds=["finding"])
    rules = {e.summary.split(" ")[0] for e in entries}
    assert {"lowered-grade-then-violence", "not-relevant-then-harm"} <= rules


def test_a_chronology_can_be_narrowed_by_kind_and_time():
    case = story()
    everything = chronology(case, Focus(victim="v1"))
    calls = chronology(case, Focus(victim="v1"), kinds=["call"])
    assert {e.kind for e in calls} == {"call"}
    late = chronology(case, Focus(victim="v1"), since=everything[-1].at)
    assert late == [e for e in everything if e.at == everything[-1].at]
