"""Previs draws a character from their cast entry: their colours, or their photo."""

from __future__ import annotations

import pickle
from contextlib import closing
from pathlib import Path

import numpy as np
from PIL import Image

from storyreel.cast import Cast
from storyreel.make import render_requests
from storyreel.model import Character, Setting, Shot, ShotSize, Storyboard
from storyreel.project import Project
from storyreel.render.engine import RenderRequest
from storyreel.render.previs.panel import compose_panel
from storyreel.store import open_store
from storyreel.voice.stage import voice_storyboard

from .conftest import skdata

MEI = Character(name="MEI", description="20s, blue jacket, short black hair")
PARK = Setting(location="HILLTOP PARK", interior="ext", time="day")


def _request(tmp_path: Path, cast: Cast | None) -> RenderRequest:
    shot = Shot(id="1", scene=1, size=ShotSize.medium, duration=1.0, subjects=["MEI"], setting=PARK)
    refs = [cast.get("MEI").ref()] if cast else []
    return RenderRequest(
        shot=shot, cast=[MEI], width=320, height=180, fps=24,
        out_path=tmp_path / "take.mp4", references=refs,
    )  # fmt: skip


def _share(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 40) -> float:
    near = np.abs(pixels.astype(int) - np.array(colour)).max(axis=2) <= tolerance
    return float(near.mean())


def test_red_dressed_reference_dresses_the_figure_in_red(tmp_path: Path) -> None:
    photo = skdata.astronaut().copy()
    photo[205:, 110:340] = (200, 30, 30)  # a red dress below her face
    Image.fromarray(photo).save(tmp_path / "red.png")
    cast = Cast(tmp_path / "cast")
    entry = cast.add("MEI", images=[tmp_path / "red.png"], description=MEI.description)
    palette = entry.subject.palette
    # Median-cut keeps a flat colour exactly.
    assert palette is not None and palette.top == (200, 30, 30)
    assert entry.subject.cutout is None  # a real scene behind her: drawn, not cut out

    red = (200, 30, 30)
    plain = compose_panel(_request(tmp_path, None), overlay=False)
    dressed = compose_panel(_request(tmp_path, cast), overlay=False)
    assert _share(plain, red) < 0.002  # the description's blue jacket
    assert _share(dressed, red) > 0.02  # the reference's red


def test_transparent_reference_is_drawn_as_a_paper_puppet(tmp_path: Path) -> None:
    sprite = np.zeros((300, 200, 4), np.uint8)
    sprite[20:290, 30:170] = (230, 40, 220, 255)  # a magenta figure on transparency
    Image.fromarray(sprite, "RGBA").save(tmp_path / "puppet.png")
    cast = Cast(tmp_path / "cast")
    entry = cast.add("MEI", images=[tmp_path / "puppet.png"])
    assert entry.subject.cutout == "cutout.png"

    magenta = (230, 40, 220)
    assert _share(compose_panel(_request(tmp_path, None), overlay=False), magenta) == 0
    assert _share(compose_panel(_request(tmp_path, cast), overlay=False), magenta) > 0.03


def test_every_render_request_carries_its_subjects_references(tmp_path: Path) -> None:
    cast = Cast(tmp_path / "cast")
    Image.fromarray(skdata.astronaut()).save(tmp_path / "a.png")
    cast.add("MEI", images=[tmp_path / "a.png"], description="astronaut")
    cast.add("LEO", description="10, yellow hoodie")
    shots = [
        Shot(
            id="1", scene=1, size=ShotSize.wide, duration=1, subjects=["MEI", "LEO"], setting=PARK
        ),
        Shot(id="2", scene=1, size=ShotSize.close_up, duration=1, subjects=["LEO"], setting=PARK),
        Shot(id="3", scene=1, size=ShotSize.wide, duration=1, subjects=[], setting=PARK),
    ]
    board = Storyboard(characters={"MEI": MEI}, shots=shots)
    project = Project.at(tmp_path / "film")
    with closing(open_store(project)) as store:
        timeline = voice_storyboard(board).timeline  # no lines: the planned durations
        requests = list(render_requests(board, timeline, project, store, cast.references()))
    assert [[r.name for r in q.references] for q in requests] == [["MEI", "LEO"], ["LEO"], []]
    assert [q.frame_count for q in requests] == timeline.shot_frames() == [24, 24, 24]
    mei = requests[0].references[0]
    assert mei.images[0].is_absolute() and mei.images[0].is_file()
    assert mei.embedding is not None and len(mei.embedding) == 128
    assert mei.description == "astronaut"
    # Requests cross process boundaries to the render workers.
    assert pickle.loads(pickle.dumps(requests[0])).references == requests[0].references
