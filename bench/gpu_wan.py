"""Wan 2.1 T2V 1.3B denoising speed: the plain diffusers pipeline against storyreel's
tuned `final` preset, in one run, ending with the ratio.

    .venv/bin/python bench/gpu_wan.py          # on a CUDA GPU: 832x480, 81 frames, 50 steps
    .venv/bin/python bench/gpu_wan.py --tiny   # a tiny config on the CPU: a smoke check only

The transformer has the real Wan2.1-T2V-1.3B architecture (30 layers, 1536 wide, 12
heads, ffn 8960, text 4096) with random weights: speed does not depend on the values.
The UMT5-XXL text encoder is left out; prompt embeddings of its shape (512 x 4096) are
passed in, so the timing is the denoiser's (and the VAE decode's, once per clip).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from typing import Any

import torch

from storyreel.render.diffusion import pipeline as pipelines
from storyreel.render.diffusion.options import DiffusionOptions, resolve
from storyreel.render.diffusion.speed import SpeedPlan, plan, probe
from storyreel.render.engines.wan import wan_presets, wan_prompt_inputs

REAL = {
    "patch_size": (1, 2, 2),
    "num_attention_heads": 12,
    "attention_head_dim": 128,
    "in_channels": 16,
    "out_channels": 16,
    "text_dim": 4096,
    "freq_dim": 256,
    "ffn_dim": 8960,
    "num_layers": 30,
    "cross_attn_norm": True,
    "qk_norm": "rms_norm_across_heads",
}
TINY = REAL | {
    "num_attention_heads": 2,
    "attention_head_dim": 12,
    "text_dim": 32,
    "ffn_dim": 32,
    "num_layers": 2,
    "rope_max_seq_len": 32,
}
TEXT_TOKENS = 512
# Dense bf16 tensor-core peak, by GPU name (H100 and H200 SXM share the chip's 989).
PEAK_TFLOPS = {"H100": 989.0, "H200": 989.0, "A100": 312.0, "L40S": 362.0}


@dataclass(frozen=True)
class Shape:
    frames: int
    height: int
    width: int
    steps: int


def clip_flops(config: dict[str, Any], shape: Shape, guided: bool = True) -> float:
    """Matmul FLOPs of the transformer for one clip (2 per multiply-add).

    Per layer, with L video tokens, T text tokens, width d and ffn width f:
    self-attention projections 4 * 2Ld^2, scores and weighted sum 2 * 2L^2 d,
    cross-attention q/o 2 * 2Ld^2, k/v 2 * 2Td^2, scores and sum 2 * 2LTd,
    feed-forward 2 * 2Ldf. Times layers, steps, and 2 passes with guidance.
    Norms, embeddings and the VAE are left out (under 1%).
    """
    d = config["num_attention_heads"] * config["attention_head_dim"]
    f, t = config["ffn_dim"], TEXT_TOKENS
    latent_frames = (shape.frames - 1) // 4 + 1
    tokens = latent_frames * (shape.height // 16) * (shape.width // 16)
    per_layer = (
        8 * tokens * d * d
        + 4 * tokens * tokens * d
        + 4 * tokens * d * d
        + 4 * t * d * d
        + 4 * tokens * t * d
        + 4 * tokens * d * f
    )
    passes = 2 if guided else 1
    return float(per_layer * config["num_layers"] * shape.steps * passes)


def build(config: dict[str, Any], tiny: bool, dtype: torch.dtype, device: str) -> Any:
    from diffusers import (
        AutoencoderKLWan,
        FlowMatchEulerDiscreteScheduler,
        WanPipeline,
        WanTransformer3DModel,
    )

    torch.manual_seed(0)
    transformer: Any = WanTransformer3DModel(**config)  # type: ignore[no-untyped-call]
    if dtype != torch.float32:
        transformer.to(dtype)
    # What from_pretrained(dtype=...) does: the norms, time embedding and rotary
    # tables stay in fp32, as Wan was trained.
    keep = set(getattr(transformer, "_keep_in_fp32_modules", None) or ())
    for name, module in transformer.named_modules():
        if keep & set(name.split(".")):
            module.to(torch.float32)
    vae_config = {"base_dim": 3, "dim_mult": [1, 1, 1, 1], "num_res_blocks": 1} if tiny else {}
    vae: Any = AutoencoderKLWan(**vae_config)  # type: ignore[no-untyped-call]
    pipe: Any = WanPipeline(  # type: ignore[no-untyped-call]
        tokenizer=None,
        text_encoder=None,
        vae=vae,
        scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),  # type: ignore[no-untyped-call]
        transformer=transformer,
    )
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device)


class _Embeds:
    """Prompt embeddings of UMT5-XXL's shape, for a pipeline without a text encoder."""

    def __init__(self, pipe: Any, text_dim: int, device: str) -> None:
        self.pipe = pipe
        gen = torch.Generator("cpu").manual_seed(1)
        self.cond = torch.randn(1, TEXT_TOKENS, text_dim, generator=gen).to(device)
        self.uncond = torch.randn(1, TEXT_TOKENS, text_dim, generator=gen).to(device)

    def encode_prompt(self, **_: Any) -> tuple[torch.Tensor, torch.Tensor]:
        return self.cond, self.uncond


def timed(pipe: Any, inputs: dict[str, Any], shape: Shape, device: str) -> tuple[float, float]:
    """(seconds for the clip, median seconds per denoising step)."""
    stamps: list[float] = []

    def on_step(_: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        if device == "cuda":
            torch.cuda.synchronize()
        stamps.append(time.perf_counter())
        return {}

    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    pipe(
        **inputs,
        height=shape.height,
        width=shape.width,
        num_frames=shape.frames,
        num_inference_steps=shape.steps,
        guidance_scale=5.0,
        generator=torch.Generator("cpu").manual_seed(0),
        output_type="np",
        callback_on_step_end=on_step,
    )
    if device == "cuda":
        torch.cuda.synchronize()
    total = time.perf_counter() - start
    deltas = [b - a for a, b in zip([start, *stamps], stamps, strict=False)][1:]
    return total, statistics.median(deltas) if deltas else total / shape.steps


def run(name: str, pipe: Any, inputs: dict[str, Any], shape: Shape, device: str) -> float:
    # One short warm-up: kernels are picked and (when compiling) compiled here.
    timed(pipe, inputs, Shape(shape.frames, shape.height, shape.width, 2), device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    total, per_step = timed(pipe, inputs, shape, device)
    print(f"{name}: seconds per step {per_step:.3f}")
    print(f"{name}: seconds per clip {total:.2f}")
    if device == "cuda":
        peak = torch.cuda.max_memory_allocated() / 2**30
        print(f"{name}: peak GPU memory {peak:.1f} GiB")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="tiny model on the CPU (smoke)")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument(
        "--cache",
        choices=("none", "fbc"),
        default=None,
        help="override the final preset's step cache for the tuned run",
    )
    args = parser.parse_args()

    device = "cpu" if args.tiny or not torch.cuda.is_available() else "cuda"
    if device == "cpu" and not args.tiny:
        parser.error("no CUDA GPU here; run with --tiny for a CPU smoke check")
    config: dict[str, Any] = TINY if args.tiny else REAL
    shape = Shape(9, 32, 32, 2) if args.tiny else Shape(81, 480, 832, 50)
    if args.steps:
        shape = Shape(shape.frames, shape.height, shape.width, args.steps)
    flops = clip_flops(config, shape)
    name = torch.cuda.get_device_name() if device == "cuda" else "cpu"
    peak = next((v for k, v in PEAK_TFLOPS.items() if k in name), None)
    print(
        f"device: {name}; clip {shape.width}x{shape.height}, {shape.frames} frames, "
        f"{shape.steps} steps, guidance 5"
    )
    print(f"transformer FLOPs per clip: {flops / 1e15:.2f} PFLOP")

    options = DiffusionOptions(preset="final", cache=args.cache)
    settings = resolve(options, wan_presets("1.3B"))
    speed: SpeedPlan = plan(settings, probe(device), guided=True)
    half = pipelines.torch_dtype(speed.dtype)

    # (a) plain: the pipeline as diffusers makes it, in the tuned run's dtype so the
    # ratio measures the speed options alone.
    plain = build(config, args.tiny, half, device)
    embeds = _Embeds(plain, config["text_dim"], device)
    plain_inputs = {"prompt_embeds": embeds.cond, "negative_prompt_embeds": embeds.uncond}
    plain_s = run("plain", plain, plain_inputs, shape, device)
    del plain
    if device == "cuda":
        torch.cuda.empty_cache()

    # (b) tuned: the final preset's options that apply on this device.
    print(
        "tuned options: "
        + ", ".join(
            f"{k}={getattr(speed, k)}"
            for k in ("dtype", "attention", "compile", "batched_cfg", "cache", "offload")
        )
    )
    for note in speed.notes:
        print(f"tuned note: {note}")
    tuned = build(config, args.tiny, half, device)
    pipelines.apply(tuned, speed, probe(device))
    tuned_embeds = _Embeds(tuned, config["text_dim"], device)
    tuned.encode_prompt = tuned_embeds.encode_prompt
    tuned_inputs = wan_prompt_inputs(tuned, "", "", speed)
    tuned_s = run("tuned", tuned, tuned_inputs, shape, device)

    for label, seconds in (("plain", plain_s), ("tuned", tuned_s)):
        if peak is not None:
            print(f"{label}: MFU {flops / seconds / (peak * 1e12):.1%} of {peak:.0f} TFLOPS bf16")
    print(
        f"ratio tuned/plain seconds per clip: {tuned_s / plain_s:.3f} "
        f"(speed-up {plain_s / tuned_s:.2f}x)"
    )


if __name__ == "__main__":
    main()
