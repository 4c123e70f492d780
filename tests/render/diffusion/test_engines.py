"""The diffusers engines end to end on tiny random-weight models, through
`engine.render(request)`: the take's frames, size and rate, progress, seeds, the
reference image as first frame, VACE's reference images, and segment chaining."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyreel.errors import EngineError
from storyreel.render.diffusion.engine import DiffusionEngine
from storyreel.render.diffusion.guidance import BatchedGuidance
from storyreel.render.diffusion.options import DiffusionOptions
from storyreel.render.engine import Engine
from storyreel.render.engines.cogvideox import CogVideoXEngine
from storyreel.render.engines.ltx import LtxEngine
from storyreel.render.engines.wan import WanEngine, WanOptions
from storyreel.render.engines.wan_vace import WanVaceEngine

from .conftest import Calls, TinyModel
from .support import FPS, HEIGHT, TINY, WIDTH, as_uint8, frames_of, request

TEXT_MODELS = [
    (WanEngine, "wan-t2v"),
    (WanVaceEngine, "wan-vace"),
    (LtxEngine, "ltx"),
    (CogVideoXEngine, "cogvideox-t2v"),
]


def make(cls: type[DiffusionEngine], folder: Path, **options: Any) -> DiffusionEngine:
    schema = cls.Options
    return cls(schema(model_path=str(folder), **(TINY | options)))


def pipeline_class(engine: DiffusionEngine, image: bool) -> type:
    import diffusers

    name = engine.spec.image if image else engine.spec.text
    assert name is not None
    cls: type = getattr(diffusers, name)
    return cls


@pytest.mark.parametrize(("cls", "model"), TEXT_MODELS, ids=[m for _, m in TEXT_MODELS])
def test_text_to_video_take_is_exact_and_seeded(
    cls: type[DiffusionEngine], model: str, tiny_model: TinyModel, tmp_path: Path
) -> None:
    engine = make(cls, tiny_model(model))
    assert isinstance(engine, Engine)
    progress: list[float] = []
    req = request(tmp_path / "a.mp4", duration=0.5, seed=3, progress=progress)
    take = engine.render(req)

    frames = frames_of(take.path)
    assert (take.frames, take.width, take.height, take.fps) == (4, WIDTH, HEIGHT, FPS)
    assert frames.shape == (req.frame_count, HEIGHT, WIDTH, 3) == (4, HEIGHT, WIDTH, 3)
    # One report per denoising step (of each segment: LTX makes this shot in two).
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert len(progress) in (2, 4)
    again = frames_of(engine.render(request(tmp_path / "b.mp4", seed=3)).path)
    other = frames_of(engine.render(request(tmp_path / "c.mp4", seed=4)).path)
    assert np.array_equal(frames, again)
    assert np.abs(frames.astype(int) - other.astype(int)).mean() > 1.0
    assert not list(tmp_path.glob(".*"))  # no temporary files left beside the takes


I2V_MODELS = [(WanEngine, "wan-i2v"), (LtxEngine, "ltx"), (CogVideoXEngine, "cogvideox-i2v")]


@pytest.mark.parametrize(("cls", "model"), I2V_MODELS, ids=[m for _, m in I2V_MODELS])
def test_first_reference_image_is_the_first_frame(
    cls: type[DiffusionEngine],
    model: str,
    tiny_model: TinyModel,
    red_reference: Path,
    record: Callable[[type], Calls],
    tmp_path: Path,
) -> None:
    engine = make(cls, tiny_model(model))
    calls = record(pipeline_class(engine, image=True))
    take = engine.render(request(tmp_path / "take.mp4", references=(red_reference,)))

    # LTX makes the shot's 10 frames at 24 fps in two segments of at most 9.
    assert len(calls.inputs) == (2 if model == "ltx" else 1)
    image = np.asarray(calls.inputs[0]["image"])
    height, width = image.shape[:2]
    assert (width, height) == engine.size_for(request(tmp_path / "x.mp4"))
    # The reference's red figure fills the middle; its white margin shows at the edge.
    assert np.abs(image[height // 2, width // 2].astype(int) - (220, 20, 20)).max() <= 8
    assert image[height // 2, 0].min() >= 235
    assert frames_of(take.path).shape[0] == take.frames == 4


def test_image_to_video_model_needs_a_reference(tiny_model: TinyModel, tmp_path: Path) -> None:
    engine = make(WanEngine, tiny_model("wan-i2v"))
    with pytest.raises(EngineError, match=r"image-to-video model.*no reference image"):
        engine.render(request(tmp_path / "take.mp4"))
    assert not (tmp_path / "take.mp4").exists()


def test_vace_gets_every_reference_image(
    tiny_model: TinyModel, red_reference: Path, record: Callable[[type], Calls], tmp_path: Path
) -> None:
    import diffusers

    engine = make(WanVaceEngine, tiny_model("wan-vace"))
    calls = record(diffusers.WanVACEPipeline)
    blue = tmp_path / "blue.png"
    from PIL import Image

    Image.new("RGB", (16, 16), (10, 10, 230)).save(blue)
    engine.render(request(tmp_path / "take.mp4", references=(red_reference, blue)))

    refs = calls.inputs[0]["reference_images"]
    assert [np.asarray(r).shape for r in refs] == [(60, 40, 3), (16, 16, 3)]
    assert tuple(np.asarray(refs[1])[8, 8]) == (10, 10, 230)
    # A reference model keeps the references as references, not as a first frame.
    assert "video" not in calls.inputs[0] and "image" not in calls.inputs[0]


CHAINED = [(WanEngine, "wan-i2v"), (LtxEngine, "ltx"), (WanVaceEngine, "wan-vace")]


@pytest.mark.parametrize(("cls", "model"), CHAINED, ids=[m for _, m in CHAINED])
def test_long_shot_is_chained_from_each_last_frame(
    cls: type[DiffusionEngine],
    model: str,
    tiny_model: TinyModel,
    red_reference: Path,
    record: Callable[[type], Calls],
    tmp_path: Path,
) -> None:
    engine = make(cls, tiny_model(model))
    calls = record(pipeline_class(engine, image=True))
    req = request(tmp_path / "take.mp4", duration=1.5, references=(red_reference,))
    take = engine.render(req)

    segments = len(calls.inputs)
    # 12 frames at 8 fps are 23 at Wan's 16 fps or 34 at LTX's 24: 9 frames a segment
    # add 8 new ones each.
    expected = {"wan-i2v": 3, "wan-vace": 3, "ltx": 5}[model]
    assert segments == expected
    assert all(c["num_frames"] == 9 for c in calls.inputs)
    for before, after in zip(calls.outputs, calls.inputs[1:], strict=False):
        given = after["video"][0] if model == "wan-vace" else after["image"]
        assert np.array_equal(np.asarray(given), as_uint8(before[-1]))
    if model == "wan-vace":
        mask = [np.asarray(m) for m in calls.inputs[1]["mask"]]
        assert mask[0].max() == 0 and all(m.min() == 255 for m in mask[1:])
    assert take.frames == req.frame_count == frames_of(take.path).shape[0] == 12


def test_text_only_model_refuses_a_shot_longer_than_a_segment(
    tiny_model: TinyModel, tmp_path: Path
) -> None:
    engine = make(WanEngine, tiny_model("wan-t2v"))
    with pytest.raises(EngineError, match=r"at most 9 frames.*image-to-video model folder"):
        engine.render(request(tmp_path / "take.mp4", duration=1.5))


def test_batched_guidance_matches_two_passes(
    tiny_model: TinyModel, record: Callable[[type], Calls], tmp_path: Path
) -> None:
    import diffusers

    calls = record(diffusers.WanPipeline)
    folder = tiny_model("wan-t2v")
    make(WanEngine, folder, batched_cfg=False).render(request(tmp_path / "a.mp4"))
    batched = make(WanEngine, folder, batched_cfg=True)
    batched.render(request(tmp_path / "b.mp4"))

    wrapper = batched.pipeline("WanPipeline").transformer.__dict__["forward"]
    assert isinstance(wrapper, BatchedGuidance)
    assert wrapper.batched_calls == TINY["steps"]
    assert "prompt_embeds" in calls.inputs[1] and "prompt" in calls.inputs[0]
    np.testing.assert_allclose(calls.outputs[0], calls.outputs[1], atol=2e-5)


def test_wan_22_experts_each_take_their_part_of_the_schedule(
    tiny_model: TinyModel, record: Callable[[type], Calls], tmp_path: Path
) -> None:
    import diffusers

    calls = record(diffusers.WanPipeline)
    engine = make(WanEngine, tiny_model("wan-a14b"), batched_cfg=True, guidance_2=2.5)
    assert engine.spec.presets["final"]["guidance"] == 4.0  # A14B's, read from the folder
    take = engine.render(request(tmp_path / "take.mp4", seed=5))

    assert calls.inputs[0]["guidance_scale_2"] == 2.5
    pipe = engine.pipeline("WanPipeline")
    # Two steps either side of the 0.5 boundary: one per expert, each batched.
    high, low = (t.__dict__["forward"] for t in (pipe.transformer, pipe.transformer_2))
    assert isinstance(high, BatchedGuidance) and isinstance(low, BatchedGuidance)
    assert (high.batched_calls, low.batched_calls) == (1, 1)
    frames = frames_of(take.path)
    assert frames.shape == (4, HEIGHT, WIDTH, 3)
    again = engine.render(request(tmp_path / "again.mp4", seed=5))
    assert np.array_equal(frames, frames_of(again.path))
    with pytest.raises(EngineError, match=r"variant=1.3B does not match.*Wan A14B"):
        WanEngine(WanOptions(model_path=str(tiny_model("wan-a14b")), variant="1.3B"))


def test_wan_22_ti2v_makes_text_and_image_shots_from_one_folder(
    tiny_model: TinyModel,
    red_reference: Path,
    record: Callable[[type], Calls],
    tmp_path: Path,
) -> None:
    import diffusers

    engine = make(WanEngine, tiny_model("wan-ti2v"))
    # 24 fps, and sides in multiples of the VAE's 16 times its 2x2 patches.
    assert (engine.spec.fps, engine.spec.multiple, engine.spec.frame_step) == (24, 32, 4)
    assert all(side % 32 == 0 for side in engine.size_for(request(tmp_path / "x.mp4")))
    text = record(diffusers.WanPipeline)
    image = record(diffusers.WanImageToVideoPipeline)

    plain = engine.render(request(tmp_path / "text.mp4"))
    started = engine.render(request(tmp_path / "image.mp4", references=(red_reference,)))

    # Half a second at the model's 24 fps is 12 frames: two segments of at most 9, the
    # second continued from the first's last frame by the image pipeline.
    assert len(text.inputs) == 1 and "image" not in text.inputs[0]
    assert len(image.inputs) == 3
    first = np.asarray(image.inputs[1]["image"])  # the image shot's first segment
    height, width = first.shape[:2]
    assert np.abs(first[height // 2, width // 2].astype(int) - (220, 20, 20)).max() <= 8
    # Both pipelines share one set of loaded weights.
    assert (
        engine.pipeline("WanImageToVideoPipeline").transformer
        is engine.pipeline("WanPipeline").transformer
    )
    assert frames_of(plain.path).shape == frames_of(started.path).shape == (4, HEIGHT, WIDTH, 3)


def test_draft_preset_renders_with_first_block_cache(tiny_model: TinyModel, tmp_path: Path) -> None:
    engine = make(WanEngine, tiny_model("wan-t2v"), preset="draft")
    assert engine.settings.cache == "fbc" and engine.settings.steps == TINY["steps"]
    take = engine.render(request(tmp_path / "take.mp4"))
    transformer = engine.pipeline("WanPipeline").transformer
    assert transformer.is_cache_enabled
    assert frames_of(take.path).shape[0] == 4


def test_model_identity_names_the_weights(tiny_model: TinyModel, tmp_path: Path) -> None:
    import shutil

    folder = tiny_model("wan-t2v")
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    first = make(WanEngine, folder).model_identity()
    assert make(WanEngine, copy).model_identity() == first  # where it lies does not matter
    config = copy / "transformer" / "config.json"
    config.write_text(config.read_text().replace('"num_layers": 2', '"num_layers": 3'))
    assert make(WanEngine, copy).model_identity() != first


def test_wan_variant_is_read_from_the_folder_and_checked(tiny_model: TinyModel) -> None:
    folder = tiny_model("wan-t2v")
    engine = make(WanEngine, folder)
    assert engine.settings.resolution == 32  # TINY's override of the 1.3B preset's 480
    assert make(WanEngine, folder, resolution=None).settings.resolution == 480
    with pytest.raises(EngineError, match=r"variant=14B does not match.*Wan 1.3B"):
        WanEngine(WanOptions(model_path=str(folder), variant="14B"))


def test_engine_refuses_a_folder_for_another_model(tiny_model: TinyModel) -> None:
    with pytest.raises(EngineError, match="holds a LTXPipeline, not a Wan"):
        WanEngine(WanOptions(model_path=str(tiny_model("ltx"))))
    with pytest.raises(EngineError, match="holds a WanPipeline, not a CogVideoX"):
        CogVideoXEngine(DiffusionOptions(model_path=str(tiny_model("wan-t2v"))))


def _colour_clip(path: Path, colours: list[tuple[int, int, int]]) -> Path:
    """A take at the request's size and rate, one solid colour a frame."""
    from storyreel.media.encode import VideoSettings, VideoWriter

    with VideoWriter(path, VideoSettings(WIDTH, HEIGHT, FPS, threads=1)) as writer:
        for colour in colours:
            writer.write(np.full((HEIGHT, WIDTH, 3), colour, np.uint8))
    return path


@pytest.mark.parametrize("duration", [0.5, 1.5], ids=["one-segment", "chained"])
def test_vace_re_renders_from_the_previous_take(
    duration: float, tiny_model: TinyModel, record: Callable[[type], Calls], tmp_path: Path
) -> None:
    import diffusers

    from storyreel.render.diffusion.frames import model_frames, retime
    from storyreel.render.engine import PreviousTake

    engine = make(WanVaceEngine, tiny_model("wan-vace"), reference_strength=0.5)
    assert WanVaceEngine.capabilities.reference_video and not WanEngine.capabilities.reference_video
    calls = record(diffusers.WanVACEPipeline)
    base = request(tmp_path / "take.mp4", duration=duration)
    colours = [(40 * i % 256, 200 - 15 * i, 60 + 10 * i) for i in range(base.frame_count)]
    clip = _colour_clip(tmp_path / "old.mp4", colours)
    req = replace(base, previous=PreviousTake("ab" * 32, clip, "make it a close-up"))
    take = engine.render(req)

    width, height = engine.size_for(req)
    # The old clip at the model's rate: model frame j shows the take's frame at j/16 s.
    wanted = retime(base.frame_count, FPS, model_frames(base.frame_count, FPS, 16), 16)
    given: list[np.ndarray] = []
    for index, call in enumerate(calls.inputs):
        video = [np.asarray(f) for f in call["video"]]
        masks = [np.asarray(m) for m in call["mask"]]
        assert len(video) == len(masks) == call["num_frames"]
        assert all(f.shape == (height, width, 3) for f in video)
        assert call["conditioning_scale"] == 0.5
        # All made anew, guided by the old clip; a chained segment keeps its first frame
        # (the segment before's last) so the two join.
        assert all(m.min() == 255 for m in masks[1:])
        assert masks[0].max() == (0 if index else 255)
        given += video if index == 0 else video[1:]
    assert len(calls.inputs) == (3 if duration > 1 else 1)
    # The segments' own frames of the old clip (each after the first starts on a frame
    # the one before already had) are the old clip, resized and retimed.
    for j, source in enumerate(wanted):
        mean = given[j].reshape(-1, 3).mean(axis=0)
        assert np.abs(mean - colours[source]).max() <= 6, (j, mean, colours[source])
    assert take.frames == req.frame_count == frames_of(take.path).shape[0]


def test_vace_cannot_read_a_missing_previous_take(tiny_model: TinyModel, tmp_path: Path) -> None:
    from storyreel.render.engine import PreviousTake

    engine = make(WanVaceEngine, tiny_model("wan-vace"))
    req = replace(
        request(tmp_path / "take.mp4"), previous=PreviousTake("cd" * 32, tmp_path / "gone.mp4")
    )
    with pytest.raises(EngineError, match=r"shot 7: cannot read its previous take"):
        engine.render(req)
    assert not (tmp_path / "take.mp4").exists()
