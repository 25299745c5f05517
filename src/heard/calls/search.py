"""Searching for a person by name and date of birth: in one's own force, or nationally.

Looking beyond one's own force is for national roles only, must be asked for explicitly with a
reason, and is audited in the chain of every force whose records were searched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.auth.models import Force
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.calls.index import LinkIndexes
from heard.linking import Band, LinkRecord
from heard.people.models import PersonRecord


@dataclass(frozen=True)
class SearchQuery:
    given_name: str | None
    family_name: str | None
    date_of_birth: str | None
    phone: str | None
    postcode: str | None
    national: bool
    reason: str | None


def _forces(session: Session, *, principal: Principal, query: SearchQuery) -> list[Force]:
    if not query.national:
        return [session.get_one(Force, principal.force_id)]
    if not principal.can(Permission.CROSS_FORCE_SEARCH):
        raise errors.Forbidden("searching other forces is for national roles only")
    if not query.reason or len(query.reason.strip()) < 10:
        raise errors.Invalid("a national search needs a reason of at least 10 characters")
    return list(session.scalars(select(Force).order_by(Force.code)))


def search_people(
    session: Session,
    *,
    principal: Principal,
    query: SearchQuery,
    indexes: LinkIndexes,
    limit: int = 10,
) -> list[dict[str, Any]]:
    if not (query.family_name or query.phone):
        raise errors.Invalid("give at least a family name or a phone number")
    probe = LinkRecord(
        record_id="search",
        given_name=query.given_name,
        family_name=query.family_name,
        date_of_birth=query.date_of_birth,
        phone=query.phone,
        postcode=query.postcode,
    )
    found: list[dict[str, Any]] = []
    for force in _forces(session, principal=principal, query=query):
        index = indexes.for_force(session, force_id=force.id)
        with index.lock:
            candidates = index.linker.match(probe, limit=limit, min_probability=0.05)
        subjects = dict(
            session.execute(
                select(PersonRecord.id, PersonRecord.subject_id).where(
                    PersonRecord.id.in_([int(c.record_id) for c in candidates])
                )
            ).all()
        )
        for candidate in candidates:
            found.append(
                {
                    "force_code": force.code,
                    "record_id": int(candidate.record_id),
                    "subject_id": subjects.get(int(candidate.record_id)),
                    "probability": round(candidate.probability, 4),
                    "likely_same_person": candidate.band is Band.LINK,
                }
            )
        audit.record(
            session,
            actor=principal.actor(),
            action="person.search",
            force_id=force.id,
            reason=query.reason,
            details={
                "national": query.national,
                "results": len(candidates),
                "family_name": query.family_name,
            },
        )
    found.sort(key=lambda item: -item["probability"])
    return found[: limit * 3]
