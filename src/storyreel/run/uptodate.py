"""Is a make up to date? Answered before anything heavy is imported.

Running the same `storyreel make` command line again, in the same folder, when none of
the files the last make read or wrote has changed since (the story, the storyboard
file, the cast folder, the sound beds, the project's store, the film and its subtitles,
storyreel's own code and the installed packages), cannot make a different film. The
launcher checks for that with `stat` calls alone and answers in a few milliseconds;
anything else takes the full path, which is itself incremental.

Only the standard library is imported here: the point is to skip the imports.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# The command line the launcher was started with; None when storyreel runs some other
# way (tests, the API), and then no stamp is written.
command: list[str] | None = None


def stamp_folder() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "storyreel" / "up-to-date"


def command_key(argv: Sequence[str]) -> str:
    """The command in its setting: the same words mean the same make only from the same
    folder, with the same interpreter and the same STORYREEL_* environment."""
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("STORYREEL_"))
    setting = [os.getcwd(), sys.executable, list(argv), env]
    return hashlib.sha256(json.dumps(setting).encode()).hexdigest()


def fingerprint(paths: Iterable[Path]) -> list[Any]:
    """Size and modification time of every file under `paths` (folders walked in a
    fixed order, bytecode caches left out: Python writes them when a module is first
    imported, which changes no source); a missing path is recorded as missing."""
    seen: list[Any] = []
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for name in sorted(files):
                    seen.append(_stat(Path(folder) / name))
        else:
            seen.append(_stat(path))
    return seen


def _stat(path: Path) -> list[Any]:
    try:
        st = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), st.st_size, st.st_mtime_ns]


def code_fingerprint() -> list[Any]:
    """storyreel's source files and the folders packages are imported from: a new
    storyreel, a new engine plugin or an upgraded library all change it."""
    package = Path(__file__).resolve().parents[1]
    # Not the working folder (`python -m` puts it on the path): films are made there.
    here = os.getcwd()
    folders = [Path(p) for p in sys.path if p and p != here and Path(p).is_dir()]
    return [fingerprint([package]), [_stat(p) for p in folders]]


def record(
    argv: Sequence[str], inputs: Iterable[Path], outputs: Iterable[Path], summary: str
) -> None:
    """Remember that `argv` made `outputs` from `inputs`; `summary` is what the launcher
    prints when the same command finds nothing changed."""
    inputs, outputs = list(inputs), list(outputs)
    stamp = {
        "inputs": [str(p) for p in inputs],
        "outputs": [str(p) for p in outputs],
        "seen": [fingerprint(inputs), fingerprint(outputs), code_fingerprint()],
        "summary": summary,
    }
    folder = stamp_folder()
    path = folder / f"{command_key(argv)}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(stamp), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the next make its fast answer


def check(argv: Sequence[str]) -> str | None:
    """The last summary when `argv` would make exactly what it made last time, else None."""
    try:
        stamp = json.loads((stamp_folder() / f"{command_key(argv)}.json").read_text("utf-8"))
        inputs = [Path(p) for p in stamp["inputs"]]
        outputs = [Path(p) for p in stamp["outputs"]]
        now = [fingerprint(inputs), fingerprint(outputs), code_fingerprint()]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    # Through JSON, so tuples and lists compare alike.
    if json.loads(json.dumps(now)) != stamp["seen"] or not all(p.is_file() for p in outputs):
        return None
    summary = stamp.get("summary")
    return summary if isinstance(summary, str) else None
