"""A digest of everything the generator wrote, read back through the schema's own types, so the
same seed can be shown to give the same data on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, select

from heard.db.base import Base
from heard.incidents import models as _incidents
from heard.orders import models as _orders
from heard.people import models as _people
from heard.risk import models as _risk
from heard.sim import truth as _truth
from heard.sim.rows import TABLES

# The model modules above register their tables on Base.metadata.
_REGISTERED = (_incidents, _orders, _people, _risk, _truth)


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    columns = [table.c[name] for name in TABLES[table.name]]
    digest = hashlib.sha256()
    count = 0
    for row in conn.execute(select(*columns).order_by(columns[0])):
        digest.update("\x1f".join(_text(v) for v in row).encode())
        digest.update(b"\x1e")
        count += 1
    return count, digest.hexdigest()


def database_digest(conn: Connection) -> str:
    """One hash over every generated table, in a fixed order, with row counts."""
    overall = hashlib.sha256()
    for name in TABLES:
        count, digest = table_digest(conn, Base.metadata.tables[name])
        overall.update(f"{name}:{count}:{digest}\n".encode())
    return overall.hexdigest()
