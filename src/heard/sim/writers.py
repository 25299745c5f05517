"""Bulk writers: raw executemany on SQLite, COPY on PostgreSQL, one transaction per batch.

The ORM would spend most of its time building objects the generator never reads again; the raw
driver paths write the same rows an order of magnitude faster, and one transaction per batch keeps
memory and the SQLite write-ahead log bounded.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Engine, text

from heard.sim.rows import (
    ID_TABLES,
    POSTGRES_CODEC_SUFFIX,
    SQLITE_CODEC_SUFFIX,
    TABLES,
    Batch,
    shift_rows,
    shifted_columns,
)

# Index pages stay in memory while millions of rows go in; this bounds the cache, not the data.
SQLITE_CACHE_KIB = 262_144


class Writer(Protocol):
    codec_suffix: str

    def write(self, batch: Batch, offsets: dict[str, int]) -> None: ...

    def close(self) -> None: ...


def last_ids(engine: Engine) -> dict[str, int]:
    """The highest id per table, so a second generation into the same database appends."""
    # Table names below come from rows.TABLES, never from input.
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one())  # noqa: S608
            for t in ID_TABLES
        }


def open_writer(engine: Engine) -> Writer:
    if engine.dialect.name == "sqlite":
        return SqliteWriter(engine)
    return PostgresWriter(engine)


class SqliteWriter:
    codec_suffix = SQLITE_CODEC_SUFFIX

    def __init__(self, engine: Engine) -> None:
        self._fairy = engine.raw_connection()
        db: Any = self._fairy.driver_connection
        self._db: Any = db
        self._cursor = self._db.cursor()
        # Rows are consistent by construction (tests run PRAGMA foreign_key_check); checking
        # every parent during the load would double its cost.
        self._db.execute("PRAGMA foreign_keys=OFF")
        self._db.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")

    def write(self, batch: Batch, offsets: dict[str, int]) -> None:
        cursor = self._cursor
        cursor.execute("BEGIN IMMEDIATE")
        try:
            for table, rows in batch.rows.items():
                if rows:
                    cursor.executemany(_insert_with_offsets(table, offsets), rows)
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self._cursor.close()
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA cache_size=-2000")
        self._fairy.close()


def _insert_with_offsets(table: str, offsets: dict[str, int]) -> str:
    """SQLite adds the chunk's id offsets itself (NULL stays NULL): no rows rebuilt in Python."""
    shifts = shifted_columns(table, offsets)
    columns = TABLES[table]
    values = ", ".join(f"?+{shifts[i]}" if shifts.get(i) else "?" for i in range(len(columns)))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"  # noqa: S608


class PostgresWriter:
    codec_suffix = POSTGRES_CODEC_SUFFIX

    def __init__(self, engine: Engine) -> None:
        self._fairy = engine.raw_connection()
        db: Any = self._fairy.driver_connection
        self._db: Any = db
        self._copy = {
            table: f"COPY {table} ({', '.join(cols)}) FROM STDIN" for table, cols in TABLES.items()
        }

    def write(self, batch: Batch, offsets: dict[str, int]) -> None:
        try:
            with self._db.cursor() as cursor:
                for table, rows in batch.rows.items():
                    if not rows:
                        continue
                    with cursor.copy(self._copy[table]) as copy:
                        for row in shift_rows(rows, shifted_columns(table, offsets)):
                            copy.write_row(row)
            self._db.commit()
        except BaseException:
            self._db.rollback()
            raise

    def close(self) -> None:
        # Ids were assigned here, so move each sequence past them for the application's inserts.
        with self._db.cursor() as cursor:
            for table in ID_TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"greatest((SELECT max(id) FROM {table}), 1))"
                )
        self._db.commit()
        self._fairy.close()
