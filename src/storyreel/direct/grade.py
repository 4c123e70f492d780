"""A film's look as a colour grade, for engines that draw rather than prompt.

The storyboard's `style` holds a look as words ("warm colour palette, golden light"),
which a generative engine reads in its prompt. A drawn engine cannot read words, so
each look of vocab/edits.yaml also says how it grades a picture: warmer or cooler,
brighter or darker, more or less colour. `looks_in` names the looks a style's words
hold; `grade_of` combines their grades into one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from storyreel.model import Prompt


class Grade(BaseModel):
    """A colour grade. The identity leaves a picture as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Towards amber (> 0) or blue (< 0).
    warmth: float = Field(default=0.0, ge=-1, le=1)
    # Colour: 0 grey, 1 as drawn, above 1 more vivid.
    saturation: float = Field(default=1.0, ge=0, le=2)
    # Brightness, in stops.
    exposure: float = Field(default=0.0, ge=-2, le=2)
    # Around mid grey: below 1 flatter, above 1 harder.
    contrast: float = Field(default=1.0, ge=0.5, le=2)
    # Blacks raised to this share of white (a faded, milky picture).
    lift: float = Field(default=0.0, ge=0, le=0.5)

    @property
    def identity(self) -> bool:
        return self == Grade()


def _parts(text: str) -> set[str]:
    return {p.strip().casefold() for p in re.split(r"[,，、;；]", text) if p.strip()}


def looks_in(style: Prompt) -> tuple[str, ...]:
    """The looks whose words `style` holds: a look's own prompt words (as an edit or a
    style file puts them there) or one of its names ("noir", "暖色")."""
    from storyreel.direct.instruct import edit_words

    parts = _parts(style.en) | _parts(style.zh)
    found = []
    for name, look in edit_words().look.items():
        own = [_parts(look.prompt.en), _parts(look.prompt.zh)]
        if any(words and words <= parts for words in own) or parts & {
            w.casefold() for w in (*look.en, *look.zh)
        }:
            found.append(name)
    return tuple(found)


def grade_of(looks: Iterable[str]) -> Grade:
    """The looks' grades combined: shifts add up, factors multiply. A name the
    vocabulary does not know grades nothing."""
    from storyreel.direct.instruct import edit_words

    known = edit_words().look
    grades = [known[name].grade for name in looks if name in known]
    return Grade(
        warmth=max(-1.0, min(1.0, sum(g.warmth for g in grades))),
        saturation=min(2.0, _product(g.saturation for g in grades)),
        exposure=max(-2.0, min(2.0, sum(g.exposure for g in grades))),
        contrast=max(0.5, min(2.0, _product(g.contrast for g in grades))),
        lift=min(0.5, sum(g.lift for g in grades)),
    )


def _product(values: Iterable[float]) -> float:
    out = 1.0
    for v in values:
        out *= v
    return out
