"""Job keys: a hash of everything a job reads, so an unchanged job is never run twice.

    key = render_key(request, "previs", "0.1.0", options)

Two jobs get the same key exactly when they read the same things. Values are reduced
to a canonical JSON form first (`canonical`): mapping keys sorted, floats rounded,
files replaced by the hash of their bytes (a renamed but identical reference image
keys the same; an edited one does not), and whatever only says where to put the result
or whom to tell (an output path, a progress callback) left out.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
from collections.abc import Mapping
from enum import Enum
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from pathlib import Path, PurePath
from typing import Any

import numpy as np
from pydantic import BaseModel

from storyreel.errors import StoryreelError

# Bump when `canonical` changes meaning, so no old key can collide with a new one.
KEY_SCHEMA = 1

# Nine significant digits: far finer than any duration or option a creator sets, and
# coarse enough that 0.1 + 0.2 and 0.3 (or a value that went through float32) agree.
FLOAT_DIGITS = 9

# Fields that say where a result goes or who hears about it, never what it is.
OUTPUT_FIELDS = frozenset({"out_path", "on_progress"})


class JobKeyError(StoryreelError):
    """A job's inputs cannot be keyed (a reference file is missing, a value is opaque)."""


def canonical(value: Any, *, exclude: frozenset[str] = OUTPUT_FIELDS) -> Any:
    """`value` as plain JSON data whose serialization is the same on every run.

    Field names in `exclude` are dropped from models and dataclasses at any depth, as
    are dataclass fields declared with `compare=False` (they are not part of what the
    value is) and callables. Anything else that has no stable form raises, so nothing
    is silently left out of a key.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return canonical(value.value, exclude=exclude)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return _float(float(value))
    if isinstance(value, PurePath):
        return {"file": file_digest(Path(value))}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": hashlib.sha256(value).hexdigest()}
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return {
            "array": hashlib.sha256(data.tobytes()).hexdigest(),
            "dtype": data.dtype.str,
            "shape": list(data.shape),
        }
    if isinstance(value, BaseModel):
        names = type(value).model_fields
        return _fields({n: getattr(value, n) for n in names}, exclude)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.compare}
        return _fields(fields, exclude)
    if isinstance(value, Mapping):
        return {str(k): canonical(v, exclude=exclude) for k, v in _sorted_items(value)}
    if isinstance(value, set | frozenset):
        return sorted((canonical(v, exclude=exclude) for v in value), key=_dumps)
    if isinstance(value, list | tuple):
        return [canonical(v, exclude=exclude) for v in value]
    raise JobKeyError(f"cannot key a {type(value).__name__}: give it as data (fields or values)")


def _float(x: float) -> float | str:
    if not math.isfinite(x):
        return str(x)  # JSON has no inf/nan
    rounded = float(f"{x:.{FLOAT_DIGITS}g}")
    return 0.0 if rounded == 0 else rounded  # -0.0 and 0.0 are the same input


def _fields(fields: Mapping[str, Any], exclude: frozenset[str]) -> dict[str, Any]:
    return {
        name: canonical(v, exclude=exclude)
        for name, v in sorted(fields.items())
        if name not in exclude and not callable(v)
    }


def _sorted_items(mapping: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    return sorted(mapping.items(), key=lambda kv: str(kv[0]))


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: Any, *, exclude: frozenset[str] = OUTPUT_FIELDS) -> str:
    """The SHA-256 hex digest of `value`'s canonical form."""
    return hashlib.sha256(_dumps(canonical(value, exclude=exclude)).encode()).hexdigest()


def job_key(kind: str, **inputs: Any) -> str:
    """The key of a job of `kind` that reads `inputs` (any values `canonical` takes)."""
    return digest({"schema": KEY_SCHEMA, "kind": kind, "inputs": inputs})


# --- files by content ---------------------------------------------------------------

# (resolved path, size, mtime_ns) -> digest. A cast image is read once per process,
# not once per shot that shows the character; an edit changes mtime and so misses.
_file_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes, or, for a folder, of its files' names and bytes."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise JobKeyError(f"{path}: referenced file does not exist") from None
    if path.is_dir():
        entries = sorted(p for p in path.rglob("*") if p.is_file())
        listing = [[p.relative_to(path).as_posix(), file_digest(p)] for p in entries]
        return hashlib.sha256(_dumps(listing).encode()).hexdigest()
    memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if memo not in _file_digests:
        sha = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                sha.update(block)
        _file_digests[memo] = sha.hexdigest()
    return _file_digests[memo]


# --- the jobs of a make ----------------------------------------------------------------


def voice_key(
    text: str, lang: str, profile: Any, engine_name: str, engine_version: str, **extra: Any
) -> str:
    """The key of speaking `text` in `lang` with a voice profile through a TTS engine."""
    return job_key(
        "voice",
        text=text,
        lang=lang,
        profile=profile,
        engine={"name": engine_name, "version": engine_version},
        extra=extra,
    )


def engine_version(engine: object) -> str:
    """The version an engine declares (a `version` class attribute), else the version of
    the distribution that ships its module, else "unknown"."""
    declared = getattr(engine, "version", None)
    if isinstance(declared, str) and declared:
        return declared
    cls = engine if isinstance(engine, type) else type(engine)
    return _module_version(cls.__module__.split(".")[0])


@functools.lru_cache(maxsize=64)
def _module_version(top: str) -> str:
    # A distribution named like its module (storyreel, most plugins) is found at once;
    # mapping every module to its distributions reads all installed metadata (a
    # quarter of a second), so it is the fallback, and keys ask once per process.
    try:
        return version(top)
    except PackageNotFoundError:
        pass
    for dist in packages_distributions().get(top, []):
        try:
            return version(dist)
        except PackageNotFoundError:
            continue
    return "unknown"


# --- seeds -----------------------------------------------------------------------------

SEED_LIMIT = 2**31 - 1  # engines pass seeds to int32 generators (torch, numpy's legacy RNG)


def shot_seed(project_id: str, shot_id: str, salt: str = "") -> int:
    """A seed for the shot that is the same on every run and every machine.

    Derived from the project and the shot's id rather than its position, so inserting a
    shot before it does not change it. `salt` gives further takes of the same shot
    their own seeds ("take-2").
    """
    text = "\x00".join((project_id, shot_id, salt)).encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:8], "big") % SEED_LIMIT
