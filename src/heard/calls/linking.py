"""Linking one new person record at intake: link, suggest to a person, or a new subject."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import ORMExecuteState, Session, aliased

from heard.calls.index import ForceIndex, link_record
from heard.calls.models import LinkSuggestion, SuggestionStatus
from heard.clock import utcnow
from heard.db.base import id_list
from heard.db.bulk import insert_ids
from heard.incidents.models import Call
from heard.linking import Band, Candidate
from heard.people.models import Location, PersonRecord, Subject

MAX_CANDIDATES = 10

# Built once: building a select() on every call cost more than running it.
_PENDING_OF_RECORD = select(LinkSuggestion).where(
    LinkSuggestion.record_id == bindparam("record_id"),
    LinkSuggestion.status == SuggestionStatus.PENDING,
)
_SUBJECTS_OF_RECORDS = select(PersonRecord.id, PersonRecord.subject_id).where(
    PersonRecord.id.in_(id_list("record_ids"))
)
_REJECTED_RECORD = aliased(PersonRecord)
_REJECTED_PAIRS = (
    select(
        LinkSuggestion.record_id, _REJECTED_RECORD.subject_id, LinkSuggestion.candidate_subject_id
    )
    .join(_REJECTED_RECORD, _REJECTED_RECORD.id == LinkSuggestion.record_id)
    .where(
        LinkSuggestion.force_id == bindparam("force_id"),
        LinkSuggestion.status == SuggestionStatus.REJECTED,
    )
)
_POSTCODE = select(Location.postcode).where(Location.id == bindparam("location_id"))


@dataclass
class CandidateView:
    record_id: int
    subject_id: int | None
    probability: float
    band: str
    explanation: list[dict[str, object]]
    suggestion_id: int | None = None


@dataclass
class LinkOutcome:
    link: str  # linked, suggested, new
    subject_id: int | None
    confidence: float | None
    candidates: list[CandidateView] = field(default_factory=list)

    @classmethod
    def stored(cls, session: Session, *, record: PersonRecord) -> LinkOutcome:
        """The outcome as it stands now, for a call being looked at again."""
        pending = list(session.scalars(_PENDING_OF_RECORD, {"record_id": record.id}))
        views = [
            CandidateView(
                s.candidate_id,
                s.candidate_subject_id,
                s.probability,
                "suggest",
                list(s.explanation),
                s.id,
            )
            for s in pending
        ]
        return cls("suggested" if views else "stored", record.subject_id, None, views)


def _explanation(candidate: Candidate) -> list[dict[str, object]]:
    return [
        {
            "field": part.field,
            "level": part.level,
            "weight": round(part.weight, 3),
            "value_frequency": part.value_frequency,
        }
        for part in candidate.explanation
    ]


def _subjects_of(session: Session, record_ids: list[int]) -> dict[int, int | None]:
    if not record_ids:
        return {}
    return dict(session.execute(_SUBJECTS_OF_RECORDS, {"record_ids": record_ids}).all())


# force id -> (record id, its subject, candidate subject) of every rejected suggestion. Read once
# per transaction (each person on a call asks), until a suggestion or one of those records changes.
_REJECTED_CACHE = "heard.rejected_link_pairs"
_Rejected = tuple[int, int | None, int | None]


@event.listens_for(Session, "before_flush")
def _forget_rejected_on_change(session: Session, *_: Any) -> None:
    cache: dict[int, list[_Rejected]] | None = session.info.get(_REJECTED_CACHE)
    if not cache:
        return
    records = {record_id for rows in cache.values() for record_id, _, _ in rows}
    stale = any(
        isinstance(obj, LinkSuggestion) and obj.status is not SuggestionStatus.PENDING
        for obj in session.new
    ) or any(
        isinstance(obj, LinkSuggestion) or (isinstance(obj, PersonRecord) and obj.id in records)
        for obj in (*session.dirty, *session.deleted)
    )
    if stale:
        session.info.pop(_REJECTED_CACHE)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_rejected_at_transaction_end(session: Session, *_: Any) -> None:
    session.info.pop(_REJECTED_CACHE, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_rejected_on_bulk_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info.pop(_REJECTED_CACHE, None)


def _rejected(session: Session, force_id: int) -> list[_Rejected]:
    _forget_rejected_on_change(session)  # changes not flushed yet, which a query would flush
    cache: dict[int, list[_Rejected]] = session.info.setdefault(_REJECTED_CACHE, {})
    if force_id not in cache:
        rows = session.execute(_REJECTED_PAIRS, {"force_id": force_id})
        cache[force_id] = [(record_id, a, b) for record_id, a, b in rows]
    return cache[force_id]


def rejected_subject_pairs(session: Session, *, force_id: int, subject_id: int) -> set[int]:
    """Subjects a person has already said are not `subject_id`: never suggested again."""
    found: set[int] = set()
    for _, a, b in _rejected(session, force_id):
        if a == subject_id and b is not None:
            found.add(b)
        elif b == subject_id and a is not None:
            found.add(a)
    return found


def location_postcode(session: Session, *, location_id: int | None) -> str | None:
    if location_id is None:
        return None
    return session.scalar(_POSTCODE, {"location_id": location_id})


def link_new_record(
    session: Session, *, record: PersonRecord, call: Call, index: ForceIndex, postcode: str | None
) -> LinkOutcome:
    """Store a new person record, linked to the subject it matches or to a new one.

    The record is matched before it is stored, so it is written once, with its subject.
    `postcode`: the call's (a person named on a call has no address record of their own).
    """
    query = link_record(record, postcode)
    with index.lock:
        candidates = index.linker.match(query, limit=MAX_CANDIDATES)
    subjects = _subjects_of(session, [int(c.record_id) for c in candidates])
    best = next((c for c in candidates if c.band is Band.LINK), None)
    if best is not None and subjects.get(int(best.record_id)) is not None:
        record.subject_id = subjects[int(best.record_id)]
        outcome = LinkOutcome("linked", record.subject_id, best.probability)
    else:
        subject = Subject(
            force_id=record.force_id,
            given_name=record.given_name or "",
            family_name=record.family_name or "",
            date_of_birth=record.date_of_birth,
            created_at=utcnow(),
        )
        session.add(subject)
        session.flush()
        record.subject_id = subject.id
        outcome = LinkOutcome("new", subject.id, None)
    session.add(record)
    session.flush()
    _suggest_others(
        session, record=record, call=call, candidates=candidates, subjects=subjects, outcome=outcome
    )
    return outcome


def _suggest_others(
    session: Session,
    *,
    record: PersonRecord,
    call: Call,
    candidates: list[Candidate],
    subjects: dict[int, int | None],
    outcome: LinkOutcome,
) -> None:
    assert record.subject_id is not None
    rejected = rejected_subject_pairs(
        session, force_id=record.force_id, subject_id=record.subject_id
    )
    suggested: set[int | None] = {record.subject_id}
    asked: list[tuple[dict[str, Any], CandidateView]] = []
    for candidate in candidates:
        subject_id = subjects.get(int(candidate.record_id))
        view = CandidateView(
            int(candidate.record_id),
            subject_id,
            round(candidate.probability, 4),
            candidate.band.value,
            _explanation(candidate),
        )
        worth_asking = candidate.band is not Band.NO_LINK and subject_id not in suggested
        if worth_asking and subject_id not in rejected:
            row = {
                "force_id": record.force_id,
                "call_id": call.id,
                "record_id": record.id,
                "candidate_id": int(candidate.record_id),
                "candidate_subject_id": subject_id,
                "probability": candidate.probability,
                "explanation": view.explanation,
                "status": SuggestionStatus.PENDING,
                "created_at": utcnow(),
            }
            asked.append((row, view))
            suggested.add(subject_id)
            if outcome.link == "new":
                outcome.link = "suggested"
        outcome.candidates.append(view)
    # One statement for the person's suggestions, each view given its suggestion's id.
    stored = insert_ids(session, LinkSuggestion, [row for row, _ in asked])
    for suggestion_id, (_, view) in zip(stored, asked, strict=True):
        view.suggestion_id = suggestion_id
