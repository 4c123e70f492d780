"""CogVideoX through diffusers: text-to-video, or image-to-video from an I2V folder.

    storyreel make story.fountain --engine cogvideox --model-path THUDM/CogVideoX-2b

A text-to-video folder (CogVideoXPipeline) makes shots from their prompts, up to one
segment (49 frames, about 6 s at 8 fps; CogVideoX 1.5: 81 frames at 16 fps). An
image-to-video folder (CogVideoXImageToVideoPipeline) starts from the cast's first
reference image and makes longer shots segment by segment from each last frame.
"""

from __future__ import annotations

from typing import Any, ClassVar

from storyreel.errors import EngineError
from storyreel.render.diffusion.engine import DiffusionEngine, ModelSpec, Segment
from storyreel.render.diffusion.options import DRAFT_SPEED, FINAL_SPEED
from storyreel.render.diffusion.weights import ModelFolder

_PIPELINES = ("CogVideoXPipeline", "CogVideoXImageToVideoPipeline")


def cogvideox_presets(v15: bool) -> dict[str, dict[str, Any]]:
    # CogVideoX 1.0 was trained at 720x480, 49 frames; 1.5 at 1360x768, 81 frames.
    frames = 81 if v15 else 49
    final_res = 768 if v15 else 480
    return {
        "final": FINAL_SPEED
        | {"steps": 50, "guidance": 6.0, "resolution": final_res, "segment_frames": frames},
        "draft": DRAFT_SPEED
        | {"steps": 20, "guidance": 6.0, "resolution": 480, "segment_frames": frames},
    }


class CogVideoXEngine(DiffusionEngine):
    name: ClassVar[str] = "cogvideox"
    repo_hint: ClassVar[str] = "THUDM/CogVideoX-2b"

    def describe(self, model: ModelFolder, class_name: str) -> ModelSpec:
        if class_name not in _PIPELINES:
            raise EngineError(
                f"{model.path} holds a {class_name}, not a CogVideoX model this engine runs "
                f"({', '.join(_PIPELINES)})"
            )
        transformer = model.config("transformer")
        vae = model.config("vae")
        spatial = 2 ** (len(vae.get("block_out_channels", [0] * 4)) - 1)
        patch = int(transformer.get("patch_size", 2))
        v15 = transformer.get("patch_size_t") is not None
        fixed = None
        if transformer.get("use_learned_positional_embeddings"):
            # Learned positions exist for one size only (720x480 for CogVideoX-5b-I2V).
            fixed = (
                int(transformer["sample_width"]) * spatial,
                int(transformer["sample_height"]) * spatial,
            )
        image = class_name == "CogVideoXImageToVideoPipeline"
        return ModelSpec(
            fps=16 if v15 else 8,
            multiple=spatial * patch,
            frame_step=int(vae.get("temporal_compression_ratio", 4)),
            text=None if image else class_name,
            image=class_name if image else None,
            presets=cogvideox_presets(v15),
            fixed_size=fixed,
            # The text length the transformer's positions were made for.
            extra={"max_sequence_length": int(transformer.get("max_text_seq_length", 226))},
        )

    def conditioning(self, segment: Segment) -> dict[str, Any]:
        inputs: dict[str, Any] = {"max_sequence_length": self.spec.extra["max_sequence_length"]}
        if segment.image is not None:
            inputs["image"] = segment.image
        return inputs
