"""Kokoro's int8 graph rewritten at load time, in memory, so its convolutions run on
onnxruntime's fast int8 matrix product.

    model = fast_convolutions(model_bytes())     # bytes for onnxruntime.InferenceSession

The published model is onnxruntime's *dynamic* quantization of the float export. Its
matrix products (MatMulInteger, int8 weights) are fused by onnxruntime into
DynamicQuantizeMatMul, which runs on the CPU's int8 dot-product instructions; its 87
one-dimensional convolutions are

    x -> DynamicQuantizeLinear -> ConvInteger(w_uint8) [-> Add(bias_int32)]
      -> Cast(float) -> Mul(x_scale * w_scale)

and ConvInteger with uint8 weights has no such kernel: it is about two thirds of the
model's time. Here each convolution becomes the same arithmetic as a matrix product,

    x -> Transpose -> Pad -> k shifted Slices -> Concat (the columns a kernel sees)
      -> DynamicQuantizeLinear -> MatMulInteger(w_int8) -> Cast -> Mul [-> Add(bias)]
      -> Transpose

with the weight shifted from uint8 to int8 (`w - 128`, zero point `zp - 128`: the same
differences, so the same integers). The columns hold the input's values and padding
zeros, so they quantize with the input's own scale and zero point and the integer
products are the convolution's; only the bias is added in float rather than rounded
to int32 first. The sound is the published model's to within that rounding (the tests
compare the two).

A chain that does not match the pattern is left as it is, so a different export still
loads (only slower): here the three strided convolutions, which are small. Nodes
and weights left unused are dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import onnx

# Bumped whenever the rewrite changes what the graph computes: part of a spoken line's
# cache key, with the model's digest.
REWRITE_VERSION = "im2col-matmul-1"
_END = np.iinfo(np.int64).max


@dataclass(frozen=True)
class _Conv:
    """One quantized convolution and what replaces it."""

    quantized: tuple[str, str, str]  # its input quantized [N, C, L], the scale, the zero point
    weight: NDArray[np.uint8]  # [M, C, k]
    zero_point: int
    scale: NDArray[np.float32]  # scalar or [M]
    bias: NDArray[np.float32] | None  # [M]
    pads: tuple[int, int]
    dilation: int
    output: str  # the chain's float output, [N, M, L']
    removed: tuple[int, ...]  # ids of the nodes replaced


def fast_convolutions(model: bytes) -> bytes:
    """`model` with every dynamically quantized 1-D convolution run as an int8 matrix
    product (the module's docstring says how)."""
    import onnx

    proto = onnx.load_from_string(model)
    graph = proto.graph
    inits = {init.name: init for init in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}
    consumers: defaultdict[str, list[onnx.NodeProto]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)

    def array(name: str) -> NDArray[np.generic] | None:
        from onnx import numpy_helper

        init = inits.get(name)
        return None if init is None else np.asarray(numpy_helper.to_array(init))

    convs = [
        conv
        for node in graph.node
        if node.op_type == "ConvInteger"
        and (conv := _match(node, producer, consumers, array)) is not None
    ]
    replaced = {id_ for conv in convs for id_ in conv.removed}
    added: dict[int, list[onnx.NodeProto]] = {}
    new_inits: list[onnx.TensorProto] = []
    for number, conv in enumerate(convs):
        made, tensors = _as_matmul(conv, f"storyreel_conv{number}")
        added[conv.removed[0]] = made
        new_inits.extend(tensors)
    nodes: list[onnx.NodeProto] = []
    for node in graph.node:
        nodes.extend(added.get(id(node), ()))
        if id(node) not in replaced:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(_live(nodes, {out.name for out in graph.output}))
    used = {name for node in graph.node for name in node.input}
    kept = [init for init in [*graph.initializer, *new_inits] if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    return bytes(proto.SerializeToString())


def _tensor(values: NDArray[np.generic], name: str) -> onnx.TensorProto:
    from onnx import numpy_helper

    return numpy_helper.from_array(values, name)


def _as_matmul(conv: _Conv, name: str) -> tuple[list[onnx.NodeProto], list[onnx.TensorProto]]:
    """The nodes and weights that compute `conv` as a matrix product over its columns."""
    from onnx import helper

    m, c, k = conv.weight.shape
    # Row j*C + c of the matrix is tap j of input channel c.
    shifted = conv.weight.astype(np.int16) - 128
    matrix = shifted.transpose(2, 1, 0).reshape(k * c, m).astype(np.int8)
    tensors = [
        _tensor(matrix, f"{name}_w"),
        _tensor(np.array(conv.zero_point - 128, np.int8), f"{name}_wzp"),
        _tensor(conv.scale.astype(np.float32), f"{name}_wscale"),
    ]
    quantized, scale, zero = conv.quantized
    nodes = [helper.make_node("Transpose", [quantized], [f"{name}_nlc"], perm=[0, 2, 1])]
    columns = f"{name}_nlc"
    if k > 1 or any(conv.pads):
        before, after = conv.pads
        tensors.append(_tensor(np.array([0, before, 0, 0, after, 0], np.int64), f"{name}_pads"))
        # Padded with the zero point: the quantized zero, as ConvInteger pads.
        nodes.append(helper.make_node("Pad", [columns, f"{name}_pads", zero], [f"{name}_padded"]))
        span = (k - 1) * conv.dilation
        taps: list[str] = []
        for j in range(k):
            start, end = j * conv.dilation, j * conv.dilation - span
            tensors.append(_tensor(np.array([start], np.int64), f"{name}_s{j}"))
            tensors.append(_tensor(np.array([end if end < 0 else _END], np.int64), f"{name}_e{j}"))
            tensors.append(_tensor(np.array([1], np.int64), f"{name}_a{j}"))
            nodes.append(
                helper.make_node(
                    "Slice",
                    [f"{name}_padded", f"{name}_s{j}", f"{name}_e{j}", f"{name}_a{j}"],
                    [f"{name}_tap{j}"],
                )
            )
            taps.append(f"{name}_tap{j}")
        columns = f"{name}_cols"
        nodes.append(helper.make_node("Concat", taps, [columns], axis=2))
    nodes += [
        helper.make_node(
            "MatMulInteger", [columns, f"{name}_w", zero, f"{name}_wzp"], [f"{name}_int"]
        ),
        helper.make_node("Cast", [f"{name}_int"], [f"{name}_float"], to=1),
        helper.make_node("Mul", [scale, f"{name}_wscale"], [f"{name}_scale"]),
        helper.make_node("Mul", [f"{name}_float", f"{name}_scale"], [f"{name}_scaled"]),
    ]
    product = f"{name}_scaled"
    if conv.bias is not None:
        # The bias rounded to whole steps of the product's scale, as ConvInteger's
        # int32 bias was: the same sum, added after the scaling rather than before.
        tensors.append(_tensor(conv.bias, f"{name}_b"))
        nodes += [
            helper.make_node("Div", [f"{name}_b", f"{name}_scale"], [f"{name}_bsteps"]),
            helper.make_node("Floor", [f"{name}_bsteps"], [f"{name}_bwhole"]),
            helper.make_node("Mul", [f"{name}_bwhole", f"{name}_scale"], [f"{name}_bq"]),
            helper.make_node("Add", [product, f"{name}_bq"], [f"{name}_biased"]),
        ]
        product = f"{name}_biased"
    nodes.append(helper.make_node("Transpose", [product], [conv.output], perm=[0, 2, 1]))
    return nodes, tensors


Lookup = Callable[[str], "NDArray[np.generic] | None"]


def _match(
    node: onnx.NodeProto,
    producer: dict[str, onnx.NodeProto],
    consumers: defaultdict[str, list[onnx.NodeProto]],
    array: Lookup,
) -> _Conv | None:
    """The convolution behind one ConvInteger chain, or None when the chain is not the
    dynamic-quantization pattern the module describes."""

    def only_consumer(name: str) -> onnx.NodeProto | None:
        found = consumers.get(name, [])
        return found[0] if len(found) == 1 else None

    def made_by(name: str, op: str) -> onnx.NodeProto | None:
        found = producer.get(name)
        return found if found is not None and found.op_type == op else None

    attrs = {a.name: a for a in node.attribute}
    auto_pad = attrs["auto_pad"].s if "auto_pad" in attrs else b""
    if len(node.input) != 4 or auto_pad not in (b"", b"NOTSET"):
        return None
    if "strides" in attrs and list(attrs["strides"].ints) not in ([], [1]):
        return None
    if "group" in attrs and attrs["group"].i != 1:
        return None
    quantize = made_by(node.input[0], "DynamicQuantizeLinear")
    weight, zero_point = array(node.input[1]), array(node.input[3])
    if quantize is None or weight is None or zero_point is None:
        return None
    if weight.dtype != np.uint8 or weight.ndim != 3 or zero_point.size != 1:
        return None
    pads = tuple(attrs["pads"].ints) if "pads" in attrs else (0, 0)
    dilations = tuple(attrs["dilations"].ints) if "dilations" in attrs else (1,)
    if len(pads) != 2 or len(dilations) != 1:
        return None
    removed = [node]
    step = only_consumer(node.output[0])
    bias_int = None
    if step is not None and step.op_type == "Add":
        bias_int = step.input[1] if step.input[0] == node.output[0] else step.input[0]
        removed.append(step)
        step = only_consumer(step.output[0])
    if step is None or step.op_type != "Cast":
        return None
    removed.append(step)
    scale_mul = only_consumer(step.output[0])
    if scale_mul is None or scale_mul.op_type != "Mul":
        return None
    removed.append(scale_mul)
    scales = scale_mul.input[1] if scale_mul.input[0] == step.output[0] else scale_mul.input[0]
    both = made_by(scales, "Mul")
    if both is None or quantize.output[1] not in both.input:
        return None
    scale = next((a for name in both.input if (a := array(name)) is not None), None)
    if scale is None or scale.size not in (1, weight.shape[0]):
        return None
    bias = None
    if bias_int is not None:
        bias = _float_bias(bias_int, producer, array)
        if bias is None or bias.size != weight.shape[0]:
            return None
    return _Conv(
        quantized=(quantize.output[0], quantize.output[1], quantize.output[2]),
        weight=weight.astype(np.uint8),
        zero_point=int(zero_point.reshape(-1)[0]),
        scale=scale.astype(np.float32).reshape(-1 if scale.size > 1 else ()),
        bias=bias,
        pads=(int(pads[0]), int(pads[1])),
        dilation=int(dilations[0]),
        output=scale_mul.output[0],
        removed=tuple(id(n) for n in removed),
    )


def _float_bias(
    name: str, producer: dict[str, onnx.NodeProto], array: Lookup
) -> NDArray[np.float32] | None:
    """The float bias behind Reshape(Cast(Floor(Div(bias, scale)))): the int32 bias the
    quantizer computes at run time."""
    node = producer.get(name)
    for op in ("Reshape", "Cast", "Floor", "Div"):
        if node is None or node.op_type != op:
            return None
        if op == "Div":
            bias = array(node.input[0])
            return None if bias is None else bias.astype(np.float32).reshape(-1)
        node = producer.get(node.input[0])
    return None


def _live(nodes: list[onnx.NodeProto], outputs: set[str]) -> list[onnx.NodeProto]:
    """`nodes` (in graph order) less those whose outputs nothing reads."""
    needed = set(outputs)
    keep = [False] * len(nodes)
    for index in range(len(nodes) - 1, -1, -1):
        if any(out in needed for out in nodes[index].output):
            keep[index] = True
            needed.update(nodes[index].input)
    return [node for node, kept in zip(nodes, keep, strict=True) if kept]
