"""API shapes for accounts and tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from heard.auth.permissions import Permission, Role
from heard.schemas_base import Output, StrictInput


class MeOut(Output):
    kind: str
    name: str
    display_name: str
    role: Role
    force_code: str
    permissions: list[Permission]


class UserIn(StrictInput):
    username: str = Field(min_length=3, max_length=64, pattern=r"^[a-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=120)
    role: Role
    password: str = Field(min_length=12, max_length=256)


class UserOut(Output):
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


class TokenIn(StrictInput):
    name: str = Field(min_length=1, max_length=120)
    permissions: list[Permission] = Field(min_length=1, max_length=20)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(Output):
    id: int
    name: str
    prefix: str
    permissions: list[str]
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="Shown once; only its hash is stored.")
