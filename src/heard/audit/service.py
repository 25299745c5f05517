"""Writing to the audit log, always inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from heard.audit.models import AuditEntry, AuditHead
from heard.clock import utcnow
from heard.db.bulk import insert_returning

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


# The columns an entry's hash covers, in the order verify reads them.
HASHED = (
    "force_id",
    "seq",
    "at",
    "user_id",
    "username",
    "role",
    "actor_force_id",
    "action",
    "record_type",
    "record_id",
    "reason",
    "request_id",
    "client_addr",
    "details",
    "prev_hash",
)


def _hashed(values: Mapping[str, Any]) -> dict[str, Any]:
    fields = {name: values[name] for name in HASHED}
    fields["at"] = _iso(values["at"])
    return fields


def hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return _hashed({name: getattr(entry, name) for name in HASHED})


def _iso(value: datetime) -> str:
    # Microseconds kept: both databases store them, so the hash survives a round trip.
    return value.isoformat(timespec="microseconds")


def ensure_chain(session: Session, *, force_id: int) -> None:
    if session.get(AuditHead, force_id) is None:
        session.add(AuditHead(force_id=force_id, seq=0, hash=GENESIS_HASH))
        session.flush()


@dataclass(frozen=True, kw_only=True)
class Draft:
    """One entry to append: what was done, to which record, and why."""

    action: str
    record_type: str | None = None
    record_id: str | int | None = None
    reason: str | None = None
    details: dict[str, Any] | None = None


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
    draft = Draft(
        action=action, record_type=record_type, record_id=record_id, reason=reason, details=details
    )
    return record_many(session, actor=actor, force_id=force_id, drafts=[draft])[0]


def record_many(
    session: Session, *, actor: Actor, drafts: Sequence[Draft], force_id: int | None = None
) -> list[AuditEntry]:
    """Append entries, in order, to one force's chain with one insert; the entries, in order.

    The chain's head row is locked first (`FOR UPDATE` on PostgreSQL; on SQLite every write
    transaction begins IMMEDIATE and holds the only write lock), so no other transaction can
    append between reading the head and moving it: each entry links to the one before it.
    """
    if not drafts:
        return []
    chain_force = actor.force_id if force_id is None else force_id
    head = _locked_head(session, chain_force)
    at, seq, prev_hash = utcnow(), head.seq, head.hash
    rows: list[dict[str, Any]] = []
    for draft in drafts:
        seq += 1
        row = _row(actor, draft, force_id=chain_force, seq=seq, at=at, prev_hash=prev_hash)
        row["hash"] = prev_hash = entry_hash(_hashed(row))
        rows.append(row)
    entries = insert_returning(session, AuditEntry, rows)
    # The head moves at the session's next flush; its row stays locked until the transaction ends.
    head.seq, head.hash = seq, prev_hash
    return entries


def _row(
    actor: Actor, draft: Draft, *, force_id: int, seq: int, at: datetime, prev_hash: str
) -> dict[str, Any]:
    return {
        "force_id": force_id,
        "seq": seq,
        "at": at,
        "user_id": actor.user_id,
        "username": actor.username,
        "role": actor.role,
        "actor_force_id": actor.force_id,
        "action": draft.action,
        "record_type": draft.record_type,
        "record_id": None if draft.record_id is None else str(draft.record_id),
        "reason": draft.reason,
        "request_id": actor.request_id,
        "client_addr": actor.client_addr,
        "details": draft.details or {},
        "prev_hash": prev_hash,
    }


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
