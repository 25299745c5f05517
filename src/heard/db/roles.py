"""PostgreSQL roles: the application may append to the audit log but never change or remove it."""

from __future__ import annotations

import re

from sqlalchemy import text

from heard.db.engine import make_engine

APPEND_ONLY_TABLES = ("audit_log",)
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(database_url: str, *, role: str) -> None:
    if not _ROLE_NAME.match(role):
        raise ValueError("role name must be lower-case letters, digits and underscores")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
        if exists.first() is None:
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        conn.execute(
            text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
        )
        conn.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
        for table in APPEND_ONLY_TABLES:
            conn.execute(text(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM "{role}"'))
    engine.dispose()
