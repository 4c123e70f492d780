"""Content-addressed caches in the project's state folder, keyed by job keys.

    .storyreel/takes/3f/3fa9….mp4      a finished take (recorded in the store)
    .storyreel/voices/8c/8c41….wav     a spoken line, 32-bit float mono
    .storyreel/voices/8c/8c41….json    its timings; written last, so it marks completion

A cached file only ever appears under its final name by a rename of a complete file,
and is only believed when its completion record exists and the file still has the size
recorded there: a crash between the rename and the record costs a re-render, never a
truncated take in a film.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storyreel.files import atomic_path
from storyreel.project import Project
from storyreel.render.engine import Take
from storyreel.store.db import Store
from storyreel.store.records import TakeRecord
from storyreel.voice.base import PhonemeTiming, Speech, WordTiming
from storyreel.wav import read_float_wav, write_wav

TAKES_DIR = "takes"
VOICES_DIR = "voices"
STAGING_DIR = ".staging"


def shard(root: Path, key: str, ext: str) -> Path:
    """`root/ab/abcdef….ext`: two hex digits of fan-out keep folders small."""
    if len(key) < 8 or not all(c in "0123456789abcdef" for c in key):
        raise ValueError(f"a cache key is a lowercase hex digest, got {key!r}")
    return root / key[:2] / f"{key}{ext}"


class TakeCache:
    """Finished takes by render key; completion is recorded in the project's store."""

    def __init__(self, project: Project, store: Store) -> None:
        self.state_dir = project.state_dir
        self.root = self.state_dir / TAKES_DIR
        self.store = store

    def path_for(self, key: str, ext: str = ".mp4") -> Path:
        return shard(self.root, key, ext)

    def staging_path(self, key: str, ext: str = ".mp4") -> Path:
        """A fresh path on the cache's own file system for an engine to render into, so
        `put` moves the take into place with a rename rather than a copy."""
        folder = self.root / STAGING_DIR
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{key}.{os.getpid()}.{secrets.token_hex(4)}{ext}"

    def clear_staging(self) -> None:
        """Remove renders that never finished (a killed worker cannot clean up after
        itself). Only call it holding the project lock: then no render is in flight."""
        folder = self.root / STAGING_DIR
        if folder.is_dir():
            for leftover in folder.iterdir():
                leftover.unlink(missing_ok=True)

    def put(self, key: str, take: Take, source: Path | None = None) -> Take:
        """Move the finished file `source` (default: `take.path`) into the cache under
        `key` and record it; returns the take at its cached path."""
        source = Path(source or take.path)
        final = self.path_for(key, source.suffix or ".mp4")
        final.parent.mkdir(parents=True, exist_ok=True)
        _move(source, final)
        return self._record(key, take, final)

    def put_bytes(self, key: str, take: Take, data: bytes, ext: str | None = None) -> Take:
        """Cache a take that came back as bytes (from a worker on another machine)."""
        final = self.path_for(key, ext or take.path.suffix or ".mp4")
        final.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(final) as tmp:
            tmp.write_bytes(data)
        return self._record(key, take, final)

    def get(self, key: str) -> Take | None:
        """The cached take, or None when there is none or its file is not the one recorded."""
        record = self.store.find_take(key)
        if record is None:
            return None
        path = self.state_dir / record.path
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        if size != record.size:
            return None
        return Take(
            shot_id=record.shot_id,
            path=path,
            frames=record.frames,
            fps=record.fps,
            width=record.width,
            height=record.height,
            engine=record.engine,
            seed=record.seed,
        )

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def prune(self, doomed: Iterable[TakeRecord], *, dry_run: bool = False) -> Pruned:
        """Delete the `doomed` takes, then every file under the cache that no take
        records: renders a killed make left in staging, and a file whose record never
        came (a crash between its rename and its record). With `dry_run`, only count.

        Only call it holding the project lock, so that no make is adding takes. Each
        record goes before its file: a crash in between leaves a stray file, which the
        next prune removes, never a record of a missing take.
        """
        pruned = Pruned()
        for take in doomed:
            path = self.state_dir / take.path
            pruned.takes += 1
            pruned.bytes += _size(path)
            if not dry_run:
                self.store.forget_take(take.key)
                path.unlink(missing_ok=True)
        recorded = {self.state_dir / t.path for t in self.store.takes()}
        if self.root.is_dir():
            for path in sorted(self.root.rglob("*")):
                if path.is_dir() or path in recorded:
                    continue
                pruned.strays += 1
                pruned.bytes += _size(path)
                if not dry_run:
                    path.unlink(missing_ok=True)
        return pruned

    def _record(self, key: str, take: Take, final: Path) -> Take:
        # Only now, with the complete file under its final name, does the take exist.
        self.store.record_take(
            TakeRecord(
                key=key,
                shot_id=take.shot_id,
                engine=take.engine,
                path=final.relative_to(self.state_dir).as_posix(),
                frames=take.frames,
                fps=take.fps,
                width=take.width,
                height=take.height,
                seed=take.seed,
                size=final.stat().st_size,
            )
        )
        return take.model_copy(update={"path": final})


@dataclass
class Pruned:
    """What a prune deleted (or, in a dry run, would delete)."""

    takes: int = 0
    strays: int = 0
    bytes: int = 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _move(source: Path, final: Path) -> None:
    try:
        os.replace(source, final)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        # Another file system (a worker's /tmp): copy under a hidden name, then rename.
        with atomic_path(final) as tmp:
            shutil.copyfile(source, tmp)
        source.unlink()


# --- voices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedVoice:
    samples: NDArray[np.float32]
    sample_rate: int
    # Whatever the voice stage stored beside the audio (word timings, as JSON data).
    timings: Any


class VoiceCache:
    """Spoken lines by voice key: a float WAV plus a JSON file that marks it complete."""

    def __init__(self, project: Project) -> None:
        self.root = project.state_dir / VOICES_DIR

    def put(
        self, key: str, samples: NDArray[np.float32], sample_rate: int, timings: Any = None
    ) -> None:
        wav = shard(self.root, key, ".wav")
        wav.parent.mkdir(parents=True, exist_ok=True)
        write_wav(wav, samples, sample_rate, "float32")
        meta = {"size": wav.stat().st_size, "sample_rate": sample_rate, "timings": timings}
        with atomic_path(wav.with_suffix(".json")) as tmp:
            tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    def get(self, key: str) -> CachedVoice | None:
        wav = shard(self.root, key, ".wav")
        try:
            meta = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
            data = wav.read_bytes()
        except (FileNotFoundError, ValueError):
            return None
        if len(data) != meta.get("size"):
            return None
        samples, rate = read_float_wav(data)
        return CachedVoice(samples, rate, meta.get("timings"))

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def put_speech(self, key: str, speech: Speech) -> None:
        timings = {
            "words": [dataclasses.asdict(w) for w in speech.words],
            "phonemes": [dataclasses.asdict(p) for p in speech.phonemes],
        }
        self.put(key, speech.samples, speech.sample_rate, timings)

    def get_speech(self, key: str) -> Speech | None:
        cached = self.get(key)
        if cached is None or not isinstance(cached.timings, dict):
            return None
        timings = cached.timings
        if not {"words", "phonemes"} <= timings.keys():
            return None
        return Speech(
            samples=cached.samples,
            sample_rate=cached.sample_rate,
            words=[WordTiming(**w) for w in timings["words"]],
            phonemes=[PhonemeTiming(**p) for p in timings["phonemes"]],
        )
