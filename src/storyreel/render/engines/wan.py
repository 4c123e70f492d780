"""Wan 2.1 / 2.2 text-to-video and image-to-video through diffusers.

    storyreel make story.fountain --engine wan --model-path Wan-AI/Wan2.1-T2V-1.3B-Diffusers

The model folder decides what the engine does: a text-to-video folder (WanPipeline)
makes shots from their prompts; an image-to-video folder (WanImageToVideoPipeline)
starts each shot from the cast's first reference image; Wan 2.2 TI2V-5B does both.
Shots longer than one segment (81 frames, about 5 s at 16 fps) continue segment by
segment from the previous segment's last frame, which needs an image-capable model.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from storyreel.errors import EngineError
from storyreel.render.diffusion.engine import DiffusionEngine, ModelSpec
from storyreel.render.diffusion.guidance import BatchedGuidance
from storyreel.render.diffusion.options import DRAFT_SPEED, FINAL_SPEED, DiffusionOptions
from storyreel.render.diffusion.pipeline import transformers_of
from storyreel.render.diffusion.speed import SpeedPlan
from storyreel.render.diffusion.weights import ModelFolder

WanVariant = Literal["1.3B", "14B", "A14B", "TI2V-5B"]
_PIPELINES = ("WanPipeline", "WanImageToVideoPipeline")


class WanOptions(DiffusionOptions):
    # Which Wan the folder holds; read from the folder when not given, and checked
    # against it when given (it picks the preset's size and frame rate).
    variant: WanVariant | None = None
    # Wan 2.2 A14B: guidance for the low-noise expert (the second transformer);
    # the same as `guidance` when not given.
    guidance_2: float | None = Field(default=None, ge=1.0, le=20.0)


def wan_variant(index: dict[str, Any], transformer: dict[str, Any]) -> WanVariant:
    """Which Wan a folder holds, from its model_index.json and transformer config."""
    second = index.get("transformer_2")
    if isinstance(second, list) and second[-1] is not None:
        return "A14B"
    if index.get("expand_timesteps"):
        return "TI2V-5B"
    width = int(transformer.get("num_attention_heads", 0)) * int(
        transformer.get("attention_head_dim", 0)
    )
    # 1.3B has 12 heads of 128 (1536 wide); 14B has 40 heads of 128 (5120).
    return "1.3B" if width < 2048 else "14B"


def wan_presets(variant: WanVariant) -> dict[str, dict[str, Any]]:
    """Per variant: the sizes and lengths Wan's authors trained and recommend."""
    # 1.3B was trained at 480p; the 14B models at 720p (480p works, looks softer).
    final_res = {"1.3B": 480, "14B": 720, "A14B": 720, "TI2V-5B": 704}[variant]
    draft_res = {"1.3B": 320, "14B": 480, "A14B": 480, "TI2V-5B": 480}[variant]
    # TI2V-5B makes 121 frames at 24 fps; the others 81 at 16 fps (about 5 s each).
    frames = 121 if variant == "TI2V-5B" else 81
    # A14B's two experts are tuned for lower guidance than 2.1's single model.
    guidance = 4.0 if variant == "A14B" else 5.0
    return {
        "final": FINAL_SPEED
        | {"steps": 50, "guidance": guidance, "resolution": final_res, "segment_frames": frames},
        # 20 steps keeps the composition and motion of a 50-step render.
        "draft": DRAFT_SPEED
        | {"steps": 20, "guidance": guidance, "resolution": draft_res, "segment_frames": frames},
    }


class WanEngine(DiffusionEngine):
    name: ClassVar[str] = "wan"
    Options: ClassVar[type[DiffusionOptions]] = WanOptions
    repo_hint: ClassVar[str] = "Wan-AI/Wan2.1-T2V-1.3B-Diffusers"

    def describe(self, model: ModelFolder, class_name: str) -> ModelSpec:
        if class_name not in _PIPELINES:
            raise EngineError(
                f"{model.path} holds a {class_name}, not a Wan text- or image-to-video model; "
                "use the engine made for it (wan-vace for WanVACEPipeline)"
            )
        found, multiple, frame_step = self.geometry(model)
        return ModelSpec(
            fps=24 if found == "TI2V-5B" else 16,
            multiple=multiple,
            frame_step=frame_step,
            text="WanPipeline" if class_name == "WanPipeline" else None,
            image=(
                "WanImageToVideoPipeline"
                if class_name == "WanImageToVideoPipeline" or found == "TI2V-5B"
                else None
            ),
            presets=wan_presets(found),
            # Wan's VAE and CLIP image encoder lose visible detail in half precision.
            keep_fp32=("vae", "image_encoder"),
        )

    def geometry(self, model: ModelFolder) -> tuple[WanVariant, int, int]:
        """The folder's Wan variant (checked against `-O variant`), the multiple a frame's
        sides must be, and the step between valid frame counts."""
        transformer = model.config("transformer") or model.config("transformer_2")
        found = wan_variant(model.index(), transformer)
        wanted = getattr(self.options, "variant", None)
        if wanted is not None and wanted != found:
            raise EngineError(
                f"-O variant={wanted} does not match the model in {model.path}, which is "
                f"Wan {found}; drop the option or point --model-path at a {wanted} folder"
            )
        vae = model.config("vae")
        downsample = vae.get("temperal_downsample", [0] * 3)
        spatial = int(vae.get("scale_factor_spatial") or 2 ** len(downsample))
        temporal = int(vae.get("scale_factor_temporal") or 2 ** sum(downsample))
        patch = int(transformer.get("patch_size", [1, 2, 2])[1])
        return found, spatial * patch, temporal

    def prompt_inputs(
        self, pipe: Any, prompt: str, negative: str, speed: SpeedPlan
    ) -> dict[str, Any]:
        inputs = wan_prompt_inputs(pipe, prompt, negative, speed)
        guidance_2 = getattr(self.options, "guidance_2", None)
        if guidance_2 is not None and getattr(pipe, "transformer_2", None) is not None:
            inputs["guidance_scale_2"] = guidance_2
        return inputs


def wan_prompt_inputs(pipe: Any, prompt: str, negative: str, speed: SpeedPlan) -> dict[str, Any]:
    """The prompts as text, or, with batched guidance, encoded here in the transformer's
    dtype: the batching recognises the two passes by these very tensors."""
    if not speed.batched_cfg:
        for transformer in transformers_of(pipe):
            wrapper = transformer.__dict__.get("forward")
            if isinstance(wrapper, BatchedGuidance):
                wrapper.arm(None, None)
        return {"prompt": prompt, "negative_prompt": negative}
    dtype = transformers_of(pipe)[0].dtype
    cond, uncond = pipe.encode_prompt(
        prompt=prompt,
        negative_prompt=negative,
        do_classifier_free_guidance=True,
        # What Wan's pipelines use when they encode the text themselves.
        max_sequence_length=512,
        device=pipe._execution_device,
    )
    cond, uncond = cond.to(dtype), uncond.to(dtype)
    for transformer in transformers_of(pipe):
        BatchedGuidance.install(transformer).arm(cond, uncond)
    return {"prompt_embeds": cond, "negative_prompt_embeds": uncond}
