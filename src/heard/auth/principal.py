"""Who is making a request: a signed-in person or a system token."""

from __future__ import annotations

from dataclasses import dataclass, field

from heard.audit.service import Actor
from heard.auth.permissions import NATIONAL_ROLES, ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True, kw_only=True)
class Principal:
    kind: str  # "user" or "token"
    id: int
    name: str
    role: Role
    force_id: int
    force_code: str
    permissions: frozenset[Permission]
    session_id: int | None = None
    csrf_token: str | None = None
    request_id: str | None = None
    client_addr: str | None = None
    display_name: str = field(default="")

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def national(self) -> bool:
        return self.role in NATIONAL_ROLES

    def may_see_force(self, force_id: int) -> bool:
        return force_id == self.force_id or self.can(Permission.CROSS_FORCE_SEARCH)

    def actor(self) -> Actor:
        return Actor(
            user_id=self.id if self.kind == "user" else None,
            username=self.name,
            role=self.role.value,
            force_id=self.force_id,
            request_id=self.request_id,
            client_addr=self.client_addr,
        )


def permissions_for(role: Role) -> frozenset[Permission]:
    return ROLE_PERMISSIONS[role]
