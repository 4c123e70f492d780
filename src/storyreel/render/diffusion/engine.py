"""The render loop every diffusers engine shares; the engines say what differs.

An engine subclass describes its model folder (`describe`: frame rate, size multiples,
which pipeline makes text-to-video and which continues from an image, presets) and, if
it must, what extra inputs its pipeline takes (`conditioning`). Everything else —
prompts, seeds, segments, progress, writing the take — is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from storyreel import __version__
from storyreel.errors import EngineError
from storyreel.render.diffusion import frames as takes
from storyreel.render.diffusion import pipeline as pipelines
from storyreel.render.diffusion.options import DiffusionOptions, Settings, resolve
from storyreel.render.diffusion.segments import join_segments, plan_segments
from storyreel.render.diffusion.speed import Device, SpeedPlan, plan, probe
from storyreel.render.diffusion.weights import (
    ModelFolder,
    check_complete,
    identity,
    pipeline_class,
    resolve_folder,
)
from storyreel.render.engine import Capabilities, RenderRequest, Take

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

# Bump when the render loop changes what it makes from the same inputs.
LOOP_VERSION = "1"
VERSION = f"{__version__}+diffusion.{LOOP_VERSION}"


@dataclass(frozen=True)
class ModelSpec:
    """What an engine reads from its model folder before loading anything."""

    # The rate the model was trained at; the take is retimed from it.
    fps: int
    # Width and height must be multiples of this (VAE downsampling x patch size).
    multiple: int
    # Frame counts are step*k + 1 (the VAE's temporal compression).
    frame_step: int
    # The pipeline class that makes video from text alone, or None if the model cannot.
    text: str | None
    # The pipeline class that continues from an image, or None if the model cannot.
    image: str | None
    presets: dict[str, dict[str, Any]]
    # Components kept in fp32 whatever the dtype.
    keep_fp32: tuple[str, ...] = ()
    # A model that works at exactly one size (CogVideoX-5b-I2V's learned positions).
    fixed_size: tuple[int, int] | None = None
    # The first reference image becomes the first frame (image-to-video models); a
    # reference-image model (VACE) takes them its own way instead.
    reference_first_frame: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Segment:
    """One call of the pipeline, as `conditioning` sees it."""

    index: int
    frames: int
    width: int
    height: int
    # The frame to continue from: the previous segment's last frame, or for the first
    # segment the cast's first reference image when the model takes a first frame.
    image: Image.Image | None
    # All the shot's reference images.
    references: list[Image.Image]
    # The shot's previous take over this segment's frames, at the model's size and
    # rate, for an engine that re-renders from it (`reference_video`); else None. A
    # chained segment's first frame is the previous segment's last, as `image` says.
    guide: list[Image.Image] | None = None


class DiffusionEngine:
    name: ClassVar[str]
    version: ClassVar[str] = VERSION
    # What the engine class promises before a folder is chosen: the folder decides
    # between text and image (describe() refuses a shot it cannot make), and shots of
    # any length are chained segment by segment.
    capabilities: ClassVar[Capabilities] = Capabilities(
        text_to_video=True, image_to_video=True, max_duration=None, needs_gpu=True
    )
    Options: ClassVar[type[DiffusionOptions]] = DiffusionOptions
    # The model the error messages suggest.
    repo_hint: ClassVar[str]

    def __init__(self, options: DiffusionOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()
        self.model: ModelFolder = resolve_folder(
            self.options.model_path, self.options.allow_download, self.repo_hint
        )
        check_complete(self.model, self.repo_hint)
        # The class model_index.json names, read once: every segment's pipeline needs it.
        self.class_name = pipeline_class(self.model)
        self.spec = self.describe(self.model, self.class_name)
        self.settings: Settings = resolve(self.options, self.spec.presets)
        self._device: Device | None = None

    # --- what each engine says -------------------------------------------------------

    def describe(self, model: ModelFolder, class_name: str) -> ModelSpec:
        raise NotImplementedError

    def conditioning(self, segment: Segment) -> dict[str, Any]:
        """Pipeline inputs for this segment beyond prompt, size, frames and steps."""
        return {"image": segment.image} if segment.image is not None else {}

    def prompt_inputs(
        self, pipe: Any, prompt: str, negative: str, speed: SpeedPlan
    ) -> dict[str, Any]:
        return {"prompt": prompt, "negative_prompt": negative}

    # --- shared ----------------------------------------------------------------------

    def model_identity(self) -> dict[str, Any]:
        return {**identity(self.model), "pipeline": self.class_name}

    def speed_plan(self) -> SpeedPlan:
        if self._device is None:
            self._device = probe()
        return plan(self.settings, self._device, guided=self.settings.guidance > 1.0)

    def pipeline(self, class_name: str) -> Any:
        """The loaded pipeline `class_name`, sharing one set of loaded weights."""
        speed = self.speed_plan()
        assert self._device is not None
        base = pipelines.load(self.model, self.class_name, speed, self._device, self.spec.keep_fp32)
        return pipelines.derive(base, class_name)

    def size_for(self, request: RenderRequest) -> tuple[int, int]:
        if self.spec.fixed_size is not None:
            return self.spec.fixed_size
        return takes.model_size(
            request.width, request.height, self.settings.resolution, self.spec.multiple
        )

    def render(self, request: RenderRequest) -> Take:
        import numpy as np
        import torch
        from PIL import Image

        spec, settings = self.spec, self.settings
        width, height = self.size_for(request)
        needed = takes.model_frames(request.frame_count, request.fps, spec.fps)
        counts = plan_segments(needed, settings.segment_frames, spec.frame_step)
        references = [
            takes.load_rgb(path)
            for ref in request.references
            for path in ref.images
            if Path(path).is_file()
        ]
        first = None
        if references and spec.reference_first_frame:
            first = takes.first_frame(references[0], width, height)
        self._check_can(len(counts), first is not None)
        prompt, negative = self.prompts(request)
        generator = torch.Generator("cpu").manual_seed(request.seed)
        speed = self.speed_plan()
        # Every frame the segments make (they share one at each join; the surplus past
        # `needed` is trimmed below), so each segment's span is as long as its count.
        guide = self._guide(request, sum(counts) - len(counts) + 1, width, height)
        parts: list[np.ndarray] = []
        start = 0
        for index, count in enumerate(counts):
            image = (
                first if index == 0 else Image.fromarray(takes.fit(parts[-1][-1], width, height))
            )
            # Chained segments share a frame: each starts on the one before's last.
            span = guide[start : start + count] if guide is not None else None
            start += count - 1
            segment = Segment(index, count, width, height, image, references, span)
            class_name = spec.image if image is not None else spec.text
            assert class_name is not None
            pipe = self.pipeline(class_name)
            out = pipe(
                **self.prompt_inputs(pipe, prompt, negative, speed),
                **self.conditioning(segment),
                height=height,
                width=width,
                num_frames=count,
                num_inference_steps=settings.steps,
                guidance_scale=settings.guidance,
                generator=generator,
                output_type="np",
                callback_on_step_end=pipelines.progress_callback(
                    request.on_progress, index, len(counts), settings.steps
                ),
            )
            parts.append(np.asarray(out.frames[0], dtype=np.float32))
        return takes.write_take(join_segments(parts)[:needed], spec.fps, request, self.name)

    def _guide(
        self, request: RenderRequest, count: int, width: int, height: int
    ) -> list[Image.Image] | None:
        """The previous take as the model's frames, when the engine re-renders from one."""
        previous = request.previous
        if previous is None or not self.capabilities.reference_video:
            return None
        try:
            return takes.guide_frames(
                previous.path, request.fps, count, self.spec.fps, width, height
            )
        except (OSError, ValueError) as error:
            raise EngineError(
                f"shot {request.shot.id}: cannot read its previous take {previous.path} "
                f"({error}); make the film again without --from-previous"
            ) from None

    def prompts(self, request: RenderRequest) -> tuple[str, str]:
        """The shot's prompt and negative prompt in English (which every model reads),
        as planning composed them: an engine never composes its own."""
        return request.shot.prompt.en, request.shot.negative.en

    def _check_can(self, segments: int, has_image: bool) -> None:
        spec = self.spec
        if segments > 1 and spec.image is None:
            seconds = (self.settings.segment_frames - 1) / spec.fps
            raise EngineError(
                f"{self.model.path} is a text-to-video model: it makes at most "
                f"{self.settings.segment_frames} frames ({seconds:.1f} s) and cannot continue "
                "from a frame; use an image-to-video model folder for longer shots, or make "
                "the shot shorter"
            )
        if not has_image and spec.text is None:
            raise EngineError(
                f"{self.model.path} is an image-to-video model and this shot has no reference "
                "image: add reference images to the shot's cast (storyreel cast add), or use "
                "a text-to-video model folder"
            )
