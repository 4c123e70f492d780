"""Wan VACE through diffusers: text-to-video that keeps the cast's looks from their
reference images.

    storyreel make story.fountain --engine wan-vace --model-path Wan-AI/Wan2.1-VACE-1.3B-diffusers

Every reference image of the shot's cast goes to the model as a `reference_images`
entry (VACE's subject-to-video). A shot longer than one segment continues from the
last frame: the next segment's conditioning video holds that frame first, with the
rest left for the model to fill (the mask marks what to make).

An edited shot is re-rendered from its previous take (`reference_video`): the old
clip, at the model's size and rate, is the conditioning video, and the mask asks for
every pixel to be made anew, so the old clip guides composition and motion while the
prompt says what changed. `-O reference_strength=…` weighs that guidance (VACE's
conditioning scale: 0 ignores the old clip, 1 is the model's default).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PIL import Image
from pydantic import Field

from storyreel.errors import EngineError
from storyreel.render.diffusion.engine import DiffusionEngine, ModelSpec, Segment
from storyreel.render.diffusion.options import DiffusionOptions
from storyreel.render.diffusion.weights import ModelFolder
from storyreel.render.engine import Capabilities
from storyreel.render.engines.wan import WanEngine, WanOptions, wan_presets

# VACE's conditioning video is in -1..1 with 0 meaning "nothing here": mid grey.
_EMPTY = (128, 128, 128)


def continuation(image: Image.Image, frames: int) -> tuple[list[Image.Image], list[Image.Image]]:
    """A conditioning video that fixes the first frame and leaves the rest to the
    model, with its mask (black: keep the video's pixels, white: generate)."""
    size = image.size
    empty = Image.new("RGB", size, _EMPTY)
    keep, make = Image.new("RGB", size, (0, 0, 0)), Image.new("RGB", size, (255, 255, 255))
    return [image] + [empty] * (frames - 1), [keep] + [make] * (frames - 1)


def guided(
    guide: list[Image.Image], first: Image.Image | None
) -> tuple[list[Image.Image], list[Image.Image]]:
    """A conditioning video that is the old clip, all of it to be made anew (white
    mask), but for a chained segment's first frame, kept (black) from the segment
    before so the segments join."""
    size = guide[0].size
    keep, make = Image.new("RGB", size, (0, 0, 0)), Image.new("RGB", size, (255, 255, 255))
    if first is None:
        return list(guide), [make] * len(guide)
    return [first, *guide[1:]], [keep] + [make] * (len(guide) - 1)


class WanVaceOptions(WanOptions):
    # How strongly the previous take guides a re-rendered shot (VACE's conditioning
    # scale); used only when there is one.
    reference_strength: float = Field(default=1.0, ge=0.0, le=2.0)


class WanVaceEngine(WanEngine):
    name: ClassVar[str] = "wan-vace"
    Options: ClassVar[type[DiffusionOptions]] = WanVaceOptions
    repo_hint: ClassVar[str] = "Wan-AI/Wan2.1-VACE-1.3B-diffusers"
    capabilities: ClassVar[Capabilities] = DiffusionEngine.capabilities.model_copy(
        update={"reference_video": True}
    )

    def describe(self, model: ModelFolder, class_name: str) -> ModelSpec:
        if class_name != "WanVACEPipeline":
            raise EngineError(
                f"{model.path} holds a {class_name}, not a Wan VACE model; use --engine wan "
                "for Wan text- or image-to-video folders"
            )
        found, multiple, frame_step = self.geometry(model)
        return ModelSpec(
            fps=16,
            multiple=multiple,
            frame_step=frame_step,
            text="WanVACEPipeline",
            image="WanVACEPipeline",
            presets=wan_presets(found),
            keep_fp32=("vae",),
            reference_first_frame=False,
        )

    def conditioning(self, segment: Segment) -> dict[str, Any]:
        inputs: dict[str, Any] = {}
        if segment.references:
            inputs["reference_images"] = list(segment.references)
        if segment.guide is not None:
            inputs["video"], inputs["mask"] = guided(segment.guide, segment.image)
            inputs["conditioning_scale"] = getattr(self.options, "reference_strength", 1.0)
        elif segment.image is not None:
            inputs["video"], inputs["mask"] = continuation(segment.image, segment.frames)
        return inputs
