"""Request and response bodies, one module per resource (Base / Create / Update /
Public), and `ErrorPublic`, the body of every 4xx answer."""

from storyreel.api.schemas.cast import SubjectPublic, SubjectUpdate, VoicePublic
from storyreel.api.schemas.common import ErrorPublic, errors, media
from storyreel.api.schemas.health import HealthPublic
from storyreel.api.schemas.makes import MakeCreate, MakePublic, ProgressPublic, ShotEventPublic
from storyreel.api.schemas.plugins import PluginGroupPublic, PluginPublic
from storyreel.api.schemas.projects import ProjectCreate, ProjectPublic, ProjectUpdate
from storyreel.api.schemas.script import ScriptPreview, ScriptPublic, ScriptUpdate
from storyreel.api.schemas.storyboard import (
    OptionsPublic,
    ShotOrder,
    ShotPublic,
    ShotUpdate,
    StoryboardPublic,
)
from storyreel.api.schemas.takes import CheckPublic, TakePublic
from storyreel.api.schemas.versions import VersionDiffPublic, VersionPublic

__all__ = [
    "CheckPublic",
    "ErrorPublic",
    "HealthPublic",
    "MakeCreate",
    "MakePublic",
    "OptionsPublic",
    "PluginGroupPublic",
    "PluginPublic",
    "ProgressPublic",
    "ProjectCreate",
    "ProjectPublic",
    "ProjectUpdate",
    "ScriptPreview",
    "ScriptPublic",
    "ScriptUpdate",
    "ShotEventPublic",
    "ShotOrder",
    "ShotPublic",
    "ShotUpdate",
    "StoryboardPublic",
    "SubjectPublic",
    "SubjectUpdate",
    "TakePublic",
    "VersionDiffPublic",
    "VersionPublic",
    "VoicePublic",
    "errors",
    "media",
]
