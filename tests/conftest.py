"""Fixtures: every storage test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from heard.app import build_runtime, create_app
from heard.db.uow import Database
from heard.runtime import Runtime
from heard.settings import Environment, Settings, load_settings
from tests.support import databases
from tests.support.world import World, build_world

os.environ.setdefault("HEARD_LOG_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def pg_migrated_url() -> Iterator[str]:
    url = databases.create_pg_database("heard_test")
    try:
        from heard.db import migrate

        migrate.upgrade(url)
        yield url
    finally:
        databases.drop_pg_database(url)


@pytest.fixture(params=databases.backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        return databases.sqlite_copy(sqlite_template, tmp_path)
    url: str = request.getfixturevalue("pg_migrated_url")
    databases.truncate_pg(url)
    return url


def test_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": Environment.TEST,
        "database_url": database_url,
        "run_worker_in_process": False,
        "session_cookie_secure": False,
        "log_json": False,
        "log_level": "WARNING",
        "login_max_failures": 3,
    }
    values.update(overrides)
    return load_settings(**values)


test_settings.__test__ = False  # type: ignore[attr-defined]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return test_settings(database_url)


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    built = build_runtime(settings)
    yield built
    built.db.dispose()


@pytest.fixture
def db(runtime: Runtime) -> Database:
    return runtime.db


@pytest.fixture
def app(settings: Settings, runtime: Runtime) -> FastAPI:
    return create_app(settings, runtime=runtime)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def world(db: Database) -> World:
    return build_world(db)


@pytest.fixture
def pg_db(pg_migrated_url: str) -> Iterator[Database]:
    """For behaviour only PostgreSQL has (overlapping writers, roles); SQLite serialises writers."""
    databases.truncate_pg(pg_migrated_url)
    built = build_runtime(test_settings(pg_migrated_url))
    yield built.db
    built.db.dispose()
