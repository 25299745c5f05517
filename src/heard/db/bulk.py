"""Inserting many rows of one model with one statement per batch, getting the rows back in order."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, TypeVar, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from heard.db.base import Base

T = TypeVar("T", bound=Base)
_BY_ID = attrgetter("id")
# Rows per INSERT on PostgreSQL. psycopg parses each statement's placeholders in time that grows
# faster than its length, so SQLAlchemy's default page of 1,000 rows cost more client CPU than
# the round trips that smaller pages add (docs/benchmarks.md, "Through the API").
PG_PAGE_ROWS = 100


def insert_returning(session: Session, model: type[T], rows: Sequence[dict[str, Any]]) -> list[T]:
    """INSERT ... RETURNING the new objects, in the order of `rows`. The model has an `id`.

    PostgreSQL: SQLAlchemy's ordered form (one statement per batch, sorted on a sentinel).
    SQLite promises no RETURNING order, and asking SQLAlchemy for one makes it insert a row at a
    time; but a write transaction there holds the only write lock and each new row's id is one
    more than the largest, so sorting by id gives the order the rows were given in.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return sorted(session.scalars(insert(model).returning(model), rows), key=_BY_ID)
    statement = insert(model).returning(model, sort_by_parameter_order=True)
    statement = statement.execution_options(insertmanyvalues_page_size=PG_PAGE_ROWS)
    return list(session.scalars(statement, rows))


def insert_ids(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> list[int]:
    """INSERT ... RETURNING id, in the order of `rows`, for rows nobody needs back as objects.

    Through Core on the session's connection: one statement per batch even when rows leave
    different columns empty (the ORM's bulk insert splits those into a statement each), and
    no ORM events. Every row must name the same columns. Order as in `insert_returning`.
    """
    if not rows:
        return []
    table = cast(Table, model.__table__)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return sorted(connection.execute(insert(table).returning(table.c.id), rows).scalars())
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    statement = statement.execution_options(insertmanyvalues_page_size=PG_PAGE_ROWS)
    return list(connection.execute(statement, rows).scalars())
