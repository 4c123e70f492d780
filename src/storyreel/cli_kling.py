"""`storyreel kling-keys create | list | revoke`: the key pairs that Kling API clients
use with this server's Kling-compatible endpoints (/v1/videos/...).

    storyreel kling-keys create --name "edit suite"   # prints the access and secret key
    storyreel kling-keys list
    storyreel kling-keys revoke ak0123...

Keys live in the server's store (`<projects root>/.studio/store.db`, mode 0600, or the
PostgreSQL database of STORYREEL_DATABASE_URL); a running server sees a change with its
next request. Mounted on the main command with `register(app)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from storyreel.api.kling_keys import KeyStore

console = Console()
keys_app = typer.Typer(
    help="Key pairs for this server's Kling-compatible API.", no_args_is_help=True
)

RootOpt = Annotated[
    Path | None,
    typer.Option("--root", help="Folder that holds the projects (default: STORYREEL_ROOT)."),
]


def _store(root: Path | None) -> KeyStore:
    # Imported here: the rest of the CLI should not pay for the API package's start-up.
    from storyreel.api.kling_keys import KeyStore
    from storyreel.api.settings import Settings

    return KeyStore.for_root(Settings.from_env(root=root).root)


@keys_app.command("create")
def create_command(
    name: Annotated[str, typer.Option(help="A label, to tell keys apart in the list.")] = "",
    root: RootOpt = None,
) -> None:
    """Issue a new access/secret key pair; the secret is shown only this once."""
    with _store(root) as store:
        record = store.create(name)
    console.print(f"access key: {record.access_key}", highlight=False)
    console.print(f"secret key: {record.secret_key}", highlight=False)
    where = store.path or "the server's database"
    console.print(f"(kept in {where}; the secret is not shown again)", highlight=False, style="dim")


@keys_app.command("list")
def list_command(root: RootOpt = None) -> None:
    """The key pairs, without their secrets."""
    with _store(root) as store:
        records = store.records()
    if not records:
        console.print("no keys yet; `storyreel kling-keys create` makes one")
        return
    table = Table("access key", "name", "created", "status")
    for record in records:
        status = "active" if record.active else f"revoked {record.revoked_at:%Y-%m-%d}"
        table.add_row(record.access_key, record.name, f"{record.created_at:%Y-%m-%d %H:%M}", status)
    console.print(table)


@keys_app.command("revoke")
def revoke_command(
    access_key: Annotated[str, typer.Argument(help="The access key to revoke.")],
    root: RootOpt = None,
) -> None:
    """Refuse the key pair's tokens from now on."""
    with _store(root) as store:
        record = store.revoke(access_key)
    console.print(f"revoked {record.access_key}", highlight=False)


def register(parent: typer.Typer) -> None:
    """Add `kling-keys` to the `storyreel` command."""
    parent.add_typer(keys_app, name="kling-keys")
