"""The film's look on the drawn picture: "make the whole film warmer" grades every
previs shot, under the caption; a prompt engine reads the same look as words."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storyreel.direct import plan
from storyreel.direct.grade import grade_of, looks_in
from storyreel.direct.instruct import instruct
from storyreel.model import CameraMove, Prompt
from storyreel.render.engine import RenderRequest
from storyreel.render.engines.previs import PrevisEngine
from storyreel.script import parse_story

from .previs_support import decode, make_request


def yuv_means(frames: list[np.ndarray]) -> np.ndarray:
    """Mean Y, U, V (BT.601) of the frames' picture."""
    rgb = np.stack(frames).reshape(-1, 3).astype(np.float64)
    matrix = np.array([[0.299, 0.587, 0.114], [-0.169, -0.331, 0.5], [0.5, -0.419, -0.081]])
    return np.asarray(rgb @ matrix.T).mean(axis=0)


def render(tmp_path: Path, name: str, looks: tuple[str, ...], move: CameraMove) -> np.ndarray:
    request = replace(
        make_request(tmp_path / f"{name}.mp4", move=move, duration=0.4),
        picture="clean",
        looks=looks,
    )
    PrevisEngine().render(request)
    frames, _ = decode(request.out_path)
    return np.stack(frames)


def test_the_style_words_name_their_looks() -> None:
    assert looks_in(Prompt(en="warm colour palette, golden light")) == ("warm",)
    assert looks_in(Prompt(zh="黑白画面")) == ("black_and_white",)
    assert set(looks_in(Prompt(en="noir, vintage film grain"))) == {"noir", "vintage"}
    assert looks_in(Prompt(en="warm smile, golden")) == ()  # not the look's words
    assert grade_of(()).identity and grade_of(("no such look",)).identity
    both = grade_of(("warm", "vintage"))
    assert both.warmth > grade_of(("warm",)).warmth and both.saturation < 1


@pytest.mark.parametrize("move", [CameraMove.static, CameraMove.push_in])
def test_a_look_grades_the_drawn_picture(tmp_path: Path, move: CameraMove) -> None:
    plain = render(tmp_path, "plain", (), move)
    warm = render(tmp_path, "warm", ("warm",), move)
    grey = render(tmp_path, "grey", ("black_and_white",), move)
    dark = render(tmp_path, "dark", ("dark",), move)
    y, u, v = yuv_means(list(plain))
    wy, wu, wv = yuv_means(list(warm))
    assert wv - v > 4 and u - wu > 4 and abs(wy - y) < 3  # redder, less blue, as bright
    chroma = np.abs(grey.astype(np.int16) - grey.mean(axis=3, keepdims=True)).max()
    assert chroma <= 6  # grey: every channel alike, but for rounding
    assert yuv_means(list(dark))[0] < y - 15
    assert plain.shape == warm.shape == grey.shape


def test_an_instruction_for_a_warmer_film_reaches_every_request(tmp_path: Path) -> None:
    board = plan(parse_story("EXT. HARBOUR - DUSK\n\nMEI walks along the pier.\n"))
    warmer = instruct(board, "make the whole film warmer").board
    for shot in warmer.shots:
        request = RenderRequest.for_shot(warmer, shot, tmp_path / "take.mp4")
        assert request.looks == ("warm",)
        assert RenderRequest.for_shot(board, shot, tmp_path / "take.mp4").looks == ()
