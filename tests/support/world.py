"""Two synthetic forces with one person per role and a system token each, built fast for tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.auth import service as auth
from heard.auth.models import Force, User
from heard.auth.permissions import PERSON_ROLES, ROLE_PERMISSIONS, Permission, Role
from heard.auth.security import hash_password
from heard.db.uow import Database
from heard.runtime import LoginLimits

PASSWORD = "synthetic-pass-phrase-1"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 once per test process, not once per user


@dataclass
class Persona:
    force_code: str
    role: Role
    username: str
    user_id: int
    session_token: str = ""
    csrf_token: str = ""


@dataclass
class World:
    forces: dict[str, int] = field(default_factory=dict)
    personas: dict[tuple[str, Role], Persona] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def persona(self, force_code: str, role: Role) -> Persona:
        return self.personas[(force_code, role)]

    def client_for(self, client: TestClient, force_code: str, role: Role) -> TestClient:
        persona = self.persona(force_code, role)
        client.cookies.clear()
        client.cookies.set("heard_session", persona.session_token)
        client.headers["x-csrf-token"] = persona.csrf_token
        client.headers.pop("authorization", None)
        return client

    def token_client(self, client: TestClient, force_code: str) -> TestClient:
        client.cookies.clear()
        client.headers.pop("x-csrf-token", None)
        client.headers["authorization"] = f"Bearer {self.tokens[force_code]}"
        return client


LIMITS = LoginLimits(
    max_failures=3,
    lockout=timedelta(minutes=15),
    session_ttl=timedelta(hours=1),
)


def _add_user(session: Session, force: Force, role: Role) -> User:
    user = User(
        force_id=force.id,
        username=f"{force.code.lower()}.{role.value}",
        display_name=f"{force.code} {role.label}",
        role=role,
        password_hash=password_hash(),
    )
    session.add(user)
    session.flush()
    return user


def build_world(db: Database, force_codes: tuple[str, ...] = ("WMP", "NMP")) -> World:
    world = World()
    with db.transaction() as session:
        for code in force_codes:
            force = auth.create_force(session, code=code, name=f"Synthetic force {code}")
            world.forces[code] = force.id
            for role in PERSON_ROLES:
                user = _add_user(session, force, role)
                token = auth.open_session(session, user=user, policy=LIMITS, client_addr=None)
                principal = auth.principal_from_session(session, token=token)
                assert principal is not None and principal.csrf_token
                world.personas[(code, role)] = Persona(
                    code, role, user.username, user.id, token, principal.csrf_token
                )
            _, secret = auth.create_token(
                session,
                force=force,
                name=f"{code} CAD",
                permissions=ROLE_PERMISSIONS[Role.SYSTEM],
                actor=audit.system_actor(force.id, reason_source="test"),
            )
            world.tokens[code] = secret
    return world


def roles_with(permission: Permission) -> set[Role]:
    return {r for r in PERSON_ROLES if permission in ROLE_PERMISSIONS[r]}
