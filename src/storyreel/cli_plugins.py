"""`storyreel plugins`: every plugin group, its installed entries and their options.

    storyreel plugins                 # a table per group
    storyreel plugins voices --json   # one group, as JSON (with each entry's JSON Schema)

Mounted on the main command with `register(app)`. Listing imports each entry's module
but builds none of them: no weights are read, no server is called, and the generative
engines import torch only when they render.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storyreel.plugins import GROUPS, PluginInfo, describe

console = Console()


def plugins_command(
    group: Annotated[
        str | None,
        typer.Argument(help=f"Only this group: {', '.join(GROUPS)}.", show_default=False),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON, with each entry's options as JSON Schema.")
    ] = False,
) -> None:
    """List the plugin groups, their installed entries and each entry's options."""
    if group is not None and group not in GROUPS:
        raise typer.BadParameter(f"no plugin group {group!r}; groups: {', '.join(GROUPS)}")
    chosen = [group] if group else list(GROUPS)
    found = {name: describe(GROUPS[name]) for name in chosen}
    if as_json:
        data = {name: [_as_json(info) for info in infos] for name, infos in found.items()}
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    for name, infos in found.items():
        console.print(_table(name, infos))


def _as_json(info: PluginInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "target": info.target,
        "summary": info.summary,
        "error": info.error,
        "options": [asdict(option) for option in info.options],
        "schema": info.schema,
    }


def _table(group: str, infos: list[PluginInfo]) -> Table:
    title = f"{group} ({GROUPS[group]})"
    table = Table(
        "plugin", "option", "type", "default", "limits", title=title, title_justify="left"
    )
    if not infos:
        table.add_row("[dim]none installed[/]", "", "", "", "")
    for info in infos:
        if info.error is not None:
            table.add_row(info.name, f"[red]cannot load: {escape(str(info.error))}[/]", "", "", "")
            continue
        options = info.options
        if not options:
            table.add_row(info.name, "[dim]no options[/]", "", "", "")
        for i, option in enumerate(options):
            default = "required" if option.required else _shown(option.default)
            first = info.name if i == 0 else ""
            table.add_row(first, option.name, option.type, default, option.limits)
        table.add_section()
    return table


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value or '""'
    return json.dumps(value, ensure_ascii=False)


def register(app: typer.Typer) -> None:
    app.command("plugins")(plugins_command)
