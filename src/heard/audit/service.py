"""Writing to the audit log, always inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from heard.audit.models import AuditEntry, AuditHead
from heard.clock import utcnow

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, kw_only=True)
class Actor:
    """Who did something, and from where; built from a signed-in person or an API token."""

    user_id: int | None
    username: str
    role: str
    force_id: int
    request_id: str | None = None
    client_addr: str | None = None


SYSTEM_ACTOR_NAME = "heard-system"


def system_actor(force_id: int, *, reason_source: str = "system") -> Actor:
    return Actor(user_id=None, username=SYSTEM_ACTOR_NAME, role=reason_source, force_id=force_id)


def entry_hash(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "force_id": entry.force_id,
        "seq": entry.seq,
        "at": _iso(entry.at),
        "user_id": entry.user_id,
        "username": entry.username,
        "role": entry.role,
        "actor_force_id": entry.actor_force_id,
        "action": entry.action,
        "record_type": entry.record_type,
        "record_id": entry.record_id,
        "reason": entry.reason,
        "request_id": entry.request_id,
        "client_addr": entry.client_addr,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }


def _iso(value: datetime) -> str:
    # Microseconds kept: both databases store them, so the hash survives a round trip.
    return value.isoformat(timespec="microseconds")


def ensure_chain(session: Session, *, force_id: int) -> None:
    if session.get(AuditHead, force_id) is None:
        session.add(AuditHead(force_id=force_id, seq=0, hash=GENESIS_HASH))
        session.flush()


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    force_id: int | None = None,
    record_type: str | None = None,
    record_id: str | int | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain of `force_id` (default: the actor's force)."""
    chain_force = actor.force_id if force_id is None else force_id
    head = _locked_head(session, chain_force)
    entry = AuditEntry(
        force_id=chain_force,
        seq=head.seq + 1,
        at=utcnow(),
        user_id=actor.user_id,
        username=actor.username,
        role=actor.role,
        actor_force_id=actor.force_id,
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        reason=reason,
        request_id=actor.request_id,
        client_addr=actor.client_addr,
        details=details or {},
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(hashed_fields(entry))
    # Written at the session's next flush, with any other entries of the transaction in one
    # batch; the head row stays locked until the transaction ends.
    session.add(entry)
    head.seq = entry.seq
    head.hash = entry.hash
    return entry


_LOCKED_HEADS = "heard.audit_locked_heads"


def _locked_head(session: Session, force_id: int) -> AuditHead:
    """The chain's head, locked for the rest of the transaction (FOR UPDATE on PostgreSQL; the
    write lock on SQLite). Read once per transaction: later entries reuse the locked row."""
    locked: dict[int, tuple[AuditHead, Any]] = session.info.setdefault(_LOCKED_HEADS, {})
    if force_id in locked:
        return locked[force_id][0]
    head = session.execute(
        select(AuditHead).where(AuditHead.force_id == force_id).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        ensure_chain(session, force_id=force_id)
        head = session.get_one(AuditHead, force_id)
    locked[force_id] = (head, session.get_nested_transaction() or session.get_transaction())
    return head


@event.listens_for(Session, "after_transaction_end")
def _unlock_heads(session: Session, transaction: SessionTransaction) -> None:
    """A head locked inside a transaction (or savepoint) that ended is read again next time:
    its lock, or its values, may have gone with it."""
    locked = session.info.get(_LOCKED_HEADS)
    if locked:
        for force_id, (_, where) in list(locked.items()):
            if where is transaction or where is None:
                del locked[force_id]


def recent_entries(session: Session, *, force_id: int, limit: int = 100) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.force_id == force_id)
        .order_by(AuditEntry.seq.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
