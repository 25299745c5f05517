"""Engines for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

# Execution option for a connection that only reads: SQLite then begins without the write lock.
READ_ONLY_OPTION = "heard_read_only"

# Prepared statements a connection keeps (see the drivers' settings below).
PREPARED_STATEMENTS = 1024
# SQLite reads the database file through a memory map of up to this size instead of a read()
# call per page: a 999 call's history is scattered point reads, ten times faster mapped on a
# million-people store (docs/benchmarks.md). Address space, not memory: the pages are the
# operating system's file cache, shared by every connection and process. SQLite caps it at its
# build's limit (2 GiB for the SQLite in Python 3.11's Debian build); pages past it are read().
SQLITE_MMAP_BYTES = 16 * 1024**3


def make_engine(
    database_url: str, *, echo: bool = False, sqlite_foreign_keys: bool = True
) -> Engine:
    """`sqlite_foreign_keys=False` is for migrations only: SQLite's batch ALTER copies and drops
    tables, which foreign keys would refuse; the migration checks integrity afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(database_url, echo=echo, foreign_keys=sqlite_foreign_keys)
    engine = create_engine(
        database_url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10
    )
    if url.get_backend_name() == "postgresql" and url.get_driver_name() == "psycopg":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # psycopg prepares a statement run five times and keeps 100; intake alone runs more
            # distinct statements than that (each IN-list length is its own).
            dbapi_conn.prepared_max = PREPARED_STATEMENTS

    return engine


def _sqlite_engine(database_url: str, *, echo: bool, foreign_keys: bool) -> Engine:
    url = make_url(database_url)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        database_url,
        echo=echo,
        # The driver keeps 128 prepared statements by default; intake alone runs more distinct
        # ones than that (an IN list of each length is its own), so it kept preparing them again.
        connect_args={
            "timeout": 30,
            "check_same_thread": False,
            "cached_statements": PREPARED_STATEMENTS,
        },
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two use cases never deadlock upgrading
        # read locks, and an audit chain head read is never stale when its row is appended.
        # A long read that writes nothing (warming the linking index) must not hold that lock.
        read_only = conn.get_execution_options().get(READ_ONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

    return engine


def refresh_planner_statistics(engine: Engine, *, after_bulk_load: bool = False) -> None:
    """Give the query planner statistics that describe the data. SQLite keeps none unless asked:
    without them it may pick the force index over a person's own for a context query. PostgreSQL's
    autovacuum keeps its own, except just after a bulk load. Sampled, so seconds at most."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=2000")
            conn.exec_driver_sql("ANALYZE" if after_bulk_load else "PRAGMA optimize=0x10002")
        elif after_bulk_load:
            conn.exec_driver_sql("ANALYZE")
        conn.commit()
