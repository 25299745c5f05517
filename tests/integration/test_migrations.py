from sqlalchemy import create_engine, inspect

from heard.db import migrate

EXPECTED_TABLES = {"forces", "users", "user_sessions", "api_tokens", "jobs", "audit_log"}


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_is_idempotent_and_matches_the_models(database_url):
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)
    migrate.check(database_url)  # raises if autogenerate would produce a diff
    assert tables(database_url) >= EXPECTED_TABLES


def test_migrations_go_down_to_an_empty_database_and_up_again(database_url):
    migrate.downgrade(database_url, "base")
    assert tables(database_url) <= {"alembic_version"}
    migrate.upgrade(database_url)
    assert tables(database_url) >= EXPECTED_TABLES
    migrate.check(database_url)


def test_migration_files_are_date_prefixed():
    names = [p.name for p in (migrate.MIGRATIONS_DIR / "versions").glob("*.py")]
    assert names
    assert all(n[:8].isdigit() and n[8] == "_" for n in names), names


def test_the_migration_history_is_one_line_with_one_head():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}; rebase yours"


def test_upgrading_a_database_that_holds_records_keeps_them(database_url):
    """SQLite's batch ALTER rebuilds tables; rows pointing at them must survive the rebuild."""
    from sqlalchemy import text

    migrate.downgrade(database_url, "base")
    migrate.upgrade(database_url, "4b3a40d44528")
    engine = create_engine(database_url)
    at = "2026-01-01 00:00:00+00:00"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO forces (id, code, name, settings, created_at, updated_at, "
                f"version) VALUES (1, 'MIG', 'Migration', '{{}}', '{at}', '{at}', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO person_records (id, force_id, recorded_at, name_raw, sex) "
                f"VALUES (1, 1, '{at}', 'A Person', 'female'), "
                f"(2, 1, '{at}', 'B Person', 'male')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO orders (id, force_id, version, order_type, status, "
                "subject_record_id, issued_by, made_at, conditions) VALUES "
                f"(1, 1, 1, 'non_molestation', 'active', 2, 'Family Court', '{at}', "
                "'{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO order_protected_persons (id, force_id, order_id, "
                "person_record_id) VALUES (1, 1, 1, 1)"
            )
        )
    engine.dispose()
    migrate.upgrade(database_url)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM orders")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM order_protected_persons")).scalar_one() == 1
    engine.dispose()
