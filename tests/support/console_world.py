"""Console fixtures shared by persona specs and tests: domestic abuse calls in a state to act on."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from heard.audit.service import Actor, system_actor
from heard.auth import service as auth
from heard.auth.models import User
from heard.auth.permissions import Role
from heard.calls import service as calls
from heard.calls.hooks import CallChange
from heard.calls.index import LinkIndexes
from heard.calls.schemas import CallIn
from heard.clock import utcnow
from heard.db.uow import Database
from heard.review import advice, hooks, officers, outcomes, service
from heard.review.models import Audience
from heard.review.outcomes import OutcomeDraft
from tests.support.world import LIMITS, Persona, World, password_hash

_refs = itertools.count(1)


def da_call_body(
    ref: str,
    *,
    victim: str = "Amira Haddad",
    suspect: str = "Dean Marsh",
    received_at: datetime | None = None,
    grade: str | None = None,
) -> dict[str, Any]:
    """A synthetic domestic abuse call: a victim and a suspect in an intimate relationship."""
    given_v, family_v = victim.split(" ", 1)
    given_s, family_s = suspect.split(" ", 1)
    return {
        "source_ref": ref,
        "channel": "999",
        "received_at": (received_at or utcnow()).isoformat(),
        **({"grade": grade} if grade else {}),
        "free_text": "Caller says her partner is shouting and she is frightened.",
        "people": [
            {"role": "victim", "given_name": given_v, "family_name": family_v},
            {"role": "suspect", "given_name": given_s, "family_name": family_s},
        ],
        "relationship": {"connection": "intimate_relationship"},
    }


def actor_for(world: World, force: str, role: Role, *, user_id: int | None = None) -> Actor:
    persona = world.persona(force, role)
    return Actor(
        user_id=user_id or persona.user_id,
        username=persona.username,
        role=role.value,
        force_id=world.forces[force],
    )


def da_call(db: Database, world: World, force: str = "WMP", **details: Any) -> int:
    force_id = world.forces[force]
    body = CallIn.model_validate(da_call_body(f"CONSOLE-{next(_refs)}", **details))
    with db.transaction() as session:
        index = LinkIndexes().for_force(session, force_id=force_id)
        actor = system_actor(force_id)
        result = calls.intake(session, force_id=force_id, body=body, actor=actor, index=index)
        # What intake's call hooks do in the API: the call joins the specialist queue.
        hooks.on_call_change(session, result.call, CallChange.RECEIVED, actor)
        return result.call.id


def claimed_call(db: Database, world: World, force: str = "WMP") -> int:
    call_id = da_call(db, world, force)
    with db.transaction() as session:
        call = calls.find_call(session, force_id=world.forces[force], call_id=call_id)
        service.claim(session, call=call, actor=actor_for(world, force, Role.DA_SPECIALIST))
    return call_id


def another_specialist(db: Database, world: World, force: str = "WMP") -> int:
    with db.transaction() as session:
        user = User(
            force_id=world.forces[force],
            username=f"{force.lower()}.specialist.{next(_refs)}",
            display_name=f"{force} Second Specialist",
            role=Role.DA_SPECIALIST,
            password_hash=password_hash(),
        )
        session.add(user)
        session.flush()
        return user.id


def another_officer(db: Database, world: World, force: str = "WMP") -> Persona:
    """A second attending officer with a signed-in session (the world has one per force)."""
    return _signed_in(db, world, force, Role.ATTENDING_OFFICER, "Second Officer")


def another_specialist_persona(db: Database, world: World, force: str = "WMP") -> Persona:
    return _signed_in(db, world, force, Role.DA_SPECIALIST, "Second Specialist")


def _signed_in(db: Database, world: World, force: str, role: Role, name: str) -> Persona:
    with db.transaction() as session:
        user = User(
            force_id=world.forces[force],
            username=f"{force.lower()}.{role.value}.{next(_refs)}",
            display_name=f"{force} {name}",
            role=role,
            password_hash=password_hash(),
        )
        session.add(user)
        session.flush()
        token = auth.open_session(session, user=user, policy=LIMITS, client_addr=None)
        principal = auth.principal_from_session(session, token=token)
        assert principal is not None and principal.csrf_token
        return Persona(force, role, user.username, user.id, token, principal.csrf_token)


def reviewed_call(db: Database, world: World, force: str = "WMP") -> int:
    call_id = claimed_call(db, world, force)
    draft = OutcomeDraft(True, None, (), False, None, "Good questions about the children.")
    with db.transaction() as session:
        call = calls.find_call(session, force_id=world.forces[force], call_id=call_id)
        outcomes.record(
            session, call=call, actor=actor_for(world, force, Role.DA_SPECIALIST), draft=draft
        )
    return call_id


def assigned_incident(db: Database, world: World, force: str = "WMP") -> tuple[int, int]:
    """A domestic abuse call whose incident has the force's officer persona assigned."""
    call_id = da_call(db, world, force)
    with db.transaction() as session:
        call = calls.find_call(session, force_id=world.forces[force], call_id=call_id)
        officers.assign(
            session,
            call=call,
            actor=actor_for(world, force, Role.CALL_HANDLER),
            officer_user_id=world.persona(force, Role.ATTENDING_OFFICER).user_id,
        )
        assert call.incident_id is not None
        return call_id, call.incident_id


def officer_advice(db: Database, world: World, force: str = "WMP") -> tuple[int, int]:
    call_id, _ = assigned_incident(db, world, force)
    specialist = actor_for(world, force, Role.DA_SPECIALIST)
    with db.transaction() as session:
        call = calls.find_call(session, force_id=world.forces[force], call_id=call_id)
        service.claim(session, call=call, actor=specialist)
        message = advice.send(
            session,
            call=call,
            actor=specialist,
            audience=Audience.OFFICERS,
            text="Ask about the knife he mentioned last month.",
            urgent=True,
        )
        return call_id, message.id
