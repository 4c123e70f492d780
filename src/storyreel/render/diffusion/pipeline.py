"""Loading a diffusers pipeline and applying the memory and speed options to it.

One loaded pipeline is kept per process: the render workers make one engine per shot,
and loading gigabytes of weights for every shot would cost more than rendering it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from storyreel.errors import EngineError
from storyreel.render.diffusion.speed import Device, SpeedPlan
from storyreel.render.diffusion.weights import ModelFolder

if TYPE_CHECKING:
    import torch

# Components that hold a transformer the speed options act on (Wan 2.2 A14B has two).
TRANSFORMERS = ("transformer", "transformer_2")
# The last pipeline loaded in this process, by what it was loaded with.
_LOADED: dict[tuple[object, ...], Any] = {}
# Other pipeline classes made over the loaded pipeline's components, by class name.
_DERIVED: dict[str, Any] = {}


def torch_dtype(name: str) -> torch.dtype:
    import torch

    return {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}[name]


def load(
    model: ModelFolder, class_name: str, plan: SpeedPlan, device: Device, keep_fp32: tuple[str, ...]
) -> Any:
    """The pipeline `class_name` from `model`, on `device`, with `plan` applied.

    `keep_fp32`: components that lose too much in half precision (Wan's VAE and image
    encoder, say), loaded in fp32 whatever the plan's dtype.
    """
    key = (str(model.path), class_name, plan, device, keep_fp32)
    if key in _LOADED:
        return _LOADED[key]
    # Drop the previous pipeline before loading the next: two sets of weights at once
    # would not fit where one barely does.
    _LOADED.clear()
    _DERIVED.clear()
    import diffusers
    import torch

    cls = getattr(diffusers, class_name, None)
    if cls is None:
        raise EngineError(
            f"this diffusers ({diffusers.__version__}) has no {class_name}; upgrade it with "
            "`pip install -U 'storyreel[diffusers]'`"
        )
    dtypes: dict[str, torch.dtype] = {"default": torch_dtype(plan.dtype)}
    dtypes |= {name: torch.float32 for name in keep_fp32}
    try:
        pipe = cls.from_pretrained(model.path, dtype=dtypes, local_files_only=True)
    except (OSError, ValueError) as exc:
        raise EngineError(f"could not load the model in {model.path}: {exc}") from None
    pipe.set_progress_bar_config(disable=True)
    apply(pipe, plan, device)
    _LOADED[key] = pipe
    return pipe


def transformers_of(pipe: Any) -> list[Any]:
    return [m for m in (getattr(pipe, n, None) for n in TRANSFORMERS) if m is not None]


def apply(pipe: Any, plan: SpeedPlan, device: Device) -> None:
    """Apply the plan's options to a freshly loaded pipeline, in the order diffusers
    needs: kernels and hooks on the modules first, then placement, then compilation."""
    for transformer in transformers_of(pipe):
        if plan.attention != "native":
            transformer.set_attention_backend(plan.attention)
        if plan.cache == "fbc":
            from diffusers.hooks.first_block_cache import FirstBlockCacheConfig

            transformer.enable_cache(FirstBlockCacheConfig(threshold=plan.cache_threshold))
    if plan.vae_tiling and hasattr(pipe.vae, "enable_tiling"):
        pipe.vae.enable_tiling()
    if plan.offload == "model":
        pipe.enable_model_cpu_offload(device=device.kind)
    elif plan.offload == "sequential":
        pipe.enable_sequential_cpu_offload(device=device.kind)
    else:
        pipe.to(device.kind)
    if plan.compile:
        for transformer in transformers_of(pipe):
            # The blocks are identical: compiling one and reusing it for all compiles in
            # seconds rather than minutes, with the same kernels.
            transformer.compile_repeated_blocks(fullgraph=True)


def derive(pipe: Any, class_name: str) -> Any:
    """Another pipeline class over the same loaded components (an image-to-video
    pipeline from a model folder saved as text-to-video, for instance)."""
    import diffusers

    if type(pipe).__name__ == class_name:
        return pipe
    derived = _DERIVED.get(class_name)
    if derived is None or derived.vae is not pipe.vae:
        derived = getattr(diffusers, class_name).from_pipe(pipe)
        derived.set_progress_bar_config(disable=True)
        _DERIVED[class_name] = derived
    return derived


StepCallback = Callable[[Any, int, Any, dict[str, Any]], dict[str, Any]]


def progress_callback(
    report: Callable[[float], None] | None, segment: int, segments: int, steps: int
) -> StepCallback | None:
    """A `callback_on_step_end` that reports the whole shot's fraction done."""
    if report is None:
        return None

    def on_step(pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        assert report is not None
        report(min(1.0, (segment + (step + 1) / steps) / segments))
        return {}

    return on_step
