"""Linking one new person record at intake: link, suggest to a person, or a new subject."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from heard.calls.index import ForceIndex, link_record
from heard.calls.models import LinkSuggestion, SuggestionStatus
from heard.clock import utcnow
from heard.incidents.models import Call
from heard.linking import Band, Candidate
from heard.people.models import Location, PersonRecord, Subject

MAX_CANDIDATES = 10


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
        pending = list(
            session.scalars(
                select(LinkSuggestion).where(
                    LinkSuggestion.record_id == record.id,
                    LinkSuggestion.status == SuggestionStatus.PENDING,
                )
            )
        )
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
    rows = session.execute(
        select(PersonRecord.id, PersonRecord.subject_id).where(PersonRecord.id.in_(record_ids))
    )
    return dict(rows.all())


def rejected_subject_pairs(session: Session, *, force_id: int, subject_id: int) -> set[int]:
    """Subjects a person has already said are not `subject_id`: never suggested again."""
    record = aliased(PersonRecord)
    rows = session.execute(
        select(record.subject_id, LinkSuggestion.candidate_subject_id)
        .join(record, record.id == LinkSuggestion.record_id)
        .where(
            LinkSuggestion.force_id == force_id, LinkSuggestion.status == SuggestionStatus.REJECTED
        )
    )
    found: set[int] = set()
    for a, b in rows:
        if a == subject_id and b is not None:
            found.add(b)
        elif b == subject_id and a is not None:
            found.add(a)
    return found


def _postcode(session: Session, record: PersonRecord, call: Call) -> str | None:
    location_id = record.location_id or call.location_id
    return (
        session.scalar(select(Location.postcode).where(Location.id == location_id))
        if location_id
        else None
    )


def link_new_record(
    session: Session, *, record: PersonRecord, call: Call, index: ForceIndex
) -> LinkOutcome:
    query = link_record(record, _postcode(session, record, call))
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
            suggestion = LinkSuggestion(
                force_id=record.force_id,
                call_id=call.id,
                record_id=record.id,
                candidate_id=int(candidate.record_id),
                candidate_subject_id=subject_id,
                probability=candidate.probability,
                explanation=view.explanation,
                status=SuggestionStatus.PENDING,
                created_at=utcnow(),
            )
            session.add(suggestion)
            session.flush()
            view.suggestion_id = suggestion.id
            suggested.add(subject_id)
            if outcome.link == "new":
                outcome.link = "suggested"
        outcome.candidates.append(view)
