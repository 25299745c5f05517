"""Linking one new person record at intake: link, suggest to a person, or a new subject."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

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
# Rejections between any two of the subjects given: found from the subjects' records (few), so
# the read stays small however many rejections a force builds up over the years.
_REJECTED_AMONG = (
    select(_REJECTED_RECORD.subject_id, LinkSuggestion.candidate_subject_id)
    .join(_REJECTED_RECORD, _REJECTED_RECORD.id == LinkSuggestion.record_id)
    .where(
        LinkSuggestion.force_id == bindparam("force_id"),
        LinkSuggestion.status == SuggestionStatus.REJECTED,
        _REJECTED_RECORD.subject_id.in_(id_list("subject_ids")),
        LinkSuggestion.candidate_subject_id.in_(id_list("subject_ids")),
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


def rejected_subject_pairs(
    session: Session, *, force_id: int, subject_id: int, among: Collection[int]
) -> set[int]:
    """Those of `among` a person has already said are not `subject_id`: never suggested again.
    Asks the database only when there is someone to ask about."""
    others = set(among) - {subject_id}
    if not others:
        return set()
    rows = session.execute(
        _REJECTED_AMONG, {"force_id": force_id, "subject_ids": [subject_id, *others]}
    )
    found: set[int] = set()
    for a, b in rows:
        if a == subject_id and b in others:
            found.add(b)
        elif b == subject_id and a in others:
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
    worth_asking_about = {
        subject_id
        for c in candidates
        if c.band is not Band.NO_LINK and (subject_id := subjects.get(int(c.record_id))) is not None
    }
    rejected = rejected_subject_pairs(
        session, force_id=record.force_id, subject_id=record.subject_id, among=worth_asking_about
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
