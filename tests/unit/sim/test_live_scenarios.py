"""Scenario files: the bundled set covers the issue's stories, and bad files get clear messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from heard.sim.live.library import ScenarioError, bundled_names, load_bundled, load_file
from heard.sim.live.plan import scenario_runs
from heard.sim.live.timeline import (
    WORDS_PER_SECOND,
    Kind,
    compile_scenario,
    merge_runs,
    speech_seconds,
)

REQUIRED = {
    "repeat-calls-ex-partner-following",
    "silent-55-known-number",
    "neighbour-hears-screaming",
    "male-victim",
    "elderly-parent-adult-son",
    "honour-based-abuse-family",
    "stalking-order-breach",
    "code-word-yes-no",
    "line-cuts-off",
    "trap-choking-medical",
    "trap-pub-fight-strangers",
    "trap-video-game-argument",
}
# Ofcom keeps these for drama: they never ring a real person.
FICTIONAL_PHONE = re.compile(r"^(07700 900\d{3}|01632 960\d{3})$")

MINIMAL = """
name: {name}
title: A small scenario
description: Something happens and someone calls.
domestic_abuse: false
people:
  ann: {{given_name: Ann, phone: "07700 900001"}}
timeline:
  - call: c
    channel: "999"
    caller: ann
"""


def test_the_bundled_scenarios_cover_every_story_the_issue_asks_for():
    assert set(bundled_names()) >= REQUIRED
    assert len(bundled_names()) >= 12


def test_traps_are_not_domestic_abuse_and_every_other_bundled_scenario_is():
    for scenario in load_bundled():
        assert scenario.domestic_abuse == (not scenario.name.startswith("trap-")), scenario.name


def test_every_phone_number_in_a_scenario_is_in_ofcoms_drama_ranges():
    for scenario in load_bundled():
        for key, person in scenario.people.items():
            assert person.phone is None or FICTIONAL_PHONE.match(person.phone), (scenario.name, key)


def test_the_repeat_calls_scenario_asks_for_the_history_the_issue_describes():
    (scenario,) = [s for s in load_bundled() if s.name == "repeat-calls-ex-partner-following"]
    history = scenario.history
    assert history is not None
    assert sum(run.count for run in history.incidents) == 10
    assert any(r.lowered_from is not None for r in history.risk_assessments)
    assert [o.type.value for o in history.orders] == ["non_molestation"]
    calls = [a for a in compile_scenario(scenario, start=0, tag="T") if a.kind is Kind.CALL]
    assert len(calls) == 3 and calls[-1].at - calls[0].at < 3600, "three calls in one night"


def write(tmp_path: Path, text: str, name: str = "bad") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace("description: Something happens and someone calls.\n", ""),
            "description: Field required",
        ),
        (
            lambda t: t + "  - transcript: nobody\n    lines: [{caller: hello}]\n",
            "timeline.1: no call 'nobody' has started before this step (open: c)",
        ),
        (
            lambda t: t + "  - close: c\n    update: c\n    disposition: x\n",
            "timeline.1: a step needs exactly one of: call, transcript, update, close, telemetry",
        ),
        (
            lambda t: t + "  - transcript: c\n    lines: [{caller: yes}]\n",
            'put the words in quotes (caller: "yes")',
        ),
        (
            lambda t: t + "  - transcript: c\n    lines: [{victim: hello}]\n",
            "timeline.1[transcript].lines.0.victim",
        ),
        (
            lambda t: t.replace("caller: ann", "caller: bob"),
            "timeline.0.caller: no person 'bob' in people (known: ann)",
        ),
        (
            lambda t: t.replace('phone: "07700 900001"', "family_name: Lee"),
            "timeline.0.caller: 'ann' has no phone to call from",
        ),
        (
            lambda t: t.replace('channel: "999"', "channel: '112'"),
            "timeline.0[call].channel: Input should be",
        ),
        (lambda t: t + "    colour: blue\n", "timeline.0[call].colour: Extra inputs are not"),
        (
            lambda t: t + "    people: [{person: ann, role: victim, as_recorded: {nick: A}}]\n",
            "as_recorded has unknown field(s) ['nick']",
        ),
        (
            lambda t: t + "history: {incidents: []}\n",
            "history.incidents: List should have at least 1 item",
        ),
    ],
)
def test_a_bad_scenario_file_is_refused_with_a_message_naming_the_place(tmp_path, change, message):
    path = write(tmp_path, change(MINIMAL.format(name="bad")))
    with pytest.raises(ScenarioError) as refused:
        load_file(path)
    assert str(path) in str(refused.value)
    assert message in str(refused.value)


def test_a_scenario_named_differently_from_its_file_is_refused(tmp_path):
    path = write(tmp_path, MINIMAL.format(name="other"))
    with pytest.raises(ScenarioError, match="name 'other' must match the file name 'bad'"):
        load_file(path)


def test_a_file_that_is_not_yaml_is_refused_as_such(tmp_path):
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_file(write(tmp_path, "name: [unclosed"))


def test_a_minimal_scenario_is_accepted(tmp_path):
    assert load_file(write(tmp_path, MINIMAL.format(name="bad"))).name == "bad"


def test_transcript_lines_are_sent_at_speech_pace_when_each_utterance_ends():
    (scenario,) = [s for s in load_bundled() if s.name == "male-victim"]
    actions = compile_scenario(scenario, start=100, tag="T")
    call = next(a for a in actions if a.kind is Kind.CALL)
    segments = [a for a in actions if a.kind is Kind.TRANSCRIPT]
    assert len({s.body["segment_id"] for s in segments}) == len(segments)
    previous_end = 0
    for segment in segments:
        body = segment.body
        words = len(body["text"].split())
        assert body["end_ms"] - body["start_ms"] == round(1000 * max(0.8, words / WORDS_PER_SECOND))
        assert body["start_ms"] >= previous_end
        assert segment.at == pytest.approx(call.at + body["end_ms"] / 1000)
        previous_end = body["end_ms"]
    assert speech_seconds("one two three four five") == 2.0


def test_overlapping_runs_are_merged_into_one_time_ordered_stream():
    scenarios = load_bundled()
    runs = scenario_runs(scenarios, run_tag="T", interval=5, repeat=False)
    times = [a.at for a in merge_runs(runs)]
    assert times == sorted(times)
    assert len(times) == sum(len(compile_scenario(s, start=0, tag="T")) for s in scenarios)


def test_played_round_and_round_a_scenario_never_overlaps_its_previous_playing():
    scenarios = load_bundled()
    runs = scenario_runs(scenarios, run_tag="T", interval=5, repeat=True)
    ends: dict[str, float] = {}
    starts = []
    for _, (start, actions) in zip(range(3 * len(scenarios)), runs, strict=False):
        name = actions[0].label
        assert start >= ends.get(name, 0.0)
        ends[name] = actions[-1].at
        starts.append(start)
    assert starts == sorted(starts)


def test_order_conditions_must_be_what_the_orders_register_accepts(tmp_path):
    history = """history:
  incidents:
    - {victim: ann, suspect: ann, connection: relatives, count: 1, first_days_ago: 9,
       last_days_ago: 9}
  orders:
    - {type: dapo, subject: ann, protected: [ann], made_days_ago: 1,
       conditions: {no_contact: true}}
"""
    path = write(tmp_path, MINIMAL.format(name="bad") + history)
    with pytest.raises(ScenarioError, match=r"history\.orders\.0\.conditions.*no_contact"):
        load_file(path)
