"""Errors a user can act on. Each carries a message that says what is wrong and how to
fix it; the CLI prints it as one line and exits with code 2."""

from __future__ import annotations

from pathlib import Path


class StoryreelError(Exception):
    """Base for every error meant for the user rather than for a traceback."""

    # 2: the input was wrong; subclasses for work that failed part-way use 1.
    exit_code = 2


class StoryError(StoryreelError):
    """The story file cannot be read or parsed."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        where = ""
        if path is not None:
            where = f"{self.path}"
            if line is not None:
                where += f":{line}"
            where += ": "
        elif line is not None:
            where = f"line {line}: "
        super().__init__(where + message)


class EngineError(StoryreelError):
    """An engine is missing, misconfigured or failed on a shot."""


class VoiceError(StoryreelError):
    """The speech synthesizer cannot speak a line."""


class OutputError(StoryreelError):
    """The output path cannot be written."""


class SoundError(StoryreelError):
    """A music or ambience file cannot be used."""
