"""Temporal defects, flicker and motion on a previs pan and copies of it with defects
put in at known frames: each is found within 2 frames, the clean take passes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from tests.qa.defects import FPS, clean_take, with_file
from tests.run.support import request, shot

from storyreel.qa import CheckResult, inject, load_check
from storyreel.render.engine import RenderRequest, Take
from storyreel.render.engines.previs import PrevisEngine

Made = tuple[Take, RenderRequest, inject.Frames]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    take, req = clean_take(tmp_path_factory.mktemp("temporal"))
    return take, req, inject.decode(take.path)


def _check(name: str, made: Made, frames: inject.Frames | None, path: Path) -> CheckResult:
    take, req, _ = made
    if frames is not None:
        take = with_file(take, inject.write(frames, path, FPS))
    return load_check(name).check(take, req)


def test_the_clean_take_passes_every_picture_check(made: Made, tmp_path: Path) -> None:
    for name in ("conformance", "temporal", "flicker", "motion", "coverage"):
        result = _check(name, made, None, tmp_path / "x.mp4")
        assert result.passed and result.applicable, (name, result.notes)
    temporal = _check("temporal", made, None, tmp_path / "x.mp4")
    assert temporal.score == 1.0 and temporal.evidence == []
    # One difference per pair of frames, for the report's plot.
    assert len(temporal.series["difference"]) == made[1].frame_count - 1


DEFECTS: dict[str, tuple[Callable[[inject.Frames], inject.Frames], int]] = {
    # kind: (how it is put in, the frame it should be found at)
    "frozen": (lambda f: inject.frozen(f, 20, 12), 21),
    "dropped": (lambda f: inject.dropped(f, 30, 3), 30),
    "black": (lambda f: inject.black(f, 25, 2), 25),
    "flash": (lambda f: inject.flash(f, 35), 35),
}


@pytest.mark.parametrize("kind", sorted(DEFECTS))
def test_each_defect_is_found_where_it_is(made: Made, tmp_path: Path, kind: str) -> None:
    put_in, at = DEFECTS[kind]
    result = _check("temporal", made, put_in(made[2]), tmp_path / f"{kind}.mp4")
    assert not result.passed and result.score < 1.0
    found = [e.frame for e in result.evidence if e.kind == kind]
    assert found and min(abs(f - at) for f in found) <= 2, result.evidence
    # Nothing else is reported away from the defect.
    assert all(abs(e.frame - at) <= 14 for e in result.evidence), result.evidence
    assert any(kind in note for note in result.notes)


def test_a_still_take_of_a_moving_shot_is_static(made: Made, tmp_path: Path) -> None:
    still = [made[2][0]] * len(made[2])
    result = _check("motion", made, still, tmp_path / "still.mp4")
    assert not result.passed and result.notes[0].startswith("static")
    assert "pan" in result.notes[0]
    # A still take of a shot that asks for no motion is as asked.
    take, req, _ = made
    locked = req.shot.model_copy(update={"move": "static"})
    standing = load_check("motion").check(
        with_file(take, tmp_path / "still.mp4"), RenderRequest(**{**vars(req), "shot": locked})
    )
    assert not standing.applicable and standing.passed


def test_flicker_scores_a_pulsing_take_lower(made: Made, tmp_path: Path) -> None:
    pulsing = [
        (f.astype("int16") + (18 if i % 2 else -18)).clip(0, 255).astype("uint8")
        for i, f in enumerate(made[2])
    ]
    clean = _check("flicker", made, None, tmp_path / "x.mp4")
    result = _check("flicker", made, pulsing, tmp_path / "pulse.mp4")
    assert not result.passed and result.score < clean.score
    assert "ripples" in " ".join(result.notes)
    assert result.evidence  # the frames that ripple most


def test_an_unreadable_take_fails_each_check(made: Made, tmp_path: Path) -> None:
    path = tmp_path / "junk.mp4"
    path.write_text("not a video", encoding="utf-8")
    take, req, _ = made
    for name in ("temporal", "flicker", "motion"):
        result = load_check(name).check(with_file(take, path), req)
        assert (result.passed, result.score) == (False, 0.0)


def test_a_run_of_black_frames_is_one_note_and_a_title_card_may_be_black(
    made: Made, tmp_path: Path
) -> None:
    take, req, frames = made
    dark = with_file(take, inject.write(inject.black(frames, 5, 20), tmp_path / "dark.mp4", FPS))
    result = load_check("temporal").check(dark, req)
    assert not result.passed
    assert [n for n in result.notes if n.startswith("black")] == ["black frames 5-24"]
    # A title card (> THE END <) is dark and still by design: no defect.
    still = inject.black(frames, 0, len(frames))
    card_take = with_file(take, inject.write(still, tmp_path / "card.mp4", FPS))
    card = replace(req, shot=req.shot.model_copy(update={"card": "THE END"}))
    assert load_check("temporal").check(card_take, card).passed
    assert not load_check("temporal").check(card_take, req).passed  # a shot is not


def test_a_storms_lightning_is_no_flash_defect_and_no_flicker(made: Made, tmp_path: Path) -> None:
    take, req, frames = made
    # Lightning as previs draws it: a strike flickering on twos, twice in the shot.
    lit = inject.flash(inject.flash(frames, 10, 2), 14, 2)
    lit = inject.flash(inject.flash(lit, 50, 2), 54, 2)
    struck = with_file(take, inject.write(lit, tmp_path / "storm.mp4", FPS))
    storm = replace(req, weather=(("rain", 0.8), ("storm_lightning", 0.7)))
    for name in ("temporal", "flicker"):
        assert load_check(name).check(struck, storm).passed, name
        # The same flashes in a shot without a storm are defects.
        assert not load_check(name).check(struck, req).passed, name
    # A storm does not hide a flicker that runs through the whole shot.
    pulsing = [
        (f.astype("int16") + (18 if i % 2 else -18)).clip(0, 255).astype("uint8")
        for i, f in enumerate(lit)
    ]
    pulsed = with_file(take, inject.write(pulsing, tmp_path / "pulse.mp4", FPS))
    assert not load_check("flicker").check(pulsed, storm).passed


def test_a_drop_and_a_freeze_in_a_slow_push_in_are_found(tmp_path: Path) -> None:
    # A push-in changes a few hundredths of the frame in one-pixel steps, and eases
    # out on single steps between still frames: neither is a defect, but 3 frames
    # missing or 12 repeated are.
    the_shot = shot(duration=2.5, move="push_in", lines=[])
    req = request(tmp_path / "push.mp4", the_shot, width=320, height=180, fps=FPS)
    take = PrevisEngine().render(req)
    assert load_check("temporal").check(take, req).passed
    frames = inject.decode(take.path)
    for kind, put_in, at in (
        ("dropped", inject.dropped(frames, 30, 3), 30),
        ("frozen", inject.frozen(frames, 20, 12), 21),
    ):
        path = inject.write(put_in, tmp_path / f"{kind}.mp4", FPS)
        result = load_check("temporal").check(with_file(take, path), req)
        assert not result.passed, kind
        assert any(e.kind == kind and abs(e.frame - at) <= 2 for e in result.evidence), (
            kind,
            result.evidence,
        )
