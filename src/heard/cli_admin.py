"""CLI commands for forces, users, tokens and the demo."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from heard.auth.permissions import PERSON_ROLES, Permission, Role
from heard.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from heard.auth.models import Force

console = Console()
err = Console(stderr=True)


def settings_or_exit(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


DEMO_FORCE_CODE = "NMP"
DEMO_FORCE_NAME = "Northmoor Police (synthetic)"


def create_force(code: str, name: str) -> None:
    """Create a force (tenant)."""
    from heard.app import build_runtime
    from heard.auth import service

    runtime = build_runtime(settings_or_exit())
    with runtime.db.transaction() as session:
        force = service.create_force(session, code=code, name=name)
        console.print(f"[green]force {force.code} created[/green]")


def create_user(
    force: str,
    username: str,
    role: Role,
    display_name: Annotated[str, typer.Option(help="Name shown on screen")] = "",
    password: Annotated[str | None, typer.Option(help="Omit to generate one")] = None,
) -> None:
    """Create a person's account; prints a generated password if none is given."""
    from heard.app import build_runtime
    from heard.auth import service

    runtime = build_runtime(settings_or_exit())
    chosen = password or secrets.token_urlsafe(12)
    with runtime.db.transaction() as session:
        target = service.force_by_code(session, code=force)
        service.create_user(
            session,
            force=target,
            username=username,
            role=role,
            display_name=display_name or username,
            password=chosen,
        )
    console.print(f"[green]user {username} ({role.label}) created[/green]")
    if password is None:
        console.print(f"password: [bold]{chosen}[/bold]")


def create_token(
    force: str,
    name: str,
    permission: Annotated[list[Permission], typer.Option(help="Repeat for each permission")],
) -> None:
    """Create an API token for a system (CAD, telephony, monitoring); prints it once."""
    from heard.app import build_runtime
    from heard.audit.service import system_actor
    from heard.auth import service

    runtime = build_runtime(settings_or_exit())
    with runtime.db.transaction() as session:
        target = service.force_by_code(session, code=force)
        _, secret = service.create_token(
            session,
            force=target,
            name=name,
            permissions=frozenset(permission),
            actor=system_actor(target.id, reason_source="cli"),
        )
    console.print(f"token (shown once): [bold]{secret}[/bold]")


def demo_users(session: Session, force: Force) -> list[tuple[Role, str, str]]:
    from heard.auth import service

    created: list[tuple[Role, str, str]] = []
    for role in PERSON_ROLES:
        username = role.value.replace("_", ".")
        password = secrets.token_urlsafe(9)
        service.create_user(
            session,
            force=force,
            username=username,
            role=role,
            display_name=f"Demo {role.label}",
            password=password,
        )
        created.append((role, username, password))
    return created


def print_logins(host: str, port: int, created: list[tuple[Role, str, str]]) -> None:
    table = Table("role", "username", "password", title="Demo sign-ins (synthetic force)")
    for role, username, password in created:
        table.add_row(role.label, username, password)
    console.print(table)
    console.print(f"Open [bold]http://{host}:{port}/login[/bold] — Ctrl-C stops everything.")


def train_force_linking(
    force: Annotated[str, typer.Argument(help="Force code")],
    engine: Annotated[str, typer.Option(help="'heard' (built-in EM) or 'splink'")] = "heard",
) -> None:
    """Train linking weights on the force's own person records (no labels) and store them."""
    import json

    from heard.app import build_runtime
    from heard.audit import service as audit
    from heard.auth import service
    from heard.calls.index import MODEL_SETTING, records_after
    from heard.linking import Linker

    runtime = build_runtime(settings_or_exit())
    with runtime.db.transaction() as session:
        target = service.force_by_code(session, code=force)
        records = list(records_after(session, force_id=target.id, after_id=0))
        if engine == "splink":
            from heard.linking.splink_adapter import train_model

            model = train_model(records)
        elif engine == "heard":
            model = Linker.build(records).train()
        else:
            raise typer.BadParameter("engine must be 'heard' or 'splink'", param_hint="--engine")
        target.settings = {**target.settings, MODEL_SETTING: model.to_json()}
        audit.record(
            session,
            actor=audit.system_actor(target.id, reason_source="cli"),
            action="linking.train",
            details={"records": len(records), "engine": engine},
        )
    console.print(json.dumps({"force": force.upper(), "records": len(records), **model.trained}))
