"""`storyreel serve`: the web studio and its REST API on one port.

    storyreel serve --root ~/films           # prints http://127.0.0.1:8000/#token=...

Mounted on the main command with `register(app)`. Settings come from `STORYREEL_*`
variables (see `storyreel.api.settings`); the flags here win over them.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    root: Annotated[
        Path | None,
        typer.Option(help="Folder that holds the projects (default: STORYREEL_ROOT)."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token clients must send (default: STORYREEL_TOKEN, else a new one).",
            envvar=None,
        ),
    ] = None,
) -> None:
    """Serve the web studio and the REST API."""
    # Imported here: the rest of the CLI should not pay for FastAPI's start-up.
    import uvicorn

    from storyreel.api import Settings, create_app

    settings = Settings.from_env(root=root, token=token)
    made_up = not settings.token
    if made_up:
        # A fresh token per start: a studio left running is not open to the network.
        settings = settings.model_copy(update={"token": secrets.token_urlsafe(24)})
    app = create_app(settings)
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/#token={settings.token}"
    console.print(f"storyreel studio: projects in {settings.root.resolve()}", highlight=False)
    console.print(f"open {url}", highlight=False, soft_wrap=True)
    if made_up:
        console.print(
            "(the token is new each start; set STORYREEL_TOKEN or --token to keep one)",
            highlight=False,
        )
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(parent: typer.Typer) -> None:
    """Add `serve` to the `storyreel` command."""
    parent.command("serve")(serve_command)
