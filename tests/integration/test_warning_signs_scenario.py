"""The repeat-calls-on-one-night scenario from the issue, through the API on both databases."""

from sqlalchemy import select

from heard.audit.models import AuditEntry
from heard.auth.permissions import Role
from heard.signals.events import GradeSuggested, WarningSignRaised
from heard.signals.models import GradeChange
from tests.support.signals_history import build_history, night_call

SCENARIO_SIGNS = {
    "REPEAT_CALLS_VICTIM",
    "DA_INCIDENTS_PAIR",
    "EARLIER_GRADE_LOWERED",
    "ACTIVE_ORDER",
    "POSSIBLE_BREACH",
}


def post_call(client, world, body):
    response = world.token_client(client, "WMP").post("/api/v1/calls", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def by_code(signs):
    return {s["code"]: s for s in signs}


def test_by_the_second_call_repeat_history_lowered_grade_and_order_signs_are_raised(
    client, world, db
):
    history = build_history(db, world.forces["WMP"])
    seen = []
    db.bus.subscribe(WarningSignRaised, seen.append)
    db.bus.subscribe(GradeSuggested, seen.append)
    first = post_call(client, world, night_call("NIGHT-1"))
    second = post_call(client, world, night_call("NIGHT-2", minutes_after=70))

    victim = next(p for p in second["people"] if p["role"] == "victim")
    assert victim["subject_id"] == history.victim_subject, "the linker found her history"
    signals = second["extensions"]["signals"]
    signs = by_code(signals["signs"])
    assert set(signs) >= SCENARIO_SIGNS, sorted(signs)
    assert signals["grade"]["suggested_grade"] == "emergency"
    assert {r["rule"] for r in signals["grade"]["reasons"]} == {"da_critical_cue", "repeat_da"}
    assert signals["grade"]["refused_grades"] == ["resolution"]

    repeat = signs["REPEAT_CALLS_VICTIM"]
    assert repeat["words"] == "2nd call tonight about Amira Haddad (victim)"
    assert [e["id"] for e in repeat["evidence"]] == [first["call"]["id"]]
    assert repeat["evidence"][0]["href"] == f"/api/v1/calls/{first['call']['id']}"
    assert "REPEAT_CALLS_SUSPECT" not in signs, "the same calls are not shown twice"
    pair = signs["DA_INCIDENTS_PAIR"]
    assert pair["severity"] == "high"
    assert "MARAC threshold 3 in 12 months met" in pair["words"]
    assert {e["id"] for e in pair["evidence"] if e["type"] == "incident"} == set(history.incidents)
    lowered = signs["EARLIER_GRADE_LOWERED"]
    assert lowered["evidence"][0] == {
        "type": "risk_assessment",
        "id": history.lowered_assessment,
        "label": "risk grade lowered from high to medium on 13 Jul 2026",
        "at": lowered["evidence"][0]["at"],
    }
    assert signs["ACTIVE_ORDER"]["evidence"][0]["id"] == history.order_id
    breach = signs["POSSIBLE_BREACH"]
    assert breach["severity"] == "critical"
    assert "Daniel Kowalski is named on this call" in breach["words"]
    assert "protected person's address" in breach["words"]

    # A third call: "the 3rd call tonight", and the signs of the second call stay where they are.
    third = post_call(client, world, night_call("NIGHT-3", minutes_after=150))
    third_signs = by_code(third["extensions"]["signals"]["signs"])
    assert third_signs["REPEAT_CALLS_VICTIM"]["words"].startswith("3rd call tonight")
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    listed = handler.get(f"/api/v1/calls/{second['call']['id']}/warning-signs").json()
    assert {s["id"] for s in listed["signs"]} == {s["id"] for s in signals["signs"]}
    assert listed["unacknowledged"] == len(listed["signs"])

    # Events went out after commit, one per sign and per suggestion.
    raised = [e for e in seen if isinstance(e, WarningSignRaised)]
    assert len(raised) == sum(
        len(c["extensions"]["signals"]["signs"]) for c in (first, second, third)
    )
    assert any(isinstance(e, GradeSuggested) and e.grade == "emergency" for e in seen)

    # Audited: the signs raised and the suggestion, in the force's chain.
    with db.unit_of_work() as uow:
        actions = set(
            uow.session.scalars(
                select(AuditEntry.action).where(AuditEntry.record_id == str(second["call"]["id"]))
            )
        )
        kinds = uow.session.scalars(
            select(GradeChange.kind).where(GradeChange.call_id == second["call"]["id"])
        ).all()
    assert {"warning_signs.raise", "grade.suggest"} <= actions
    assert [k.value for k in kinds] == ["suggested"]


def test_the_transcript_adds_cues_on_top_of_history_and_nothing_lowers_the_set_grade(
    client, world, db
):
    build_history(db, world.forces["WMP"])
    post_call(client, world, night_call("NIGHT-1"))
    call_id = post_call(client, world, night_call("NIGHT-2", minutes_after=70))["call"]["id"]
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    set_ = handler.post(f"/api/v1/calls/{call_id}/grade", json={"grade": "emergency"})
    assert set_.status_code == 200 and set_.json()["grade"] == "emergency"

    api = world.token_client(client, "WMP")
    posted = api.post(
        f"/api/v1/calls/{call_id}/transcript",
        json=[
            {
                "segment_id": "a1",
                "speaker": "handler",
                "text": "Is he still in the house?",
                "start_ms": 0,
                "end_ms": 1500,
            },
            {
                "segment_id": "a2",
                "speaker": "caller",
                "text": "yes he's outside the bedroom door",
                "start_ms": 1600,
                "end_ms": 4000,
            },
        ],
    )
    assert posted.status_code == 201, posted.text
    assert "SUSPECT_PRESENT" in posted.json()["new_cues"]
    after = handler.get(f"/api/v1/calls/{call_id}/grade").json()
    assert after["grade"] == "emergency" and after["suggested_grade"] == "emergency"
    assert [c["kind"] for c in after["history"]] == ["suggested", "set"]


def test_the_simulators_repeat_calls_scenario_raises_the_signs_by_the_second_call(
    client, world, db
):
    """`heard sim run --scenario repeat-calls-ex-partner-following`, played in-process."""
    from heard.clock import utcnow
    from heard.incidents.models import Call
    from heard.sim.live.backstory import build_history as build_scenario_history
    from heard.sim.live.library import load_named
    from heard.sim.live.plan import stream
    from heard.sim.live.runner import Runner

    scenarios = load_named(["repeat-calls-ex-partner-following"])
    with db.transaction() as session:
        build_scenario_history(
            session, force_id=world.forces["WMP"], scenario=scenarios[0], now=utcnow()
        )
    stats = Runner(world.token_client(client, "WMP"), speed=0).play(stream(scenarios, run_tag="S"))
    assert not stats.examples, stats.examples
    with db.unit_of_work() as uow:
        second = uow.session.scalar(select(Call.id).where(Call.source_ref == "S-001-second"))
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    signals = handler.get(f"/api/v1/calls/{second}/warning-signs").json()
    signs = by_code(signals["signs"])
    assert {
        "REPEAT_CALLS_VICTIM",
        "DA_INCIDENTS_PAIR",
        "EARLIER_GRADE_LOWERED",
        "ACTIVE_ORDER",
    } <= set(signs), sorted(signs)
    assert signs["REPEAT_CALLS_VICTIM"]["words"].startswith("2nd call tonight about Leah Brennan")
    assert signals["grade"]["suggested_grade"] == "emergency"
    assert signals["domestic_abuse"] is True
