"""The live simulator against the real app on SQLite and PostgreSQL: every scenario plays through
the public API, history is written once and linked to, background callers come from the force."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from heard.clock import utcnow
from heard.incidents.models import Call, Incident
from heard.orders.models import Order, OrderStatus
from heard.orders.records import Breach
from heard.people.models import PersonRecord
from heard.risk.models import RiskAssessment
from heard.sim.live.background import BackgroundMix, pool_from_database
from heard.sim.live.backstory import build_history, reference_prefix
from heard.sim.live.library import bundled_names, load_named
from heard.sim.live.plan import stream
from heard.sim.live.runner import NO_TELEMETRY, Runner
from heard.sim.live.stats import ACCEPTED
from heard.sim.live.timeline import Kind

FORCE = "NMP"


def has_route(app, method: str, path: str) -> bool:
    """Whether the app serves it, as its OpenAPI document says."""
    return method in app.openapi()["paths"].get(path, {})


def has_transcript_route(app) -> bool:
    return has_route(app, "post", "/api/v1/calls/{call_id}/transcript")


def has_telemetry_route(app) -> bool:
    return has_route(app, "post", "/api/v1/telemetry")


def play(client, world, db, names, **options):
    scenarios = load_named(names)
    with db.transaction() as session:
        for scenario in scenarios:
            build_history(session, force_id=world.forces[FORCE], scenario=scenario, now=utcnow())
    api = world.token_client(client, FORCE)
    runner = Runner(api, speed=0)
    return runner.play(stream(scenarios, run_tag="T", **options))


def call_id(db, source_ref):
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(Call.id).where(Call.source_ref == source_ref))


@pytest.mark.parametrize("name", bundled_names())
def test_every_scenario_plays_through_the_api_without_error(client, world, db, app, name):
    (scenario,) = load_named([name])
    stats = play(client, world, db, [name])

    steps = dict.fromkeys(Kind, 0)
    for step in scenario.timeline:
        kind = next(k for k in Kind if hasattr(step, k.value))
        steps[kind] += len(step.lines) if kind is Kind.TRANSCRIPT else 1
    for kind in (Kind.CALL, Kind.UPDATE, Kind.CLOSE):
        assert stats.count(kind) == steps[kind], stats.examples
    if has_transcript_route(app):
        assert stats.count(Kind.TRANSCRIPT) == steps[Kind.TRANSCRIPT], stats.examples
    else:  # until the transcript endpoint lands, each segment is a counted refusal, not a crash
        assert stats.count(Kind.TRANSCRIPT, "refused 404") == steps[Kind.TRANSCRIPT]
    if steps[Kind.TELEMETRY]:
        outcome = ACCEPTED if has_telemetry_route(app) else NO_TELEMETRY
        assert stats.count(Kind.TELEMETRY, outcome) == steps[Kind.TELEMETRY]
    assert stats.scenarios_started[name] == 1


def test_repeat_calls_are_linked_to_the_history_the_builder_wrote(client, world, db):
    play(client, world, db, ["repeat-calls-ex-partner-following"])

    third = call_id(db, "T-001-third")
    api = world.token_client(client, FORCE)
    context = api.get(f"/api/v1/calls/{third}/context").json()
    victim = next(s for s in context["subjects"] if "victim" in s["roles_on_call"])
    assert victim["incidents_total"] >= 10
    assert victim["calls_24h"] >= 3
    assert any(g["lowered"] and g["earlier_grade"] == "high" for g in victim["risk_grades"])
    assert [o["order_type"] for o in victim["orders"]] == ["non_molestation"]


def test_history_is_written_once_per_force_however_often_it_is_built(world, db):
    (scenario,) = load_named(["repeat-calls-ex-partner-following"])
    force_id = world.forces[FORCE]
    with db.transaction() as session:
        first = build_history(session, force_id=force_id, scenario=scenario, now=utcnow())
    with db.transaction() as session:
        again = build_history(session, force_id=force_id, scenario=scenario, now=utcnow())

    assert first.incidents == 10 and first.orders == 1 and not first.already_present
    assert again.already_present and again.incidents == 0
    prefix = reference_prefix(scenario.name)
    with db.unit_of_work() as uow:
        s = uow.session
        assert s.scalar(select(func.count()).where(Incident.reference.startswith(prefix))) == 10
        lowered = s.scalars(select(RiskAssessment).where(RiskAssessment.grade_lowered)).all()
        assert [(r.earlier_grade, r.grade) for r in lowered] == [("high", "medium")]
        order = s.scalars(select(Order)).one()
        assert order.status is OrderStatus.ACTIVE and order.expires_at > utcnow()


def test_background_callers_are_drawn_from_the_forces_person_records(client, world, db):
    force_id = world.forces[FORCE]
    (scenario,) = load_named(["silent-55-known-number"])
    with db.transaction() as session:
        build_history(session, force_id=force_id, scenario=scenario, now=utcnow())
    with db.unit_of_work() as uow:
        pool = pool_from_database(uow.session, force_id=force_id, size=20, seed=3)
        known = {r.family_name for r in uow.session.scalars(select(PersonRecord))}
    assert pool and {p.family_name for p in pool} <= known

    mix = BackgroundMix(pool, seed=3, rate_per_hour=360, run_tag="BG", today=utcnow().date())
    actions = list(stream([scenario], run_tag="BG", background=mix))
    result = Runner(world.token_client(client, FORCE), speed=0).play(actions)
    background_calls = [a for a in actions if a.kind is Kind.CALL and a.label == "background"]
    assert background_calls, "at 360 calls an hour some background calls fall inside the scenario"
    assert result.background_calls == len(background_calls)
    assert result.count(Kind.CALL) == len(background_calls) + 1
    assert result.count(Kind.CLOSE) == result.count(Kind.CALL)


@pytest.mark.parametrize(
    ("name", "call", "at_least"),
    [
        ("neighbour-hears-screaming", "T-001-neighbour", 3),
        ("silent-55-known-number", "T-001-silent", 2),
    ],
)
def test_a_call_about_an_address_with_history_shows_that_history(
    client, world, db, name, call, at_least
):
    play(client, world, db, [name])

    api = world.token_client(client, FORCE)
    context = api.get(f"/api/v1/calls/{call_id(db, call)}/context").json()
    assert context["location"]["da_incidents_12m"] >= at_least


def test_the_stalking_scenarios_tag_entering_the_exclusion_zone_raises_a_breach(
    client, world, db, app
):
    play(client, world, db, ["stalking-order-breach"])
    deadline = time.monotonic() + 30
    while True:  # as the monitor's thread would; a loaded machine may need a few passes
        app.state.live_monitor.run_once()
        with db.unit_of_work() as uow:
            breaches = uow.session.scalars(select(Breach)).all()
        if breaches or time.monotonic() > deadline:
            break
    with db.unit_of_work() as uow:
        breaches = uow.session.scalars(select(Breach)).all()
        assert [(b.kind.value, b.device_id, b.confidence) for b in breaches] == [
            ("zone_entry", "SIM-TAG-2041", "confirmed")
        ]
