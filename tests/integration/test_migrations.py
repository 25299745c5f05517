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
