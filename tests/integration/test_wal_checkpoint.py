"""SQLite's WAL checkpoints run in the background thread, never inside a commit."""

from sqlalchemy import text

from heard.db.checkpoint import Checkpointer
from heard.db.engine import make_engine


def write_rows(engine, n):
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS t (x INTEGER, pad TEXT)"))
        connection.execute(
            text("INSERT INTO t VALUES (:x, :pad)"), [{"x": i, "pad": "p" * 500} for i in range(n)]
        )


PAGE = 4096


def test_a_commit_never_copies_the_log_back_when_a_checkpointer_runs(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    checkpointer = Checkpointer(engine)  # not started: the log only grows
    write_rows(engine, 20_000)  # ~2,500 pages, past SQLite's 1,000-page automatic checkpoint
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    assert (tmp_path / "wal.db-wal").stat().st_size > 2_000 * PAGE
    busy, in_log, copied = checkpointer.checkpoint()
    assert busy == 0 and in_log > 2_000 and copied == in_log
    engine.dispose()


def test_the_checkpointer_copies_the_log_and_the_data_stays_readable(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    checkpointer = Checkpointer(engine, every_seconds=0.05)
    write_rows(engine, 5_000)
    busy, in_log, copied = checkpointer.checkpoint()
    assert busy == 0 and in_log > 0 and copied == in_log
    checkpointer.start()
    write_rows(engine, 5_000)
    checkpointer.stop()  # stopping copies what is left
    assert checkpointer.checkpoints >= 2
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 10_000
    _, in_log, copied = checkpointer.checkpoint()
    assert copied == in_log  # nothing was left to copy
    engine.dispose()


def test_without_a_checkpointer_sqlite_still_checkpoints_on_commit(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    engine.dispose()


def test_on_postgresql_the_checkpointer_does_nothing(pg_db):
    checkpointer = Checkpointer(pg_db.engine)
    assert not checkpointer.active
    checkpointer.start()
    checkpointer.stop()
    assert checkpointer.checkpoints == 0
