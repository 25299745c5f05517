"""The audit log and the per-force head of its hash chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, IdMixin


class AuditEntry(IdMixin, Base):
    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("force_id", "seq"),)

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"), index=True)
    seq: Mapped[int] = mapped_column(BigId)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(BigId, default=None)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    actor_force_id: Mapped[int | None] = mapped_column(BigId, default=None)
    action: Mapped[str] = mapped_column(String(64), index=True)
    record_type: Mapped[str | None] = mapped_column(String(64), default=None)
    record_id: Mapped[str | None] = mapped_column(String(64), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)
    client_addr: Mapped[str | None] = mapped_column(String(64), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """Last link of each force's chain: reveals rows cut from the end; serialises appends."""

    __tablename__ = "audit_heads"

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
