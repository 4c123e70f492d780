"""A project's lasting id, kept in its state folder (.storyreel/project-id).

Seeds and the store's rows hang off this id rather than off the folder's path, so a
project that is moved or renamed keeps its takes, versions and seeds.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from storyreel.project import Project

ID_FILE = "project-id"


def project_uid(project: Project) -> str:
    """The project's id, created on first use; two processes racing agree on one."""
    return folder_uid(project.state_dir / ID_FILE)


def folder_uid(path: Path) -> str:
    """The id kept in `path` (a project's or a studio server's), created on first use;
    two processes racing agree on one."""
    existing = _read(path)
    if existing:
        return existing
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    tmp.write_text(uuid.uuid4().hex + "\n", encoding="ascii")
    try:
        # link() fails when the name exists: the first writer wins, the rest read it.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    found = _read(path)
    assert found, f"{path} was just written"
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None
