from __future__ import annotations

from typing import get_args

from fastapi import APIRouter

from storyreel.api.deps import Authenticated, SettingsDep
from storyreel.api.schemas import errors
from storyreel.api.schemas.plugins import GroupName, PluginGroupPublic, PluginPublic
from storyreel.api.settings import Settings
from storyreel.plugins import GROUPS, describe

router = APIRouter(
    prefix="/api/plugins", tags=["plugins"], dependencies=[Authenticated], responses=errors()
)

# What a make uses when its request names none, besides the server's engine.
DEFAULTS: dict[str, str] = {"voices": "auto", "planners": "rules"}


def group_public(group: GroupName, settings: Settings) -> PluginGroupPublic:
    default = settings.engine if group == "engines" else DEFAULTS.get(group)
    plugins = [
        PluginPublic(
            name=info.name,
            target=info.target,
            summary=info.summary,
            error=info.error,
            options_schema=info.schema,
        )
        for info in describe(GROUPS[group])
    ]
    return PluginGroupPublic(
        group=group, entry_point_group=GROUPS[group], default=default, plugins=plugins
    )


@router.get("", summary="Every plugin group with its entries and their options' JSON Schema")
def list_plugins(settings: SettingsDep) -> list[PluginGroupPublic]:
    return [group_public(group, settings) for group in get_args(GroupName)]


@router.get("/{group}", summary="One plugin group's entries and their options' JSON Schema")
def get_plugin_group(group: GroupName, settings: SettingsDep) -> PluginGroupPublic:
    return group_public(group, settings)
