"""The sweep over a force's records, on both databases: findings stored once, decisions kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from typer.testing import CliRunner

from heard.audit.models import AuditEntry
from heard.audit.service import system_actor
from heard.auth.models import Force
from heard.cli import app as cli_app
from heard.review.findings import service
from heard.review.findings.loader import iter_cases, load_force
from heard.review.findings.models import FindingStatus, MissedOpportunity
from heard.review.findings.sweep import sweep_force
from heard.review.rules import CaseHistory
from tests.support import review_rules_setup as setup

AS_OF = setup.T0 + timedelta(days=90)


def sweep(db, world, force="WMP"):
    with db.transaction() as session:
        target = session.get_one(Force, world.forces[force])
        return sweep_force(session, force=target, as_of=AS_OF, actor=system_actor(target.id))


def stored(db, world, force="WMP"):
    with db.transaction() as session:
        query = select(MissedOpportunity).where(MissedOpportunity.force_id == world.forces[force])
        return list(session.scalars(query.order_by(MissedOpportunity.id)))


def test_three_calls_without_arrest_become_one_stored_finding_pointing_at_the_rows(db, world):
    made = setup.repeat_calls(db, world)
    report = sweep(db, world)
    [finding] = stored(db, world)
    assert finding.rule == "repeat-da-no-positive-action"
    assert finding.status is FindingStatus.OPEN
    calls = [f"call:{c}" for c in made["call_ids"]]
    assert [e for e in finding.evidence if e.startswith("call:")] == calls
    assert finding.about == [
        f"subject:{made['victim_subject_id']}",
        f"subject:{made['suspect_subject_id']}",
    ]
    assert report.by_rule == {"repeat-da-no-positive-action": 1} and report.new == 1


def test_sweeping_again_finds_the_same_row_and_keeps_the_reviewers_decision(db, world):
    setup.repeat_calls(db, world)
    sweep(db, world)
    [first] = stored(db, world)
    with db.transaction() as session:
        row = session.get_one(MissedOpportunity, first.id)
        service.dismiss(
            session,
            finding=row,
            reason="arrest made by another force",
            actor=system_actor(row.force_id),
        )
    again = sweep(db, world)
    [after] = stored(db, world)
    assert after.id == first.id and after.status is FindingStatus.DISMISSED
    assert again.new == 0 and again.seen_again == 1


def test_an_arrest_is_positive_action_and_nothing_is_found(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        victim = setup.person(session, force_id, "Sara Nowak")
        suspect = setup.person(session, force_id, "Tom Reid")
        for k in range(3):
            setup.da_incident(
                session, force_id, setup.T0 + timedelta(days=k), victim, suspect, arrest=k == 1
            )
    assert sweep(db, world).by_rule == {}


def test_high_risk_without_marac_is_found_and_a_referral_answers_it(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        alone = setup.person(session, force_id, "Ines Costa")
        referred = setup.person(session, force_id, "Maya Lind")
        setup.high_risk(session, force_id, alone, setup.T0)
        setup.high_risk(session, force_id, referred, setup.T0)
        setup.marac(session, force_id, referred, setup.T0 + timedelta(hours=3))
    sweep(db, world)
    [finding] = stored(db, world)
    assert finding.rule == "high-risk-no-marac"
    assert finding.about == [f"subject:{alone.subject_id}"]


def test_a_suspect_with_two_victims_is_found_across_both_of_them(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        suspect = setup.person(session, force_id, "Ray Dunn")
        first = setup.person(session, force_id, "Jo Park")
        second = setup.person(session, force_id, "Lee Shaw")
        setup.da_incident(session, force_id, setup.T0, first, suspect, arrest=True)
        setup.da_incident(
            session, force_id, setup.T0 + timedelta(days=30), second, suspect, arrest=True
        )
    sweep(db, world)
    [finding] = stored(db, world)
    assert finding.rule == "serial-perpetrator-not-flagged"
    assert finding.about[0] == f"subject:{suspect.subject_id}"


def test_the_sweep_is_audited_with_its_counts_and_stays_inside_its_force(db, world):
    setup.repeat_calls(db, world, force="NMP")
    sweep(db, world, force="WMP")
    assert stored(db, world, "WMP") == []
    sweep(db, world, force="NMP")
    assert len(stored(db, world, "NMP")) == 1
    with db.transaction() as session:
        entries = list(
            session.scalars(select(AuditEntry).where(AuditEntry.action == "review.sweep"))
        )
    assert {e.force_id for e in entries} == set(world.forces.values())
    nmp = next(e for e in entries if e.force_id == world.forces["NMP"])
    assert nmp.details["by_rule"] == {"repeat-da-no-positive-action": 1}


def test_every_group_loads_as_a_valid_case_history(db, world):
    setup.repeat_calls(db, world)
    setup.repeat_calls(db, world)
    with db.unit_of_work() as uow:
        records = load_force(uow.session, force_id=world.forces["WMP"])
    cases = [
        CaseHistory.model_validate(doc) for _, doc in iter_cases(records, force="WMP", as_of=AS_OF)
    ]
    assert len(cases) == 2
    assert all(len(c.incidents) == 3 and len(c.calls) == 3 for c in cases)


def test_a_forces_own_thresholds_come_from_its_settings(db, world):
    setup.repeat_calls(db, world)
    with db.transaction() as session:
        force = session.get_one(Force, world.forces["WMP"])
        force.settings = {
            **(force.settings or {}),
            "missed_opportunities": {"repeat-da-no-positive-action": {"min_calls": 4}},
        }
    assert sweep(db, world).by_rule == {}


def test_unreadable_settings_fall_back_to_the_defaults(db, world):
    setup.repeat_calls(db, world)
    with db.transaction() as session:
        force = session.get_one(Force, world.forces["WMP"])
        force.settings = {"missed_opportunities": {"no-such-rule": {}}}
    assert sweep(db, world).by_rule == {"repeat-da-no-positive-action": 1}


def test_heard_review_sweep_runs_from_the_command_line(db, world, database_url, monkeypatch):
    setup.repeat_calls(db, world)
    monkeypatch.setenv("HEARD_DATABASE_URL", database_url)
    monkeypatch.setenv("HEARD_ENVIRONMENT", "test")
    result = CliRunner().invoke(
        cli_app,
        ["review", "sweep", "--force", "wmp", "--as-of", AS_OF.strftime("%Y-%m-%dT%H:%M:%S")],
    )
    assert result.exit_code == 0, result.output
    assert "repeat-da-no-positive-action" in result.stdout
    assert len(stored(db, world)) == 1


def test_the_sweep_command_refuses_an_unknown_force(db, world, database_url, monkeypatch):
    monkeypatch.setenv("HEARD_DATABASE_URL", database_url)
    monkeypatch.setenv("HEARD_ENVIRONMENT", "test")
    result = CliRunner().invoke(cli_app, ["review", "sweep", "--force", "XXX"])
    assert result.exit_code == 2 and "no force" in result.stderr


def test_a_call_back_on_a_call_showing_a_threat_to_kill_is_found_from_the_signals_tables(db, world):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        victim = setup.person(session, force_id, "Nadia Shah")
        suspect = setup.person(session, force_id, "Mark Hill")
        incident, call = setup.da_incident(
            session, force_id, setup.T0, victim, suspect, arrest=True
        )
        sign = setup.warning_sign(session, force_id, call, setup.T0 + timedelta(minutes=2))
        change = setup.call_back(session, force_id, call, setup.T0 + timedelta(minutes=6))
    sweep(db, world)
    rules = {f.rule: f for f in stored(db, world)}
    assert rules["call-back-with-risk-signals"].evidence == [
        f"call:{call.id}",
        f"grade:{change.id}",
        f"sign:{sign.id}",
        f"incident:{incident.id}",
    ]
    # The incident was closed three hours later with the sign never acknowledged.
    assert rules["closed-with-open-signal"].evidence == [
        f"incident:{incident.id}",
        f"sign:{sign.id}",
    ]


def test_an_unattended_breach_and_an_overdue_notification_are_found_from_the_orders_tables(
    db, world
):
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        victim = setup.person(session, force_id, "Erin Boyd")
        suspect = setup.person(session, force_id, "Carl Moss")
        order = setup.dapo(session, force_id, suspect, victim)
        duty = setup.overdue_duty(session, force_id, order)
        breach = setup.unattended_breach(session, force_id, order, setup.T0 + timedelta(days=10))
    sweep(db, world)
    rules = {f.rule: f for f in stored(db, world)}
    assert rules["order-duty-overdue"].evidence == [f"duty:{duty.id}", f"order:{order.id}"]
    assert rules["breach-no-response"].evidence == [f"breach:{breach.id}", f"order:{order.id}"]
    assert rules["breach-no-response"].about == [
        f"subject:{suspect.subject_id}",
        f"subject:{victim.subject_id}",
    ]


def test_rerunning_the_rules_for_some_people_reads_their_groups_only_and_finds_what_a_sweep_finds(
    db, world
):
    from heard.review.findings.chronology import group_scope
    from heard.sim.generate import Params, generate

    force_id = world.forces["NMP"]
    generate(db.engine, force_id=force_id, params=Params(people=600, seed=5), workers=1)
    with db.transaction() as session:
        force = session.get_one(Force, force_id)
        whole = load_force(session, force_id=force_id)
        cases = list(iter_cases(whole, force=force.code, as_of=AS_OF))
        chosen = [case for case in cases if len(case[0]) > 2][:15]
        assert len(chosen) >= 5, "the generated force has groups of three or more people"
        for members, _case in chosen:
            people = {members[0]}
            scope = group_scope(session, force_id=force_id, people=people)
            assert scope is not None and len(scope.records) < len(whole.keys)
            part = load_force(session, force_id=force_id, scope=scope)
            [(scoped_members, scoped_case)] = [
                c for c in iter_cases(part, force=force.code, as_of=AS_OF) if people & set(c[0])
            ]
            assert sorted(scoped_members) == sorted(members)
            assert scoped_case == _case
