"""Records for risk and referral tests: a DA call, assessments, MARAC referrals, a directory."""

from __future__ import annotations

from itertools import count
from typing import Any

from heard.audit.service import system_actor
from heard.calls import service as calls
from heard.calls.index import LinkIndexes
from heard.calls.schemas import CallIn
from heard.db.uow import Database
from heard.risk import drafts, marac_service
from heard.risk import service as risk
from heard.risk.assessments import Assessment
from heard.risk.drafts import RiskConfig
from heard.risk.instruments import Policies, default_catalogue
from tests.support.world import World

CONFIG = RiskConfig(default_catalogue(), Policies())
_refs = count(1)


def da_call(
    db: Database,
    world: World,
    force: str = "WMP",
    *,
    free_text: str | None = None,
    child: bool = True,
    at: str = "2026-11-30T21:00:00Z",
    family: str | None = None,
) -> dict[str, Any]:
    """A domestic abuse call: victim, suspect (former partners) and, by default, a child present.

    Each call has new people unless `family` is given: calls with the same family name have the
    same victim (same name, date of birth, phone and address), as a linker would find her.
    """
    ref = next(_refs)
    surname = family or f"Haddad{ref}"
    people: list[dict[str, Any]] = [
        {
            "role": "victim",
            "given_name": "Amira",
            "family_name": surname,
            "date_of_birth": "1991-04-12",
            "phone": "07700 900123",
            "address": "7 Ingleby Road",
        },
        {"role": "suspect", "given_name": "Daniel", "family_name": f"Kowalski{family or ref}"},
    ]
    if child:
        people.append(
            {
                "role": "child_present",
                "given_name": "Layla",
                "family_name": surname,
                "date_of_birth": "2018-02-03",
            }
        )
    body = CallIn.model_validate(
        {
            "source_ref": f"RISK-{force}-{ref}",
            "channel": "999",
            "received_at": at,
            "address": "7 Ingleby Road",
            "postcode": "TS24 1GZ",
            "free_text": free_text,
            "people": people,
            "relationship": {"connection": "intimate_relationship", "former": True},
        }
    )
    force_id = world.forces[force]
    with db.transaction() as session:
        index = LinkIndexes().for_force(session, force_id=force_id)
        result = calls.intake(
            session, force_id=force_id, body=body, actor=system_actor(force_id), index=index
        )
        by_role = {role.value: rec for rec, role, _ in result.people}
        return {
            "call_id": result.call.id,
            "incident_id": result.call.incident_id,
            "victim_record_id": by_role["victim"].id,
            "suspect_record_id": by_role["suspect"].id,
            "child_record_id": by_role["child_present"].id if child else None,
            "victim_subject_id": by_role["victim"].subject_id,
            "child_subject_id": by_role["child_present"].subject_id if child else None,
        }


def draft(db: Database, world: World, force: str = "WMP", **kwargs: Any) -> dict[str, Any]:
    call = da_call(db, world, force, **kwargs)
    force_id = world.forces[force]
    with db.transaction() as session:
        assessment = risk.start(
            session,
            force_id=force_id,
            force_code=force,
            incident_id=call["incident_id"],
            victim_record_id=call["victim_record_id"],
            instrument_id="dash-acpo-27",
            call_id=call["call_id"],
            cue_codes=(),
            actor=system_actor(force_id),
            config=CONFIG,
        )
        return {**call, "assessment_id": assessment.id}


def submitted(db: Database, world: World, yes: int = 0, **kwargs: Any) -> dict[str, Any]:
    made = draft(db, world, **kwargs)
    force_id = world.forces[kwargs.get("force", "WMP")]
    from heard.risk.instruments import Answer, Response

    with db.transaction() as session:
        assessment = session.get_one(Assessment, made["assessment_id"])
        answers = {str(i): Response(Answer.YES) for i in range(1, yes + 1)}
        drafts.record_answers(
            session,
            assessment=assessment,
            answers=answers,
            actor=system_actor(force_id),
            config=CONFIG,
        )
        risk.submit(
            session,
            assessment=assessment,
            judgement=None,
            force_code=kwargs.get("force", "WMP"),
            actor=system_actor(force_id),
            config=CONFIG,
        )
        made["marac_referral_id"] = assessment.marac_referral_id
    return made


def marac_referral(db: Database, world: World) -> dict[str, Any]:
    call = da_call(db, world)
    force_id = world.forces["WMP"]
    with db.transaction() as session:
        referral = marac_service.raise_referral(
            session,
            force_id=force_id,
            victim_record_id=call["victim_record_id"],
            incident_id=call["incident_id"],
            criteria=["professional_judgement"],
            actor=system_actor(force_id),
        )
        return {**call, "referral_id": referral.id}


def seed_directory(db: Database, world: World, force: str = "WMP") -> dict[str, int]:
    """Synthetic directory; returns service ids by kind and school ids by URN."""
    from sqlalchemy import select

    from heard.referrals import directory
    from heard.referrals.models import School, SupportService

    force_id = world.forces[force]
    with db.transaction() as session:
        directory.seed_synthetic(session, force_id=force_id, force_code=force)
        ids = {
            s.kind.value: s.id
            for s in session.scalars(
                select(SupportService).where(SupportService.force_id == force_id)
            )
        }
        ids.update(
            {
                f"school-{s.urn}": s.id
                for s in session.scalars(select(School).where(School.force_id == force_id))
            }
        )
        return ids
