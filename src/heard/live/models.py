"""The live event log: what the console's pages are told, in order, kept long enough to resume."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from heard.db.base import Base, BigId, IdMixin, JsonDoc


class LiveEvent(IdMixin, Base):
    """One message for the pages watching `channel` in one force.

    Ids are the resume points (SSE `Last-Event-ID`), so they must only ever grow: AUTOINCREMENT
    on SQLite never reuses an id after pruning, and writers take a lock so ids commit in order.
    """

    __tablename__ = "live_events"
    __table_args__ = (
        Index("ix_live_events_force_channel_id", "force_id", "channel", "id"),
        {"sqlite_autoincrement": True},
    )

    force_id: Mapped[int] = mapped_column(BigId, ForeignKey("forces.id"))
    channel: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(index=True)
