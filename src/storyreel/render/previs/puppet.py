"""Subjects drawn from their cast entry, so the lead looks the same in every shot.

A character with reference images is drawn in their colours: hair, skin and clothing
measured from the photos replace what the description or the name hash chose. A
subject whose reference has a transparent or plain background is drawn as that photo,
cut out: a paper puppet standing where the figure would stand.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from PIL import Image

from storyreel.cast.subject import SubjectRef, subject_key
from storyreel.render.previs.figure import draw_figure, figure_box, hand_point
from storyreel.render.previs.look import Look
from storyreel.render.previs.pen import Pen, Point
from storyreel.render.previs.props import ADULT_M, draw_thing, held_box


def dressed(look: Look, ref: SubjectRef | None) -> Look:
    """`look` in the colours measured from the subject's reference images."""
    if ref is None or ref.palette is None:
        return look
    p = ref.palette
    return replace(
        look,
        hair=p.hair or look.hair,
        skin=p.skin or look.skin,
        top=p.top or look.top,
        bottom=p.bottom or look.bottom,
    )


def dress_looks(looks: list[Look], references: list[SubjectRef]) -> list[Look]:
    by_key = {subject_key(r.name): r for r in references}
    return [dressed(look, by_key.get(subject_key(look.name))) for look in looks]


def puppets_for(references: list[SubjectRef]) -> dict[str, Path]:
    """The cut-out to draw for each subject that has one, by name as the shot has it."""
    return {subject_key(r.name): r.cutout for r in references if r.cutout is not None}


@lru_cache(maxsize=32)
def _cutout(path: str) -> Image.Image:
    # Cached per process: a render worker reads each cut-out once, however many shots.
    with Image.open(path) as image:
        return image.convert("RGBA")


def draw_subject(
    pen: Pen,
    look: Look,
    feet: Point,
    unit_px: float,
    facing: int = 1,
    *,
    max_line: float = 3.0,
    puppet: Path | None = None,
    pose: str = "stand",
    phase: int = 0,
    holding: str | None = None,
) -> None:
    """The vector figure of `look` posed and holding `holding`, or its paper puppet
    when it has one (a photo cannot move its limbs: it stands, the prop beside it)."""
    if puppet is not None:
        try:
            cutout = _cutout(str(puppet))
        except OSError:
            cutout = None  # removed since the request was made: draw the figure
        if cutout is not None:
            draw_puppet(pen, cutout, look, feet, unit_px)
            if holding is not None:
                draw_figure_thing(pen, look, feet, unit_px, facing, holding, max_line)
            return
    draw_figure(
        pen,
        look,
        feet,
        unit_px,
        facing,
        max_line=max_line,
        pose=pose,
        phase=phase,
        holding=holding,
    )


def draw_figure_thing(
    pen: Pen, look: Look, feet: Point, unit_px: float, facing: int, kind: str, max_line: float
) -> None:
    """A held prop where a standing figure's hand would hold it."""
    hand = hand_point(look, feet, unit_px, facing, "stand")
    box = held_box(kind, hand, unit_px / ADULT_M)
    draw_thing(pen, kind, box, facing=facing, max_line=max_line, fit=False)


def draw_puppet(pen: Pen, cutout: Image.Image, look: Look, feet: Point, unit_px: float) -> None:
    """Paste `cutout` inside the figure's box, its top at the top of the head.

    Done once per shot (the plate is drawn once and the camera moves over it), at the
    pen's supersampled size so it is reduced with the rest of the figures.
    """
    half_w, height, _ = figure_box(look, unit_px)
    scale = min(2 * half_w / cutout.width, height / cutout.height)
    w, h = cutout.width * scale, cutout.height * scale
    x0 = (feet[0] - w / 2 - pen.x0) * pen.ss
    y0 = (feet[1] - height - pen.y0) * pen.ss
    size = (max(1, round(w * pen.ss)), max(1, round(h * pen.ss)))
    sprite = cutout.resize(size, Image.Resampling.LANCZOS)
    box = (round(x0), round(y0), round(x0) + size[0], round(y0) + size[1])
    # The layer is premultiplied; blend in plain RGBA over just the sprite's box.
    under = pen.layer.crop(box).convert("RGBA")
    under.alpha_composite(sprite)
    pen.layer.paste(under.convert("RGBa"), box)


def puppet_for(puppets: dict[str, Path] | None, look: Look) -> Path | None:
    return (puppets or {}).get(subject_key(look.name))
