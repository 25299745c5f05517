"""Tables for forces, users, browser sessions and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from heard.auth.permissions import Role
from heard.db.base import Base, BigId, IdMixin, TimestampMixin, VersionedMixin, enum_column


class Force(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A police force: the tenant every record belongs to. Admins edit its settings concurrently."""

    __tablename__ = "forces"

    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class UserSession(IdMixin, Base):
    """Server-side session so logout and lock-out take effect immediately."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    client_addr: Mapped[str | None] = mapped_column(String(64), default=None)


class ApiToken(IdMixin, TimestampMixin, Base):
    """A system's credential (CAD, telephony, monitoring centre); only its hash is stored."""

    __tablename__ = "api_tokens"

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("users.id"), default=None)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
