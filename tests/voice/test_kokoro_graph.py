"""Kokoro's convolutions rewritten as int8 matrix products (voice/kokoro_graph.py): the
same numbers on a small quantized convolution, the same voice on the real model, and
the rewritten graph kept in the cache folder and checked when read back."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper

from storyreel.voice import VoiceProfile, kokoro
from storyreel.voice.kokoro import KokoroOptions, KokoroVoice, fast_model_bytes, model_bytes
from storyreel.voice.kokoro_graph import fast_convolutions


def quantized_conv(pads: list[int], dilation: int, kernel: int) -> bytes:
    """A float 1-D convolution as onnxruntime's dynamic quantization writes it:
    DynamicQuantizeLinear -> ConvInteger -> Add(int32 bias) -> Cast -> Mul(scales)."""
    rng = np.random.default_rng(7)
    channels, outputs = 6, 5
    weight = rng.integers(0, 256, (outputs, channels, kernel), dtype=np.uint8)
    inits = [
        numpy_helper.from_array(weight, "w"),
        numpy_helper.from_array(np.array(131, np.uint8), "wz"),
        numpy_helper.from_array(np.array(0.01, np.float32), "ws"),
        numpy_helper.from_array(rng.standard_normal(outputs).astype(np.float32), "bias"),
        numpy_helper.from_array(np.array([1, outputs, 1], np.int64), "shape"),
    ]
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["q", "qs", "qz"]),
        helper.make_node("Mul", ["qs", "ws"], ["scale"]),
        helper.make_node("Div", ["bias", "scale"], ["steps"]),
        helper.make_node("Floor", ["steps"], ["whole"]),
        helper.make_node("Cast", ["whole"], ["bias_int"], to=TensorProto.INT32),
        helper.make_node("Reshape", ["bias_int", "shape"], ["bias_col"]),
        helper.make_node(
            "ConvInteger",
            ["q", "w", "qz", "wz"],
            ["yi"],
            pads=pads,
            dilations=[dilation],
            kernel_shape=[kernel],
        ),
        helper.make_node("Add", ["yi", "bias_col"], ["yb"]),
        helper.make_node("Cast", ["yb"], ["yf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["yf", "scale"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, channels, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    return bytes(model.SerializeToString())


def run(model: bytes, x: np.ndarray) -> np.ndarray:
    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    return np.asarray(session.run(None, {"x": x})[0])


@pytest.mark.parametrize(("pads", "dilation", "kernel"), [([1, 1], 1, 3), ([4, 4], 2, 5)])
def test_a_quantized_convolution_computes_the_same_numbers(
    pads: list[int], dilation: int, kernel: int
) -> None:
    published = quantized_conv(pads, dilation, kernel)
    rewritten = fast_convolutions(published)
    ops = [node.op_type for node in onnx.load_from_string(rewritten).graph.node]
    assert "ConvInteger" not in ops and "MatMulInteger" in ops
    x = np.random.default_rng(3).standard_normal((1, 6, 40)).astype(np.float32)
    expected, got = run(published, x), run(rewritten, x)
    assert got.shape == expected.shape == (1, 5, 40)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_a_graph_without_the_pattern_is_left_as_it_is() -> None:
    # A ConvInteger fed straight from an input is no dynamic quantization: untouched.
    graph = helper.make_graph(
        [helper.make_node("ConvInteger", ["q", "w"], ["y"], kernel_shape=[1])],
        "plain",
        [helper.make_tensor_value_info("q", TensorProto.UINT8, [1, 2, 4])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, None)],
        [numpy_helper.from_array(np.ones((3, 2, 1), np.uint8), "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    rewritten = onnx.load_from_string(fast_convolutions(model.SerializeToString()))
    assert [node.op_type for node in rewritten.graph.node] == ["ConvInteger"]


def band_levels(samples: np.ndarray) -> np.ndarray:
    """Per 1024-sample frame, the level in dB of 24 bands from 80 Hz to 8 kHz, floored
    60 dB under the loudest: what the ear follows, not the waveform's phase."""
    frames = np.lib.stride_tricks.sliding_window_view(samples, 1024)[::256] * np.hanning(1024)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(1024, 1 / 24_000)
    edges = np.geomspace(80, 8000, 25)
    energy = np.stack(
        [
            power[:, (freqs >= lo) & (freqs < hi)].sum(axis=1)
            for lo, hi in itertools.pairwise(edges)
        ],
        axis=1,
    )
    levels = 10 * np.log10(energy + 1e-12)
    return np.asarray(np.maximum(levels, levels.max() - 60), dtype=np.float64)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "The kite is torn, but I can mend it."), ("zh", "风筝破了，我来补。")],
)
def test_the_rewritten_model_speaks_as_the_published_one(lang: str, text: str) -> None:
    # Kokoro's sine source is so sensitive that one float rounding step in its style
    # shifts the waveform's phase; the length and the spectrum are what must not move.
    profile = VoiceProfile(variant="f1", gender="female")
    published = KokoroVoice(KokoroOptions(fast_convolutions=False)).synthesize(text, lang, profile)
    fast = KokoroVoice().synthesize(text, lang, profile)
    assert abs(len(fast.samples) - len(published.samples)) <= 0.01 * len(published.samples)
    n = min(len(fast.samples), len(published.samples))
    a, b = band_levels(published.samples[:n]), band_levels(fast.samples[:n])
    assert np.corrcoef(a.ravel(), b.ravel())[0, 1] > 0.96
    loudness = np.sqrt(np.mean(fast.samples**2)) / np.sqrt(np.mean(published.samples**2))
    assert 0.9 < loudness < 1.1


def test_the_rewritten_graph_is_kept_and_checked_when_read_back(tmp_path: Path) -> None:
    made = fast_model_bytes(tmp_path)
    kept = list(tmp_path.glob("*.onnx"))
    assert len(kept) == 1 and kept[0].read_bytes() == made
    # Of the 87 convolutions only the three strided ones (small, cheap) stay as they were.
    left = [n for n in onnx.load_from_string(made).graph.node if n.op_type == "ConvInteger"]
    assert len(left) == 3
    assert all(list(a.ints) != [1] for n in left for a in n.attribute if a.name == "strides")
    assert fast_model_bytes(tmp_path) == made  # read back
    kept[0].write_bytes(b"damaged")
    assert fast_model_bytes(tmp_path) == made  # made again, not loaded damaged
    assert kept[0].read_bytes() == made
    assert len(model_bytes()) < len(made) * 1.1  # still int8 weights: about the same size


def test_the_published_parts_are_checked_again_only_when_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = fast_model_bytes(tmp_path)
    joined: list[int] = []
    real = kokoro.model_bytes

    def counted() -> bytes:
        joined.append(1)
        return real()

    monkeypatch.setattr(kokoro, "model_bytes", counted)
    assert fast_model_bytes(tmp_path) == made
    assert joined == []  # the parts are the files the copy was checked against
    parts = kokoro.installed_parts()
    touched = [[*part[:2], int(part[2]) + 1, part[3]] for part in parts]
    monkeypatch.setattr(kokoro, "installed_parts", lambda: touched)
    assert fast_model_bytes(tmp_path) == made
    assert joined == [1]  # joined and checked by digest again; the copy still served
    assert fast_model_bytes(tmp_path) == made
    assert joined == [1]  # and the stamp now describes the parts as they are


def test_the_graph_is_part_of_a_lines_cache_key() -> None:
    fast = KokoroVoice().identity()
    published = KokoroVoice(KokoroOptions(fast_convolutions=False)).identity()
    assert fast["model"] == published["model"] and fast["graph"] != published["graph"]
