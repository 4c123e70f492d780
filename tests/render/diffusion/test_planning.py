"""The pure decisions: segment plans, sizes and retiming, presets, which speed options
apply on which device."""

from __future__ import annotations

import numpy as np
import pytest

from storyreel.errors import EngineError
from storyreel.render.diffusion.frames import fit, model_frames, model_size, retime
from storyreel.render.diffusion.options import DiffusionOptions, Settings, resolve
from storyreel.render.diffusion.segments import join_segments, plan_segments, valid_length
from storyreel.render.diffusion.speed import Device, plan
from storyreel.render.engines.wan import wan_presets, wan_variant


@pytest.mark.parametrize(
    ("needed", "limit", "step", "expected"),
    [
        (1, 81, 4, [1]),
        (5, 81, 4, [5]),
        (6, 81, 4, [9]),
        (81, 81, 4, [81]),
        (82, 81, 4, [45, 45]),
        (161, 81, 4, [81, 81]),
        (162, 81, 4, [57, 57, 57]),
        (100, 83, 4, [53, 53]),  # the limit is rounded down to 4k+1 (81)
        (34, 9, 4, [9, 9, 9, 9, 9]),
        (300, 161, 8, [153, 153]),
    ],
)
def test_plan_segments(needed: int, limit: int, step: int, expected: list[int]) -> None:
    counts = plan_segments(needed, limit, step)
    assert counts == expected
    made = sum(counts) - (len(counts) - 1)
    assert made >= needed and made - needed < step * len(counts)
    assert all((c - 1) % step == 0 and c <= limit for c in counts)


def test_plan_segments_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one frame"):
        plan_segments(0, 81, 4)
    with pytest.raises(ValueError, match="at least 5 frames"):
        plan_segments(10, 4, 4)


def test_valid_length() -> None:
    assert [valid_length(n, 4) for n in (1, 2, 5, 6, 9)] == [1, 5, 5, 9, 9]


def test_join_keeps_the_shared_frame_once() -> None:
    a = np.arange(5)[:, None] * np.ones((5, 2))
    b = (np.arange(5)[:, None] + 4) * np.ones((5, 2))
    joined = join_segments([a, b])
    assert joined[:, 0].tolist() == list(range(9))


@pytest.mark.parametrize(
    ("size", "short", "multiple", "expected"),
    [
        ((1280, 720), 480, 16, (848, 480)),
        ((1280, 720), 512, 32, (896, 512)),
        ((720, 1280), 480, 16, (480, 848)),
        ((48, 32), 32, 16, (48, 32)),
        ((64, 64), 8, 16, (16, 16)),
    ],
)
def test_model_size_keeps_the_aspect_ratio(
    size: tuple[int, int], short: int, multiple: int, expected: tuple[int, int]
) -> None:
    assert model_size(*size, short, multiple) == expected


def test_retime_from_model_rate_to_request_rate() -> None:
    # 24 fps from a 16 fps model: each model frame shown 1.5 times on average.
    assert model_frames(24, 24, 16) == 17
    assert retime(17, 16, 24, 24)[:7] == [0, 1, 1, 2, 3, 3, 4]
    assert retime(17, 16, 24, 24)[-1] == 15
    # 8 fps from 16 fps: every other frame; never past the last one made.
    assert retime(5, 16, 4, 8) == [0, 2, 4, 4]
    assert model_frames(1, 24, 16) == 1


def test_fit_covers_and_crops() -> None:
    frame = np.zeros((32, 64, 3), np.float32)
    frame[:, :32] = 1.0
    out = fit(frame, 32, 32)
    assert out.shape == (32, 32, 3) and out.dtype == np.uint8
    # The middle of a 64-wide frame: left half white, right half black.
    assert out[16, 4].min() == 255 and out[16, 28].max() == 0


def test_presets_fill_what_the_user_left_open() -> None:
    presets = wan_presets("1.3B")
    draft = resolve(DiffusionOptions(preset="draft"), presets)
    final = resolve(DiffusionOptions(preset="final"), presets)
    assert (draft.steps, draft.resolution, draft.cache, draft.compile) == (20, 320, "fbc", False)
    assert (final.steps, final.resolution, final.cache, final.compile) == (50, 480, "none", True)
    assert draft.segment_frames == final.segment_frames == 81
    mine = resolve(DiffusionOptions(preset="draft", steps=8, cache="none", dtype="fp16"), presets)
    assert (mine.steps, mine.cache, mine.dtype, mine.resolution) == (8, "none", "fp16", 320)
    assert wan_presets("14B")["final"]["resolution"] == 720
    assert wan_presets("TI2V-5B")["final"]["segment_frames"] == 121


def test_wan_variant_from_config() -> None:
    assert wan_variant({"transformer_2": ["diffusers", "X"]}, {}) == "A14B"
    assert wan_variant({"transformer_2": [None, None], "expand_timesteps": True}, {}) == "TI2V-5B"
    assert wan_variant({}, {"num_attention_heads": 12, "attention_head_dim": 128}) == "1.3B"
    assert wan_variant({}, {"num_attention_heads": 40, "attention_head_dim": 128}) == "14B"


CPU = Device(kind="cpu")
H100 = Device(
    kind="cuda",
    bf16=True,
    attention=frozenset({"native", "_native_cudnn", "flash", "_flash_3"}),
    compiler=True,
)


def settings(**changes: object) -> Settings:
    options = DiffusionOptions.model_validate({"preset": "final", **changes})
    return resolve(options, wan_presets("1.3B"))


def test_on_the_cpu_gpu_options_are_skipped_with_a_reason() -> None:
    chosen = plan(settings(cpu_offload="model"), CPU, guided=True)
    assert (chosen.dtype, chosen.offload, chosen.compile, chosen.attention) == (
        "fp32",
        "none",
        False,
        "native",
    )
    notes = " | ".join(chosen.notes)
    assert "no GPU to offload from" in notes and "compile: skipped" in notes
    assert chosen.batched_cfg and chosen.cache == "none"


def test_on_a_gpu_the_final_preset_applies_in_full() -> None:
    chosen = plan(settings(), H100, guided=True)
    assert (chosen.dtype, chosen.compile, chosen.attention, chosen.batched_cfg) == (
        "bf16",
        True,
        "_flash_3",
        True,
    )
    older = Device(kind="cuda", bf16=False, attention=frozenset({"native", "_native_cudnn"}))
    chosen = plan(settings(), older, guided=False)
    assert (chosen.dtype, chosen.compile, chosen.attention) == ("fp16", False, "_native_cudnn")
    assert not chosen.batched_cfg and any("guidance is off" in n for n in chosen.notes)


def test_sequential_offload_turns_compile_off() -> None:
    chosen = plan(settings(cpu_offload="sequential"), H100, guided=True)
    assert chosen.offload == "sequential" and not chosen.compile


def test_a_named_attention_backend_that_is_missing_is_an_error() -> None:
    with pytest.raises(EngineError, match=r"'sage' is not available.*attention=auto"):
        plan(settings(attention="sage"), H100, guided=True)
    assert plan(settings(attention="flash"), H100, guided=True).attention == "flash"
