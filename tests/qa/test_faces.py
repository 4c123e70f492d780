"""Identity and lip sync on takes made here: a previs background with scikit-image's
astronaut portrait laid in, a stranger's face over it for a second, and a mouth
painted open along a known track."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image
from tests.qa.defects import FPS, with_file

pytest.importorskip("dlib", reason="the actors extra: pip install 'storyreel[actors]'")
skdata = pytest.importorskip("skimage.data", reason="scikit-image provides the photographs")

from tests.run.support import request, shot  # noqa: E402

from storyreel.cast import faces  # noqa: E402
from storyreel.cast.subject import SubjectRef  # noqa: E402
from storyreel.qa import inject, load_check  # noqa: E402
from storyreel.qa.frames import read_take  # noqa: E402
from storyreel.render.engine import RenderRequest, Take  # noqa: E402
from storyreel.render.engines.previs import PrevisEngine  # noqa: E402

AT = (380, 40)  # where the portrait sits in the 640x360 frame


def astronaut() -> NDArray[np.uint8]:
    return np.ascontiguousarray(skdata.astronaut()[0:300, 110:350])


def stranger() -> NDArray[np.uint8]:
    face = (skdata.lfw_subset()[0] * 255).astype(np.uint8)
    big = Image.fromarray(face).resize((240, 300), Image.Resampling.BICUBIC).convert("RGB")
    return np.asarray(big)


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> tuple[Take, RenderRequest, inject.Frames]:
    folder = tmp_path_factory.mktemp("faces")
    the_shot = shot(duration=2.0, lines=[])
    req = request(folder / "bg.mp4", the_shot, width=640, height=360, fps=FPS)
    take = PrevisEngine().render(req)
    head = astronaut()
    target = faces.embed_face(head, faces.find_faces(head)[0])
    ref = SubjectRef(name="MEI", embedding=tuple(float(v) for v in target))
    req = RenderRequest(**{**vars(req), "references": [ref]})
    frames = inject.pasted(inject.decode(take.path), head, 0, 10**6, AT)
    return with_file(take, inject.write(frames, folder / "actor.mp4", FPS)), req, frames


def test_the_cast_face_throughout_passes(scene: tuple[Take, RenderRequest, inject.Frames]) -> None:
    take, req, _ = scene
    result = load_check("identity").check(take, req)
    assert result.applicable and result.passed, result.notes
    similarity = result.series["similarity MEI"]
    assert len(similarity) == 8 and min(similarity) > 0.4


def test_a_stranger_for_a_second_is_found_there(
    scene: tuple[Take, RenderRequest, inject.Frames], tmp_path: Path
) -> None:
    take, req, frames = scene
    swapped = inject.pasted(frames, stranger(), 12, FPS, AT)  # frames 12..35
    path = inject.write(swapped, tmp_path / "stranger.mp4", FPS)
    result = load_check("identity").check(with_file(take, path), req)
    assert not result.passed
    flagged = sorted({e.frame for e in result.evidence})
    assert flagged and all(12 <= f < 12 + FPS for f in flagged), flagged
    # Placed at both ends to within 2 frames, though only 8 frames were sampled.
    assert abs(flagged[0] - 12) <= 2 and abs(flagged[-1] - 35) <= 2, flagged
    assert "MEI is someone else on frames" in result.notes[0]
    # A face that looks like one already embedded is not embedded again: the
    # astronaut and the stranger, two embeddings in all.
    assert len(read_take(path).found["embedded"]) == 2


def test_identity_without_a_cast_face_is_not_applicable(
    scene: tuple[Take, RenderRequest, inject.Frames],
) -> None:
    take, req, _ = scene
    bare = RenderRequest(**{**vars(req), "references": []})
    result = load_check("identity").check(take, bare)
    assert (result.applicable, result.passed) == (False, True)
    assert "no subject of the shot has a face" in result.notes[0]


def _speaking(folder: Path) -> tuple[Path, list[float]]:
    head = astronaut()
    box = inject.lips_box(head)
    rng = np.random.default_rng(7)
    track = np.convolve(rng.random(72) > 0.6, np.ones(3) / 3, mode="same").clip(0, 1)
    background = np.full((360, 640, 3), 90, np.uint8)
    frames = [
        inject.pasted([background], inject.painted_mouth(head, box, o), 0, 1, AT)[0] for o in track
    ]
    return inject.write(frames, folder / "speaking.mp4", FPS), [float(v) for v in track]


def test_lip_sync_finds_the_words_shifted_by_200_ms(tmp_path: Path) -> None:
    path, track = _speaking(tmp_path)
    the_shot = shot(duration=3.0)
    req = request(path, the_shot, width=640, height=360, fps=FPS, mouths={"MEI": track})
    take = Take.made_for(req, "previs")
    in_sync = load_check("lipsync").check(take, req)
    assert in_sync.passed and in_sync.evidence[0].value == 0.0, in_sync.notes
    # The voice 200 ms (5 frames) late: the mouth moves 5 frames ahead of the words.
    late = [0.0] * 5 + track[:-5]
    shifted = load_check("lipsync").check(
        take, RenderRequest(**{**vars(req), "mouths": {"MEI": late}})
    )
    assert not shifted.passed
    assert shifted.evidence[0].value == -5.0
    assert "5 frames ahead of the words" in shifted.notes[0]
    # A shot in which nobody speaks is not judged.
    silent = load_check("lipsync").check(take, RenderRequest(**{**vars(req), "mouths": {}}))
    assert not silent.applicable
