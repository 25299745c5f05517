"""Walks a force's hash chain and reports the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard.audit.models import AuditEntry, AuditHead
from heard.audit.service import GENESIS_HASH, entry_hash, hashed_fields


@dataclass(frozen=True)
class ChainReport:
    force_id: int
    entries_checked: int
    ok: bool
    broken_at_seq: int | None = None
    problem: str | None = None


def verify_chain(session: Session, *, force_id: int, batch: int = 5000) -> ChainReport:
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    query = (
        select(AuditEntry)
        .where(AuditEntry.force_id == force_id)
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=batch)
    )
    for entry in session.scalars(query):
        problem = _link_problem(entry, expected_seq, prev_hash)
        if problem:
            return ChainReport(force_id, checked, False, entry.seq, problem)
        checked += 1
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    head = session.get(AuditHead, force_id)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainReport(
            force_id,
            checked,
            False,
            expected_seq,
            f"chain ends at entry {expected_seq - 1} but the head records entry {head.seq}: "
            "entries were removed from the end",
        )
    return ChainReport(force_id, checked, True)


def _link_problem(entry: AuditEntry, expected_seq: int, prev_hash: str) -> str | None:
    if entry.seq != expected_seq:
        return f"expected entry {expected_seq} but found {entry.seq}: an entry is missing"
    if entry.prev_hash != prev_hash:
        return f"entry {entry.seq} does not follow the entry before it (rows reordered or replaced)"
    if entry_hash(hashed_fields(entry)) != entry.hash:
        return f"entry {entry.seq} was altered after it was written (hash mismatch)"
    return None
