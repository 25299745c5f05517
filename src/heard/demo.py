"""`heard demo`: a fresh SQLite database, a synthetic force, demo users, the server and worker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()


def demo(
    database: Annotated[Path, typer.Option(help="SQLite file, recreated")] = Path("var/demo.db"),
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Start the demo from nothing: new database, demo force and users, server and worker."""
    import uvicorn

    from heard.app import build_runtime, create_app
    from heard.auth import service
    from heard.cli_admin import DEMO_FORCE_CODE, DEMO_FORCE_NAME, demo_users, print_logins
    from heard.db import migrate
    from heard.settings import Environment, load_settings

    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    settings = load_settings(
        environment=Environment.DEMO,
        database_url=url,
        session_cookie_secure=False,
        log_json=False,
        host=host,
        port=port,
    )
    migrate.upgrade(url)
    runtime = build_runtime(settings)
    with runtime.db.transaction() as session:
        force = service.create_force(session, code=DEMO_FORCE_CODE, name=DEMO_FORCE_NAME)
        created = demo_users(session, force)
    print_logins(host, port, created)
    uvicorn.run(create_app(settings, runtime=runtime), host=host, port=port, log_config=None)
