"""LTX-Video through diffusers: fast text-to-video and image-to-video from one folder.

    storyreel make story.fountain --engine ltx --model-path Lightricks/LTX-Video

The same weights make video from text (LTXPipeline) or continue from an image
(LTXImageToVideoPipeline): a shot with reference images starts from the first one, and
a long shot continues segment by segment from each segment's last frame.
"""

from __future__ import annotations

from typing import Any, ClassVar

from storyreel.errors import EngineError
from storyreel.render.diffusion.engine import DiffusionEngine, ModelSpec, Segment
from storyreel.render.diffusion.options import DRAFT_SPEED, FINAL_SPEED
from storyreel.render.diffusion.weights import ModelFolder

_PIPELINES = ("LTXPipeline", "LTXImageToVideoPipeline")
# LTX checks that width and height are multiples of 32, whatever its VAE's factor.
_MULTIPLE = 32

LTX_PRESETS: dict[str, dict[str, Any]] = {
    # LTX-Video's recommended 768x512 and 161 frames (6.7 s at 24 fps); its authors
    # suggest guidance near 3.
    "final": FINAL_SPEED | {"steps": 50, "guidance": 3.0, "resolution": 512, "segment_frames": 161},
    "draft": DRAFT_SPEED | {"steps": 20, "guidance": 3.0, "resolution": 384, "segment_frames": 161},
}


class LtxEngine(DiffusionEngine):
    name: ClassVar[str] = "ltx"
    repo_hint: ClassVar[str] = "Lightricks/LTX-Video"

    def describe(self, model: ModelFolder, class_name: str) -> ModelSpec:
        if class_name not in _PIPELINES:
            raise EngineError(
                f"{model.path} holds a {class_name}, not an LTX-Video model this engine "
                f"runs ({', '.join(_PIPELINES)})"
            )
        vae = model.config("vae")
        scalings = int(sum(vae.get("spatio_temporal_scaling", [True, True, True, False])))
        spatial = vae.get("spatial_compression_ratio") or vae.get("patch_size", 4) * 2**scalings
        temporal = vae.get("temporal_compression_ratio") or vae.get("patch_size_t", 1) * 2**scalings
        return ModelSpec(
            # LTX-Video was trained at 24-30 fps and takes the rate as an input.
            fps=24,
            multiple=max(_MULTIPLE, int(spatial)),
            frame_step=int(temporal),
            text="LTXPipeline",
            image="LTXImageToVideoPipeline",
            presets=LTX_PRESETS,
            # 0.9.1 and later decode with a little noise at a small timestep.
            extra={"decode_timestep": bool(vae.get("timestep_conditioning"))},
        )

    def conditioning(self, segment: Segment) -> dict[str, Any]:
        inputs: dict[str, Any] = {"frame_rate": self.spec.fps}
        if segment.image is not None:
            inputs["image"] = segment.image
        if self.spec.extra.get("decode_timestep"):
            # The values LTX-Video 0.9.1's authors use.
            inputs |= {"decode_timestep": 0.03, "decode_noise_scale": 0.025}
        return inputs
