"""Atomic file writes: a killed process never leaves a half-file that looks complete."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it onto `path` only on success.

    The temporary name keeps the suffix (encoders pick the container from it) and
    starts with a dot, so a half-written file is hidden and never mistaken for the
    finished one. On any exception, KeyboardInterrupt included, it is removed.
    """
    path = Path(path)
    # Not mkstemp: its 0600 mode would carry over to the finished file. The writer
    # creates this name itself, with the user's usual permissions.
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{secrets.token_hex(4)}.part{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yield a new hidden folder beside `path` to fill; rename it onto `path` only on
    success (an older folder there is replaced), else remove it: a folder of several
    files that is there is complete."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    tmp.mkdir()
    try:
        yield tmp
        if path.is_dir():  # left by a make that stopped half-way: never the new one
            shutil.rmtree(path)
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
