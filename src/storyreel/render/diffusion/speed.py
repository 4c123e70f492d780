"""Which memory and speed options apply on this device: a pure decision, tested alone.

Each option either applies, is skipped with a note saying why (offloading on a machine
without an accelerator), or is refused with an EngineError when the user named
something that cannot work here (an attention backend that is not installed).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

from storyreel.errors import EngineError
from storyreel.render.diffusion.options import Settings

# Fastest first: FlashAttention 3 (Hopper), FlashAttention 2, SageAttention (8-bit),
# then PyTorch's own cuDNN kernel, which every recent CUDA build has.
_AUTO_ORDER = ("_flash_3", "flash", "sage", "_native_cudnn")


@dataclass(frozen=True)
class Device:
    """What the machine offers, as probed once (see `probe`)."""

    kind: str  # "cuda", "mps" or "cpu"
    bf16: bool = False
    # diffusers attention backends whose kernels are installed.
    attention: frozenset[str] = frozenset({"native"})
    # torch.compile can generate GPU kernels (Triton is installed).
    compiler: bool = False


@dataclass(frozen=True)
class SpeedPlan:
    dtype: str  # "bf16", "fp16" or "fp32"
    offload: str  # "none", "model" or "sequential"
    vae_tiling: bool
    compile: bool
    attention: str
    cache: str
    cache_threshold: float
    batched_cfg: bool
    notes: tuple[str, ...] = field(default=())


def plan(settings: Settings, device: Device, *, guided: bool) -> SpeedPlan:
    """The options that apply to `settings` on `device`; `guided`: the render uses
    classifier-free guidance (a scale above 1)."""
    notes: list[str] = []
    accelerator = device.kind != "cpu"

    dtype = settings.dtype
    if not accelerator and dtype != "fp32":
        notes.append(f"dtype {dtype}: the CPU computes in fp32 (half precision is slower there)")
        dtype = "fp32"
    elif dtype == "bf16" and not device.bf16:
        notes.append("dtype bf16: this GPU has no bf16 support, using fp16")
        dtype = "fp16"

    offload = settings.cpu_offload
    if offload != "none" and not accelerator:
        notes.append(f"cpu_offload {offload}: skipped, there is no GPU to offload from")
        offload = "none"

    compile_ = settings.compile
    if compile_ and (device.kind != "cuda" or not device.compiler):
        why = "it needs a CUDA GPU with Triton" if device.kind != "cuda" else "Triton is missing"
        notes.append(f"compile: skipped, {why}")
        compile_ = False
    if compile_ and offload == "sequential":
        notes.append("compile: skipped, sequential offload moves weights inside the graph")
        compile_ = False

    attention = _attention(settings.attention, device)
    if settings.attention == "auto":
        notes.append(f"attention: auto picked {attention}")

    batched = settings.batched_cfg
    if batched and not guided:
        notes.append("batched_cfg: skipped, guidance is off so there is one pass per step")
        batched = False

    return SpeedPlan(
        dtype=dtype,
        offload=offload,
        vae_tiling=settings.vae_tiling,
        compile=compile_,
        attention=attention,
        cache=settings.cache,
        cache_threshold=settings.cache_threshold,
        batched_cfg=batched,
        notes=tuple(notes),
    )


def _attention(wanted: str, device: Device) -> str:
    if wanted == "auto":
        if device.kind != "cuda":
            return "native"
        return next((b for b in _AUTO_ORDER if b in device.attention), "native")
    if wanted not in device.attention:
        have = ", ".join(sorted(device.attention))
        raise EngineError(
            f"attention backend {wanted!r} is not available on this {device.kind} machine "
            f"(available: {have}); install its kernels or use -O attention=auto"
        )
    return wanted


def probe(kind: str | None = None) -> Device:
    """The device a render will use: the first CUDA GPU, else Apple's GPU, else the CPU."""
    import torch

    if kind is None:
        kind = "cuda" if torch.cuda.is_available() else "cpu"
        if kind == "cpu" and torch.backends.mps.is_available():
            kind = "mps"
    if kind != "cuda":
        return Device(kind=kind, bf16=kind == "mps", attention=frozenset({"native"}))
    found = {"native", "_native_flash", "flex", "_native_cudnn"}
    # The kernels' own packages: FlashAttention 2, FlashAttention 3 (Hopper), SageAttention.
    for backend, package in (
        ("flash", "flash_attn"),
        ("_flash_3", "flash_attn_interface"),
        ("sage", "sageattention"),
    ):
        if importlib.util.find_spec(package) is not None:
            found.add(backend)
    compiler = importlib.util.find_spec("triton") is not None
    return Device(
        kind="cuda",
        bf16=bool(torch.cuda.is_bf16_supported()),
        attention=frozenset(found),
        compiler=compiler,
    )
