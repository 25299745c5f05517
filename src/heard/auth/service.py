"""Use cases for forces, people's accounts, sessions and system tokens. Callers commit."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from heard import errors
from heard.audit import service as audit
from heard.audit.service import Actor
from heard.auth.models import ApiToken, Force, User, UserSession
from heard.auth.permissions import ROLE_PERMISSIONS, Permission, Role
from heard.auth.principal import Principal
from heard.auth.security import hash_password, new_token, token_digest, verify_password
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.events import UserLockedOut
from heard.runtime import LoginLimits


def create_force(session: Session, *, code: str, name: str) -> Force:
    code = code.strip().upper()
    if not code.isalnum() or not 2 <= len(code) <= 8:
        raise errors.Invalid("force code must be 2-8 letters or digits, e.g. WMP")
    if session.scalar(select(Force).where(Force.code == code)) is not None:
        raise errors.Conflict(f"force {code} already exists")
    force = Force(code=code, name=name, settings={})
    session.add(force)
    session.flush()
    audit.ensure_chain(session, force_id=force.id)
    return force


def force_by_code(session: Session, *, code: str) -> Force:
    force = session.scalar(select(Force).where(Force.code == code.upper()))
    if force is None:
        raise errors.NotFound(f"no force with code {code!r}")
    return force


def create_user(
    session: Session,
    *,
    force: Force,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    actor: Actor | None = None,
) -> User:
    if role is Role.SYSTEM:
        raise errors.Invalid("systems use API tokens, not user accounts")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise errors.Conflict(f"username {username!r} is taken")
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise errors.Invalid(str(exc)) from exc
    user = User(
        force_id=force.id,
        username=username,
        display_name=display_name,
        role=role,
        password_hash=password_hash,
    )
    session.add(user)
    session.flush()
    who = actor or audit.system_actor(force.id, reason_source="setup")
    audit.record(
        session,
        actor=who,
        action="user.create",
        force_id=force.id,
        record_type="user",
        record_id=user.id,
        details={"role": role.value},
    )
    return user


def authenticate(
    session: Session, *, username: str, password: str, policy: LoginLimits, client_addr: str | None
) -> User:
    """Check a password; lock the account after repeated failures. Failures are audited."""
    user = session.scalar(select(User).where(User.username == username).with_for_update())
    now = utcnow()
    if user is None:
        verify_password(None, password)  # same cost as a real check
        raise errors.NotAuthenticated("username or password not recognised")
    actor = Actor(
        user_id=user.id,
        username=user.username,
        role=user.role.value,
        force_id=user.force_id,
        client_addr=client_addr,
    )
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, actor=actor, action="login.refused_locked")
        raise errors.Locked(
            "this account is locked after repeated failed sign-ins; "
            "try again later or ask a supervisor to unlock it"
        )
    if not user.active or not verify_password(user.password_hash, password):
        user.failed_logins += 1
        audit.record(session, actor=actor, action="login.failed")
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + policy.lockout
            user.failed_logins = 0
            audit.record(session, actor=actor, action="user.locked_out")
            record_event(session, UserLockedOut(force_id=user.force_id, user_id=user.id))
        raise errors.NotAuthenticated("username or password not recognised")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(session, actor=actor, action="login.succeeded")
    return user


def open_session(
    session: Session, *, user: User, policy: LoginLimits, client_addr: str | None
) -> str:
    """Returns the opaque session token for the cookie; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            token_hash=token_digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + policy.session_ttl,
            client_addr=client_addr,
        )
    )
    session.flush()
    return token


def principal_from_session(session: Session, *, token: str) -> Principal | None:
    row = session.execute(
        select(UserSession, User, Force)
        .join(User, User.id == UserSession.user_id)
        .join(Force, Force.id == User.force_id)
        .where(UserSession.token_hash == token_digest(token))
    ).one_or_none()
    if row is None:
        return None
    user_session, user, force = row
    now = utcnow()
    if user_session.revoked_at is not None or user_session.expires_at <= now or not user.active:
        return None
    if user.locked_until is not None and user.locked_until > now:
        return None
    return Principal(
        kind="user",
        id=user.id,
        name=user.username,
        display_name=user.display_name,
        role=user.role,
        force_id=force.id,
        force_code=force.code,
        permissions=ROLE_PERMISSIONS[user.role],
        session_id=user_session.id,
        csrf_token=user_session.csrf_token,
    )


def revoke_session(session: Session, *, session_id: int) -> None:
    user_session = session.get(UserSession, session_id)
    if user_session is not None and user_session.revoked_at is None:
        user_session.revoked_at = utcnow()


def create_token(
    session: Session,
    *,
    force: Force,
    name: str,
    permissions: frozenset[Permission],
    actor: Actor,
    expires_in: timedelta | None = None,
) -> tuple[ApiToken, str]:
    ceiling = ROLE_PERMISSIONS[Role.SYSTEM]
    beyond = sorted(p.value for p in permissions - ceiling)
    if beyond:
        raise errors.Invalid(f"a system token cannot hold: {', '.join(beyond)}")
    if not permissions:
        raise errors.Invalid("a token needs at least one permission")
    secret = new_token()
    token = ApiToken(
        force_id=force.id,
        name=name,
        prefix=secret[:12],
        token_hash=token_digest(secret),
        permissions=sorted(p.value for p in permissions),
        created_by=actor.user_id,
        expires_at=utcnow() + expires_in if expires_in else None,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="token.create",
        force_id=force.id,
        record_type="api_token",
        record_id=token.id,
        details={"name": name, "permissions": token.permissions},
    )
    return token, secret


# Every request a system makes checks its token: built once, not on every request.
_TOKEN_AND_FORCE = (
    select(ApiToken, Force)
    .join(Force, Force.id == ApiToken.force_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)
# last_used_at says whether a token is still in use, not when exactly: it is written at most
# this often, so most requests (each 999 call from a CAD among them) carry one write fewer.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def principal_from_token(session: Session, *, secret: str) -> Principal | None:
    row = session.execute(_TOKEN_AND_FORCE, {"token_hash": token_digest(secret)}).one_or_none()
    if row is None:
        return None
    token, force = row
    now = utcnow()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    last = token.last_used_at
    if last is None or last > now or now - last >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return Principal(
        kind="token",
        id=token.id,
        name=f"token:{token.name}",
        display_name=token.name,
        role=Role.SYSTEM,
        force_id=force.id,
        force_code=force.code,
        permissions=frozenset(Permission(p) for p in token.permissions),
    )


def revoke_token(session: Session, *, force_id: int, token_id: int, actor: Actor) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or token.force_id != force_id:
        raise errors.NotFound("no such token in your force")
    token.revoked_at = utcnow()
    audit.record(
        session, actor=actor, action="token.revoke", record_type="api_token", record_id=token.id
    )
    return token


def list_users(session: Session, *, force_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.force_id == force_id).order_by(User.id)))


def list_tokens(session: Session, *, force_id: int) -> list[ApiToken]:
    return list(
        session.scalars(select(ApiToken).where(ApiToken.force_id == force_id).order_by(ApiToken.id))
    )


def unlock_user(session: Session, *, force_id: int, user_id: int, actor: Actor) -> User:
    user = session.get(User, user_id)
    if user is None or user.force_id != force_id:
        raise errors.NotFound("no such user in your force")
    user.locked_until, user.failed_logins = None, 0
    audit.record(session, actor=actor, action="user.unlock", record_type="user", record_id=user.id)
    return user
