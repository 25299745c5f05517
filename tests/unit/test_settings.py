from pathlib import Path

import pytest

from heard.settings import Environment, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("HEARD_"):
            monkeypatch.delenv(key)


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(SettingsError, match="HEARD_SECRET_KEY"):
        load_settings()


def test_production_refuses_debug_mode():
    with pytest.raises(SettingsError, match="HEARD_DEBUG"):
        load_settings(secret_key="x" * 40, debug=True)


def test_a_short_secret_key_is_refused_with_the_minimum_length():
    with pytest.raises(SettingsError, match="at least 32 characters"):
        load_settings(secret_key="short")


def test_demo_mode_gets_a_demo_secret_that_production_rejects():
    demo = load_settings(environment=Environment.DEMO)
    assert demo.secret()
    with pytest.raises(SettingsError, match="demo secret"):
        load_settings(secret_key=demo.secret())


def test_secrets_can_be_read_from_files(monkeypatch, tmp_path: Path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("s" * 48 + "\n")
    monkeypatch.setenv("HEARD_SECRET_KEY_FILE", str(secret_file))
    assert load_settings().secret() == "s" * 48


def test_an_unreadable_secret_file_is_named_in_the_error(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("HEARD_SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings()


def test_environment_variables_use_the_heard_prefix(monkeypatch):
    monkeypatch.setenv("HEARD_ENVIRONMENT", "test")
    monkeypatch.setenv("HEARD_PORT", "9123")
    assert load_settings().port == 9123


def test_a_bad_number_is_reported_with_its_variable_name(monkeypatch):
    monkeypatch.setenv("HEARD_ENVIRONMENT", "test")
    monkeypatch.setenv("HEARD_PORT", "eighty")
    with pytest.raises(SettingsError, match="HEARD_PORT"):
        load_settings()


def test_unknown_databases_are_refused():
    with pytest.raises(SettingsError, match="SQLite and PostgreSQL only"):
        load_settings(environment=Environment.TEST, database_url="mysql://root@localhost/x")


def test_plain_postgresql_urls_use_the_psycopg3_driver():
    settings = load_settings(
        environment=Environment.TEST, database_url="postgresql://u@127.0.0.1/heard"
    )
    assert settings.database_url.startswith("postgresql+psycopg://")


def test_unknown_settings_are_refused_rather_than_ignored():
    with pytest.raises(SettingsError, match="HEARD_COLOUR"):
        load_settings(environment=Environment.TEST, colour="blue")


def test_production_defaults_are_safe():
    settings = load_settings(secret_key="k" * 40)
    assert settings.debug is False
    assert settings.session_cookie_secure is True
    assert settings.environment is Environment.PRODUCTION
