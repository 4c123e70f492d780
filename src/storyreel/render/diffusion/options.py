"""Engine options for the diffusers engines, and the presets that fill them.

Every field the user may override defaults to None, meaning "the preset decides"; a
preset is a small table per model (draft: fewer steps, a smaller picture, caching on;
final: the model's own recommended settings). `resolve` merges the two into Settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Preset = Literal["draft", "final"]
Dtype = Literal["bf16", "fp16", "fp32"]
# Where the weights wait between uses: "model" moves whole models to the GPU one at a
# time (a little slower, about a third of the memory); "sequential" moves layer by layer
# (slow, for GPUs with very little memory).
Offload = Literal["none", "model", "sequential"]
# diffusers' attention backends that are worth naming; "auto" picks the fastest one
# installed for the device.
Attention = Literal[
    "auto", "native", "flash", "_flash_3", "sage", "_native_cudnn", "_native_flash", "flex"
]
# Step caching: "fbc" skips the rest of the network when the first block's output has
# barely changed since the last step (First Block Cache); "none" computes every step.
Cache = Literal["none", "fbc"]


class DiffusionOptions(BaseModel):
    """What a user can set for a diffusers engine (`-O key=value`)."""

    model_config = ConfigDict(extra="forbid")

    # A local model folder (as `hf download REPO --local-dir PATH` makes it) or a Hub
    # repo id looked up in the local Hugging Face cache.
    model_path: str | None = None
    # Weights are many gigabytes: fetching them is something the user asks for.
    allow_download: bool = False
    # final: the model's recommended steps and size; draft: a quick look at the shot.
    preset: Preset = "final"
    # Denoising steps; quality rises slowly past the model's recommended count.
    steps: int | None = Field(default=None, ge=1, le=200)
    # Classifier-free guidance scale; 1 turns guidance off (half the work per step).
    guidance: float | None = Field(default=None, ge=1.0, le=20.0)
    # The picture's short side in pixels as the model makes it (480 for "480p"); the long
    # side follows the request's aspect ratio. Frames are scaled to the request's size.
    resolution: int | None = Field(default=None, ge=16, le=1440)
    # Most frames the model makes in one go; longer shots are made in segments, each
    # continuing from the last frame of the one before.
    segment_frames: int | None = Field(default=None, ge=2, le=513)
    # Weight precision on a GPU (the CPU always computes in fp32).
    dtype: Dtype | None = None
    cpu_offload: Offload | None = None
    # Decode the video in tiles: less memory at high resolution, a little slower.
    vae_tiling: bool | None = None
    # torch.compile the transformer: a slow first shot, faster ones after (GPU only).
    compile: bool | None = None
    attention: Attention = "auto"
    cache: Cache | None = None
    # How much the first block's output may change before the cache recomputes; higher
    # skips more steps and loses more detail.
    cache_threshold: float | None = Field(default=None, gt=0.0, le=1.0)
    # Run the guided and the unguided pass as one batch of two: one launch per step
    # instead of two, at the cost of a little more memory.
    batched_cfg: bool | None = None


@dataclass(frozen=True)
class Settings:
    """Options with every preset-filled field decided."""

    steps: int
    guidance: float
    resolution: int
    segment_frames: int
    dtype: Dtype
    cpu_offload: Offload
    vae_tiling: bool
    compile: bool
    attention: Attention
    cache: Cache
    cache_threshold: float
    batched_cfg: bool


# Speed settings shared by every model's presets; the models' tables add steps,
# guidance and size.
DRAFT_SPEED: dict[str, Any] = {
    "dtype": "bf16",
    "cpu_offload": "none",
    "vae_tiling": False,
    # A draft is looked at once: compiling would cost more than it saves.
    "compile": False,
    "cache": "fbc",
    # Loose: a draft may lose fine detail.
    "cache_threshold": 0.1,
    "batched_cfg": True,
}
FINAL_SPEED: dict[str, Any] = {
    "dtype": "bf16",
    "cpu_offload": "none",
    "vae_tiling": False,
    # Many shots of the same size: the compile is paid once per process.
    "compile": True,
    # Caching trades detail for time; a final render keeps every step.
    "cache": "none",
    "cache_threshold": 0.05,
    "batched_cfg": True,
}


def resolve(options: DiffusionOptions, presets: Mapping[str, Mapping[str, Any]]) -> Settings:
    """The settings a render uses: the user's values where set, else the preset's."""
    table = dict(presets[options.preset])
    chosen = {name: getattr(options, name) for name in Settings.__dataclass_fields__}
    for name, value in chosen.items():
        if value is None:
            chosen[name] = table[name]
    return Settings(**chosen)
