"""Writing to the audit log, always inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, TextClause, event, insert, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from heard.audit.models import AuditEntry, AuditHead
from heard.clock import utcnow

GENESIS_HASH = "0" * 64
# Built once; no RETURNING: nothing reads the entries back from the insert.
_INSERT_ENTRIES = insert(cast(Table, AuditEntry.__table__))


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


# --- entries held until their transaction commits ---------------------------------------------
#
# An entry is held with the transaction (or savepoint) it was recorded in. Held entries are
# written when the session's transaction commits, and before a statement reads the audit
# tables, so a reader in the same transaction sees them.
# A savepoint that rolls back takes its own entries with it; entries recorded outside it but
# written inside it are held again, to be written after it.

_Held = tuple[Actor, int, Draft]
_HELD = "heard.audit_held"  # [(transaction recorded in, entry)]
_WRITTEN = "heard.audit_written"  # [(transaction written in, [(recorded in, entry)])]
_WRITING = "heard.audit_writing"


def _current(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def _hold(session: Session, entries: Sequence[_Held]) -> None:
    held: list[tuple[SessionTransaction | None, _Held]] = session.info.setdefault(_HELD, [])
    where = _current(session)
    held.extend((where, entry) for entry in entries)


def write_held(session: Session) -> None:
    """Write the entries held so far (done for you at commit and before reading the log)."""
    if session.info.get(_WRITING) or not session.info.get(_HELD):
        return
    held = session.info.pop(_HELD)
    session.info[_WRITING] = True
    try:
        _write(session, [entry for _, entry in held])
    finally:
        session.info.pop(_WRITING, None)
    session.info.setdefault(_WRITTEN, []).append((_current(session), held))


def _within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    # A savepoint's release commits nothing yet: its entries stay held, now with the
    # transaction around it, and are written with that transaction's own.
    if session.get_nested_transaction() is None:
        write_held(session)


_AUDIT_TABLES = ("audit_log", "audit_heads")


@event.listens_for(Session, "do_orm_execute")
def _write_before_reading(state: ORMExecuteState) -> None:
    if not state.session.info.get(_HELD) or state.session.info.get(_WRITING):
        return
    statement = state.statement
    if isinstance(statement, TextClause):
        reads = any(table in statement.text for table in _AUDIT_TABLES)
    else:
        reads = any(m.class_ in (AuditEntry, AuditHead) for m in state.all_mappers)
    if reads:
        write_held(state.session)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, ended: SessionTransaction) -> None:
    if ended.parent is None:  # the whole transaction: `_forget_written` clears everything
        return
    kept = [(where, e) for where, e in session.info.get(_HELD, []) if not _within(where, ended)]
    again: list[tuple[SessionTransaction | None, _Held]] = []
    written = []
    for written_in, batch in session.info.get(_WRITTEN, []):
        if _within(written_in, ended):  # its rows are gone with the savepoint
            again.extend((where, e) for where, e in batch if not _within(where, ended))
        else:
            written.append((written_in, batch))
    session.info[_HELD] = again + kept
    session.info[_WRITTEN] = written


@event.listens_for(Session, "after_transaction_end")
def _forget_written(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WRITTEN, None)
        session.info.pop(_HELD, None)


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
) -> None:
    """Append one entry to the chain of `force_id` (default: the actor's force)."""
    draft = Draft(
        action=action, record_type=record_type, record_id=record_id, reason=reason, details=details
    )
    record_many(session, actor=actor, force_id=force_id, drafts=[draft])


def record_many(
    session: Session, *, actor: Actor, drafts: Sequence[Draft], force_id: int | None = None
) -> None:
    """Append entries, in order, to one force's chain, in the caller's transaction.

    The entries are written together when the transaction (or savepoint) commits, or before
    anything in it reads the audit tables (see `_hold`): a 999 call's intake records
    several, and one insert is far cheaper than one each.
    """
    if drafts:
        chain_force = actor.force_id if force_id is None else force_id
        _hold(session, [(actor, chain_force, draft) for draft in drafts])


def _write(session: Session, held: Sequence[_Held]) -> None:
    """Write held entries, in order, each force's with one insert.

    The chain's head row is locked first (`FOR UPDATE` on PostgreSQL; on SQLite every write
    transaction begins IMMEDIATE and holds the only write lock), so no other transaction can
    append between reading the head and moving it: each entry links to the one before it.
    """
    at = utcnow()
    rows_by_force: dict[int, list[dict[str, Any]]] = {}
    for actor, chain_force, draft in held:
        rows_by_force.setdefault(chain_force, []).append(
            _row(actor, draft, force_id=chain_force, seq=0, at=at, prev_hash="")
        )
    for chain_force, rows in rows_by_force.items():
        head = _locked_head(session, chain_force)
        seq, prev_hash = head.seq, head.hash
        for row in rows:
            seq += 1
            row["seq"], row["prev_hash"] = seq, prev_hash
            row["hash"] = prev_hash = entry_hash(_hashed(row))
        # Through Core: one statement for all, though entries leave different columns empty.
        session.connection().execute(_INSERT_ENTRIES, rows)
        # The head moves at the session's next flush; its row stays locked until the
        # transaction ends.
        head.seq, head.hash = seq, prev_hash


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
