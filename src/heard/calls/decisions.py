"""People's decisions about who is who: confirm or reject a suggestion, merge, split, undo.

Every decision is audited with its reason and recorded as a SubjectChange that can be reversed
exactly; a rejected pair is never suggested again.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.calls.models import (
    SUGGESTION_TRANSITIONS,
    ChangeKind,
    LinkSuggestion,
    SubjectChange,
    SuggestionStatus,
)
from heard.clock import utcnow
from heard.people.models import PersonRecord, Subject


def _suggestion(session: Session, *, force_id: int, suggestion_id: int) -> LinkSuggestion:
    found = session.get(LinkSuggestion, suggestion_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound(f"no link suggestion {suggestion_id} in your force")
    return found


def _subject(session: Session, *, force_id: int, subject_id: int) -> Subject:
    found = session.get(Subject, subject_id)
    if found is None or found.force_id != force_id:
        raise errors.NotFound(f"no subject {subject_id} in your force")
    return found


def _move_records(
    session: Session, *, force_id: int, record_ids: list[int], to_subject_id: int
) -> dict[str, int | None]:
    before = dict(
        session.execute(
            select(PersonRecord.id, PersonRecord.subject_id).where(
                PersonRecord.id.in_(record_ids), PersonRecord.force_id == force_id
            )
        ).all()
    )
    session.execute(
        update(PersonRecord)
        .where(PersonRecord.id.in_(list(before)))
        .values(subject_id=to_subject_id)
        .execution_options(synchronize_session=False)
    )
    return {str(rid): sid for rid, sid in before.items()}


def _change(
    session: Session,
    *,
    force_id: int,
    kind: ChangeKind,
    moved: dict[str, int | None],
    to_subject_id: int,
    actor: Actor,
    reason: str,
    suggestion_id: int | None = None,
) -> SubjectChange:
    change = SubjectChange(
        force_id=force_id,
        kind=kind,
        moved=moved,
        to_subject_id=to_subject_id,
        made_by=actor.user_id,
        made_at=utcnow(),
        reason=reason,
        suggestion_id=suggestion_id,
    )
    session.add(change)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"subject.{kind.value}",
        force_id=force_id,
        record_type="subject",
        record_id=to_subject_id,
        reason=reason,
        details={"change_id": change.id, "records": sorted(moved)},
    )
    return change


def confirm(
    session: Session, *, force_id: int, suggestion_id: int, actor: Actor, reason: str
) -> SubjectChange:
    suggestion = _suggestion(session, force_id=force_id, suggestion_id=suggestion_id)
    suggestion.status = SUGGESTION_TRANSITIONS.check(suggestion.status, SuggestionStatus.CONFIRMED)
    suggestion.decided_by, suggestion.decided_at, suggestion.reason = (
        actor.user_id,
        utcnow(),
        reason,
    )
    target = suggestion.candidate_subject_id
    record = session.get_one(PersonRecord, suggestion.record_id)
    if target is None or record.subject_id is None:
        raise errors.Conflict("the suggested record has no subject to join")
    # Everything filed under the new record's subject is the same person, so it all moves.
    record_ids = list(
        session.scalars(select(PersonRecord.id).where(PersonRecord.subject_id == record.subject_id))
    )
    moved = _move_records(session, force_id=force_id, record_ids=record_ids, to_subject_id=target)
    return _change(
        session,
        force_id=force_id,
        kind=ChangeKind.LINK,
        moved=moved,
        to_subject_id=target,
        actor=actor,
        reason=reason,
        suggestion_id=suggestion.id,
    )


def reject(
    session: Session, *, force_id: int, suggestion_id: int, actor: Actor, reason: str
) -> LinkSuggestion:
    suggestion = _suggestion(session, force_id=force_id, suggestion_id=suggestion_id)
    suggestion.status = SUGGESTION_TRANSITIONS.check(suggestion.status, SuggestionStatus.REJECTED)
    suggestion.decided_by, suggestion.decided_at, suggestion.reason = (
        actor.user_id,
        utcnow(),
        reason,
    )
    audit.record(
        session,
        actor=actor,
        action="link.reject",
        force_id=force_id,
        record_type="link_suggestion",
        record_id=suggestion.id,
        reason=reason,
        details={
            "record_id": suggestion.record_id,
            "candidate_subject_id": suggestion.candidate_subject_id,
        },
    )
    return suggestion


def merge(
    session: Session,
    *,
    force_id: int,
    keep_subject_id: int,
    merge_subject_id: int,
    actor: Actor,
    reason: str,
) -> SubjectChange:
    if keep_subject_id == merge_subject_id:
        raise errors.Invalid("a subject cannot be merged into itself")
    _subject(session, force_id=force_id, subject_id=keep_subject_id)
    _subject(session, force_id=force_id, subject_id=merge_subject_id)
    record_ids = list(
        session.scalars(select(PersonRecord.id).where(PersonRecord.subject_id == merge_subject_id))
    )
    moved = _move_records(
        session, force_id=force_id, record_ids=record_ids, to_subject_id=keep_subject_id
    )
    return _change(
        session,
        force_id=force_id,
        kind=ChangeKind.MERGE,
        moved=moved,
        to_subject_id=keep_subject_id,
        actor=actor,
        reason=reason,
    )


def split(
    session: Session, *, force_id: int, record_id: int, actor: Actor, reason: str
) -> SubjectChange:
    record = session.get(PersonRecord, record_id)
    if record is None or record.force_id != force_id:
        raise errors.NotFound(f"no person record {record_id} in your force")
    subject = Subject(
        force_id=force_id,
        given_name=record.given_name or "",
        family_name=record.family_name or "",
        date_of_birth=record.date_of_birth,
        created_at=utcnow(),
    )
    session.add(subject)
    session.flush()
    moved = _move_records(
        session, force_id=force_id, record_ids=[record_id], to_subject_id=subject.id
    )
    return _change(
        session,
        force_id=force_id,
        kind=ChangeKind.SPLIT,
        moved=moved,
        to_subject_id=subject.id,
        actor=actor,
        reason=reason,
    )


def reverse(
    session: Session, *, force_id: int, change_id: int, actor: Actor, reason: str
) -> SubjectChange:
    change = session.get(SubjectChange, change_id)
    if change is None or change.force_id != force_id:
        raise errors.NotFound(f"no subject change {change_id} in your force")
    if change.reversed_at is not None:
        raise errors.Conflict("this change was already undone")
    for record_id, old_subject in change.moved.items():
        session.execute(
            update(PersonRecord)
            .where(
                PersonRecord.id == int(record_id), PersonRecord.subject_id == change.to_subject_id
            )
            .values(subject_id=old_subject)
            .execution_options(synchronize_session=False)
        )
    change.reversed_at, change.reversed_by, change.reverse_reason = utcnow(), actor.user_id, reason
    if change.suggestion_id is not None:
        suggestion = session.get_one(LinkSuggestion, change.suggestion_id)
        suggestion.status = SUGGESTION_TRANSITIONS.check(
            suggestion.status, SuggestionStatus.PENDING
        )
    audit.record(
        session,
        actor=actor,
        action="subject.reverse",
        force_id=force_id,
        record_type="subject_change",
        record_id=change.id,
        reason=reason,
    )
    return change


def undo_rejection(
    session: Session, *, force_id: int, suggestion_id: int, actor: Actor, reason: str
) -> LinkSuggestion:
    suggestion = _suggestion(session, force_id=force_id, suggestion_id=suggestion_id)
    if suggestion.status is not SuggestionStatus.REJECTED:
        raise errors.Conflict("only a rejected suggestion can be reopened")
    suggestion.status = SuggestionStatus.PENDING
    audit.record(
        session,
        actor=actor,
        action="link.reopen",
        force_id=force_id,
        record_type="link_suggestion",
        record_id=suggestion.id,
        reason=reason,
    )
    return suggestion
