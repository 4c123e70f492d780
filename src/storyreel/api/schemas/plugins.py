"""Plugins: the installed entries of each plugin group, with their options' JSON Schema
(what the studio builds its engine and voice forms from)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

# The groups' short names (storyreel.plugins.GROUPS), as the URL takes them.
GroupName = Literal["engines", "voices", "planners", "checks", "exporters"]


class PluginPublic(BaseModel):
    name: str
    # Where it is registered from: "package.module:Class".
    target: str
    summary: str
    # Why the entry could not be imported; its options are then unknown (empty).
    error: str | None = None
    # The entry's `Options` as JSON Schema (draft 2020-12, as pydantic writes it); an
    # entry without settings has an object schema with no properties.
    options_schema: dict[str, Any]


class PluginGroupPublic(BaseModel):
    group: GroupName
    # The Python entry-point group a package registers its entries in.
    entry_point_group: str
    # The entry a make uses when it names none (null: the group is optional).
    default: str | None
    plugins: list[PluginPublic]
