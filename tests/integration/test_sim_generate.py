"""The synthetic force generator on SQLite and PostgreSQL: determinism, calibration, integrity."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from heard.auth import service
from heard.db import migrate
from heard.db.engine import make_engine
from heard.db.uow import Database
from heard.events import InProcessBus
from heard.people import normalise
from heard.people.models import Subject
from heard.sim.calibration import RATES
from heard.sim.digest import database_digest
from heard.sim.generate import ForceNotEmpty, Params, generate
from heard.sim.measure import measure
from heard.sim.rows import REFERENCES, TABLES

AS_OF = datetime(2026, 11, 30, tzinfo=UTC)


def generated(url: str, people: int, seed: int, workers: int = 1) -> tuple[Engine, int]:
    engine = make_engine(url)
    with Database(engine, InProcessBus()).transaction() as session:
        force_id = service.create_force(session, code="SIM", name="Synthetic").id
    generate(engine, force_id=force_id, params=Params(people=people, seed=seed), workers=workers)
    return engine, force_id


def digest_of(engine: Engine) -> str:
    with engine.connect() as conn:
        return database_digest(conn)


def test_the_same_seed_gives_identical_data_on_either_database_and_in_parallel(
    database_url, tmp_path: Path
):
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    migrate.upgrade(reference_url)
    reference, _ = generated(reference_url, people=2_000, seed=11, workers=1)
    expected = digest_of(reference)
    reference.dispose()

    engine, _ = generated(database_url, people=2_000, seed=11, workers=2)
    assert digest_of(engine) == expected
    engine.dispose()


def test_a_different_seed_gives_different_people(database_url, tmp_path: Path):
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    migrate.upgrade(other_url)
    other, _ = generated(other_url, people=500, seed=12)
    engine, _ = generated(database_url, people=500, seed=11)
    assert digest_of(engine) != digest_of(other)
    other.dispose()
    engine.dispose()


def test_the_generated_force_is_calibrated_to_the_published_figures(database_url):
    engine, force_id = generated(database_url, people=3_000, seed=5)
    with engine.connect() as conn:
        m = measure(conn, force_id=force_id, years=10, as_of=AS_OF)
    engine.dispose()
    # Ranges allow for the sampling noise of a 3,000-person force; docs/synthetic-data.md has the
    # figures at 1,000,000 people.
    assert 1.7 <= m.incidents / m.people <= 2.3
    assert 0.08 <= m.da_share <= 0.15  # most incidents are not domestic abuse
    assert abs(m.da_per_1000_people_year - RATES.da_per_1000_people_year) <= 3.0
    assert 0.52 <= m.da_crime_share <= 0.69  # ONS: 60.5%
    assert 36.6 <= m.arrests_per_100_da_crimes <= 52.6  # ONS: 44.6
    assert 30 <= 100 * m.victims_with_repeat_in_12_months <= 55  # documented modelling range
    assert 0.14 <= m.reported_episode_share <= 0.24  # about 1 in 5 reach the police
    assert 0.05 <= m.high_risk_share <= 0.17
    assert m.male_marac_share < m.male_victim_share


def test_every_reference_between_generated_rows_points_at_a_row(database_url):
    engine, _ = generated(database_url, people=1_000, seed=3)
    with engine.connect() as conn:
        for table, refs in REFERENCES.items():
            for column, target in refs.items():
                if column == TABLES[table][0] and target == table:
                    continue
                orphans = conn.execute(
                    text(
                        f"SELECT count(*) FROM {table} t LEFT JOIN {target} p ON p.id = t.{column} "
                        f"WHERE t.{column} IS NOT NULL AND p.id IS NULL"
                    )
                ).scalar_one()
                assert orphans == 0, f"{table}.{column} -> {target}"
    engine.dispose()


def test_every_recorded_appearance_has_exactly_one_true_person_and_many_are_noisy(database_url):
    engine, _ = generated(database_url, people=1_000, seed=4)
    with engine.connect() as conn:
        records = conn.execute(text("SELECT count(*) FROM person_records")).scalar_one()
        truths = conn.execute(text("SELECT count(DISTINCT person_record_id) FROM sim_record_truth"))
        noisy = conn.execute(text("SELECT count(*) FROM sim_record_truth WHERE noise <> ''"))
        assert truths.scalar_one() == records
        assert 0.25 < noisy.scalar_one() / records < 0.8
        phones = conn.execute(text("SELECT phone_raw, phone_e164 FROM person_records")).all()
        assert all(normalise.phone_e164(raw) == e164 for raw, e164 in phones)
    engine.dispose()


def test_the_forces_own_linking_is_imperfect_so_the_linker_has_work_to_do(database_url):
    engine, _ = generated(database_url, people=1_000, seed=4)
    with engine.connect() as conn:
        unlinked = conn.execute(
            text("SELECT count(*) FROM person_records WHERE subject_id IS NULL")
        ).scalar_one()
        split = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT t.sim_person_id FROM sim_record_truth t "
                "JOIN person_records r ON r.id = t.person_record_id WHERE r.subject_id IS NOT NULL "
                "GROUP BY t.sim_person_id HAVING count(DISTINCT r.subject_id) > 1) s"
            )
        ).scalar_one()
    engine.dispose()
    assert unlinked > 0 and split > 0


def test_protection_notices_follow_the_dapo_pilot_start_date(database_url):
    engine, _ = generated(database_url, people=3_000, seed=8)
    pilot = datetime(2025, 3, 5, tzinfo=UTC)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT order_type, made_at FROM orders")).all()
    engine.dispose()
    kinds = {kind for kind, _ in rows}
    assert {"dvpn", "bail_conditions"} <= kinds
    for kind, made in rows:
        made_at = made if isinstance(made, datetime) else datetime.fromisoformat(str(made))
        made_at = made_at.replace(tzinfo=UTC) if made_at.tzinfo is None else made_at
        if kind in ("dapn", "dapo"):
            assert made_at >= pilot
        if kind == "dvpn":
            assert made_at < pilot


def test_the_application_can_add_records_after_generation(database_url):
    engine, force_id = generated(database_url, people=300, seed=2)
    database = Database(engine, InProcessBus())
    with database.transaction() as session:
        subject = Subject(
            force_id=force_id,
            given_name="Test",
            family_name="Person",
            date_of_birth=None,
            created_at=AS_OF,
        )
        session.add(subject)
        session.flush()
        highest = session.execute(text("SELECT max(id) FROM subjects")).scalar_one()
        assert subject.id == highest
    engine.dispose()


def test_a_force_is_generated_once(database_url):
    engine, force_id = generated(database_url, people=200, seed=2)
    with pytest.raises(ForceNotEmpty):
        generate(engine, force_id=force_id, params=Params(people=200, seed=3))
    engine.dispose()


def test_the_command_creates_the_force_and_reports_what_it_wrote(database_url, monkeypatch):
    from typer.testing import CliRunner

    from heard.cli import app

    monkeypatch.setenv("HEARD_ENVIRONMENT", "test")
    monkeypatch.setenv("HEARD_DATABASE_URL", database_url)
    args = ["sim", "generate", "--people", "300", "--seed", "1", "--force", "tst", "--workers", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Force TST" in result.output and "person_records" in result.output
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1
    assert "already has records" in again.output
