"""A film's look as a style file a studio shares across films.

    storyreel style export kite.fountain -o look.yaml
    storyreel style apply look.yaml duel.fountain

A look is what the storyboard and the cast hold of a film's style: the words every
prompt carries (palette, lighting: the storyboard's `style`), the lens habits (how
often each shot size, angle and camera move is used), the pacing (seconds per shot),
the score's mood and the voices by character name. `look_of` reads one from a
storyboard; `apply_look` makes another storyboard follow it, and what changes is a
storyboard diff like any edit's (shown, then applied). The voices are the cast's;
applying them is the caller's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from storyreel.errors import StoryreelError
from storyreel.model import Angle, CameraMove, Prompt, ShotSize, Storyboard
from storyreel.voice import VoiceProfile

FORMAT = 1
_LADDER = list(ShotSize)  # widest first
_E = TypeVar("_E", bound=StrEnum)


class LookError(StoryreelError):
    """A style file cannot be read or is not valid."""


def _shares(value: object) -> object:
    """Shares as written (counts or fractions) -> fractions summing to 1."""
    if isinstance(value, Mapping) and value:
        numbers = [v for v in value.values() if isinstance(v, int | float)]
        if len(numbers) == len(value):
            if any(v < 0 for v in numbers) or sum(numbers) <= 0:
                raise ValueError("shares are counts or fractions, none negative, not all 0")
            return {k: float(v) / sum(numbers) for k, v in value.items()}
    return value


class Look(BaseModel):
    """A shareable look. Every part is optional: a look of only a palette changes only
    the style words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    storyreel_style: Literal[1] = 1  # the format, for a later one to be told apart
    name: str = Field(default="", max_length=200)
    # Palette and lighting: the words added to every shot's prompt.
    style: Prompt = Prompt()
    # Lens habits: the share of shots at each size, angle and camera move.
    sizes: dict[ShotSize, float] = {}
    angles: dict[Angle, float] = {}
    moves: dict[CameraMove, float] = {}
    # Pacing: the average shot length, seconds.
    seconds_per_shot: float | None = Field(default=None, ge=0.5, le=60)
    # The score's mood: a genre of the sound vocabulary (ad, fight, romance, sad...).
    music: str | None = Field(default=None, min_length=1, max_length=64)
    # The voices by character name (the cast's, without recorded samples).
    voices: dict[str, VoiceProfile] = Field(default={}, max_length=500)

    _shares_sum = field_validator("sizes", "angles", "moves", mode="before")(_shares)


def look_of(
    board: Storyboard,
    voices: Mapping[str, VoiceProfile] | None = None,
    name: str = "",
    music: str | None = None,
) -> Look:
    """The look of `board` (and its cast's `voices`, by character name); `music` is the
    score's genre as the make chooses it when the board leaves it to the story."""
    shots = board.shots
    count = len(shots) or 1

    def shares(values: Sequence[StrEnum]) -> dict[str, float]:
        return {k.value: round(n / count, 3) for k, n in Counter(values).most_common()}

    return Look.model_validate(
        {
            "name": name or board.title or "",
            "style": board.style,
            "sizes": shares([s.size for s in shots]),
            "angles": shares([s.angle for s in shots]),
            "moves": shares([s.move for s in shots]),
            "seconds_per_shot": round(board.duration / count, 2) if shots else None,
            "music": board.music or music,
            "voices": {
                k: v.model_copy(update={"reference": None}) for k, v in (voices or {}).items()
            },
        }
    )


def dump_look(look: Look) -> str:
    data = look.model_dump(mode="json", exclude_defaults=True)
    data = {"storyreel_style": FORMAT, **data}
    head = (
        "# A storyreel style: `storyreel style apply THIS_FILE PROJECT` gives a film this look.\n"
        "# style: words every prompt carries; sizes/angles/moves: the share of shots of each;\n"
        "# seconds_per_shot: the pacing; music: the score's mood; voices: by character name.\n"
    )
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def load_look(text: str, source: str = "the style file") -> Look:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LookError(f"{source} is not valid YAML: {error}") from None
    if not isinstance(data, dict) or "storyreel_style" not in data:
        raise LookError(
            f"{source} is not a storyreel style (no `storyreel_style: 1`); "
            "write one with `storyreel style export`"
        )
    try:
        return Look.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise LookError(f"{source}: {where}: {problem['msg']}") from None


def apply_look(board: Storyboard, look: Look) -> Storyboard:
    """`board` with `look`'s style words, lens habits and pacing. Sizes keep their order
    (the widest shot of the film stays the widest); angles and moves keep every shot
    whose value the look still has room for and give the others the look's most used."""
    shots = board.shots
    update: dict[str, object] = {}
    if look.style != Prompt():
        update["style"] = look.style
    if look.music is not None:
        update["music"] = look.music
    sizes = _by_rank([s.size for s in shots], look.sizes, _LADDER) if look.sizes else None
    angles = _by_quota([s.angle for s in shots], look.angles) if look.angles else None
    moves = _by_quota([s.move for s in shots], look.moves) if look.moves else None
    scale = 1.0
    if look.seconds_per_shot is not None and shots:
        scale = look.seconds_per_shot / (board.duration / len(shots))
    new = []
    for i, shot in enumerate(shots):
        changes: dict[str, object] = {}
        if sizes is not None:
            changes["size"] = sizes[i]
        if angles is not None:
            changes["angle"] = angles[i]
        if moves is not None:
            changes["move"] = moves[i]
        if scale != 1.0:
            changes["duration"] = round(min(max(shot.duration * scale, 0.5), 60.0), 2)
        new.append(shot.model_copy(update=changes) if changes else shot)
    return board.model_copy(update={**update, "shots": new})


def _counts(n: int, shares: Mapping[_E, float]) -> dict[_E, int]:
    """`n` shots split by `shares`, largest remainders first (the counts sum to `n`)."""
    exact = {k: share * n for k, share in shares.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = n - sum(counts.values())
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:rest]:
        counts[k] += 1
    return counts


def _by_rank(values: Sequence[_E], shares: Mapping[_E, float], order: Sequence[_E]) -> list[_E]:
    """Each value by its rank: the shots sorted from the first of `order` to the last
    get the look's values in that order, as many of each as its share says."""
    counts = _counts(len(values), shares)
    ladder = [v for v in order for _ in range(counts.get(v, 0))]
    ranked = sorted(range(len(values)), key=lambda i: (order.index(values[i]), i))
    out: list[_E] = list(values)
    for place, index in enumerate(ranked):
        out[index] = ladder[place]
    return out


def _by_quota(values: Sequence[_E], shares: Mapping[_E, float]) -> list[_E]:
    counts = _counts(len(values), shares)
    out: list[_E | None] = []
    for value in values:
        if counts.get(value, 0) > 0:
            counts[value] -= 1
            out.append(value)
        else:
            out.append(None)
    spare = [k for k in sorted(counts, key=lambda k: -shares[k]) for _ in range(counts[k])]
    return [value if value is not None else spare.pop(0) for value in out]
