"""HTTP endpoints for the signed-in identity, user accounts and system tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends

from heard.auth import service
from heard.auth.deps import PrincipalDep, UowDep, require
from heard.auth.models import Force
from heard.auth.permissions import Permission
from heard.auth.principal import Principal
from heard.auth.schemas import MeOut, TokenCreatedOut, TokenIn, TokenOut, UserIn, UserOut

router = APIRouter(prefix="/api/v1", tags=["access"])
UserAdmin = Annotated[Principal, Depends(require(Permission.USER_MANAGE))]
TokenAdmin = Annotated[Principal, Depends(require(Permission.TOKEN_MANAGE))]


@router.get("/me", response_model=MeOut)
def who_am_i(principal: PrincipalDep) -> MeOut:
    return MeOut(
        kind=principal.kind,
        name=principal.name,
        display_name=principal.display_name,
        role=principal.role,
        force_code=principal.force_code,
        permissions=sorted(principal.permissions),
    )


@router.get("/admin/users", response_model=list[UserOut])
def list_users(principal: UserAdmin, uow: UowDep) -> list[UserOut]:
    users = service.list_users(uow.session, force_id=principal.force_id)
    return [UserOut.model_validate(u) for u in users]


@router.post("/admin/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, principal: UserAdmin, uow: UowDep) -> UserOut:
    force = uow.session.get_one(Force, principal.force_id)
    user = service.create_user(
        uow.session,
        force=force,
        username=body.username,
        display_name=body.display_name,
        role=body.role,
        password=body.password,
        actor=principal.actor(),
    )
    uow.commit()
    return UserOut.model_validate(user)


@router.post("/admin/users/{user_id}/unlock", response_model=UserOut)
def unlock_user(user_id: int, principal: UserAdmin, uow: UowDep) -> UserOut:
    user = service.unlock_user(
        uow.session, force_id=principal.force_id, user_id=user_id, actor=principal.actor()
    )
    uow.commit()
    return UserOut.model_validate(user)


@router.get("/admin/tokens", response_model=list[TokenOut])
def list_tokens(principal: TokenAdmin, uow: UowDep) -> list[TokenOut]:
    tokens = service.list_tokens(uow.session, force_id=principal.force_id)
    return [TokenOut.model_validate(t) for t in tokens]


@router.post("/admin/tokens", response_model=TokenCreatedOut, status_code=201)
def create_token(body: TokenIn, principal: TokenAdmin, uow: UowDep) -> TokenCreatedOut:
    force = uow.session.get_one(Force, principal.force_id)
    token, secret = service.create_token(
        uow.session,
        force=force,
        name=body.name,
        permissions=frozenset(body.permissions),
        actor=principal.actor(),
        expires_in=timedelta(days=body.expires_in_days) if body.expires_in_days else None,
    )
    uow.commit()
    return TokenCreatedOut(**TokenOut.model_validate(token).model_dump(), secret=secret)


@router.post("/admin/tokens/{token_id}/revoke", response_model=TokenOut)
def revoke_token(token_id: int, principal: TokenAdmin, uow: UowDep) -> TokenOut:
    token = service.revoke_token(
        uow.session, force_id=principal.force_id, token_id=token_id, actor=principal.actor()
    )
    uow.commit()
    return TokenOut.model_validate(token)
