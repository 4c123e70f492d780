"""Builders and job functions shared by the run tests (module level, so picklable)."""

from __future__ import annotations

import contextlib
import os
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

from storyreel.errors import EngineError
from storyreel.model import Character, Setting, Shot, ShotLine, ShotSize
from storyreel.render.engine import RenderRequest
from storyreel.run.executors import ProgressFn

MEI = Character(name="MEI", description="20s, red raincoat")


def shot(shot_id: str = "1", **changes: object) -> Shot:
    fields: dict[str, object] = {
        "id": shot_id,
        "scene": 1,
        "size": ShotSize.medium,
        "duration": 0.25,
        "subjects": ["MEI"],
        "setting": Setting(location="HILLTOP PARK", interior="ext", time="day"),
        "lines": [ShotLine(character="MEI", text="The wind is up.", lang="en")],
    }
    fields.update(changes)
    return Shot.model_validate(fields)


def request(out_path: Path, the_shot: Shot | None = None, **changes: object) -> RenderRequest:
    fields: dict[str, object] = {
        "shot": the_shot or shot(),
        "cast": [MEI],
        "width": 96,
        "height": 64,
        "fps": 12,
        "out_path": out_path,
        "seed": 11,
    }
    fields.update(changes)
    return RenderRequest(**fields)  # type: ignore[arg-type]


def square(n: int, progress: ProgressFn) -> int:
    progress(0.5)
    progress(1.0)
    return n * n


def square_or_fail(n: int, progress: ProgressFn) -> int:
    if n == 3:
        raise EngineError(f"shot {n}: the engine ran out of film")
    if n == 4:
        raise ZeroDivisionError("division by zero")
    return n * n


def worker_pid(_: int, progress: ProgressFn) -> int:
    time.sleep(0.2)  # long enough that both workers get a job
    return os.getpid()


def die_on_zero(n: int, progress: ProgressFn) -> int:
    """Job 0 ends its worker process as a crash or the kernel's OOM killer would; any
    other returns the worker's pid."""
    if n == 0:
        os._exit(1)
    time.sleep(0.2)
    return os.getpid()


def sleep_forever(marker_dir: str, progress: ProgressFn) -> None:
    """Say which process is running, then block until killed."""
    Path(marker_dir, f"{os.getpid()}.pid").write_text("running")
    time.sleep(600)


@contextlib.contextmanager
def installed_engine(site: Path, module: str, source: str, entry: str) -> Iterator[None]:
    """A third-party engine installed the way any plugin is: a distribution whose
    entry_points.txt names it in storyreel.engines (`entry` is "name = module:Class")."""
    with installed_plugins(site, module, source, {"storyreel.engines": [entry]}):
        yield


@contextlib.contextmanager
def installed_plugins(
    site: Path, module: str, source: str, entries: dict[str, list[str]]
) -> Iterator[None]:
    """A third-party package installed the way any plugin is: `module` (its `source`)
    and a distribution whose entry_points.txt lists `entries` ("name = module:Class")
    under each entry-point group, on sys.path until the block ends."""
    site.mkdir(parents=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source))
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    groups = "".join(
        f"[{group}]\n" + "".join(f"{e}\n" for e in lines) + "\n" for group, lines in entries.items()
    )
    (info / "entry_points.txt").write_text(groups)
    sys.path.insert(0, str(site))
    try:
        yield
    finally:
        sys.path.remove(str(site))
        sys.modules.pop(module, None)
