"""The shipped encoder computes the same numbers on every CPU.

CPUs without VNNI (AVX2, early AVX-512) multiply the encoder's uint8 activations by its
int8 weights in pairs summed into 16 bits, which saturates when the weights use the full
int8 range: the same text then scores differently from one CPU to another (engine v2.10
did, and its known-failure list passed on one machine and failed on another). Weights in
[-64, 64] keep every pair within 16 bits (255 × 64 × 2 = 32,640), so every CPU computes
the same integers.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

#: 255 × 64 × 2 = 32,640 fits in a signed 16-bit sum; 255 × 65 × 2 does not.
SEVEN_BITS = 64


def _matmul_weights(model: onnx.ModelProto) -> list[np.ndarray]:
    inits = {i.name: i for i in model.graph.initializer}
    weights = []
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        w = numpy_helper.to_array(inits[node.input[1]]).astype(np.int32)
        if len(node.input) > 3 and node.input[3] in inits:
            w = w - numpy_helper.to_array(inits[node.input[3]]).astype(np.int32)
        weights.append(w)
    return weights


def test_every_int8_weight_of_the_shipped_encoder_fits_in_seven_bits() -> None:
    weights = _matmul_weights(
        onnx.load(str(resources.files("safeside.models") / "encoder" / "encoder.onnx"))
    )
    assert len(weights) == 36  # 6 layers: query, key, value, output, two feed-forward
    assert max(int(np.abs(w).max()) for w in weights) <= SEVEN_BITS


def _product(weight: int) -> tuple[int, int]:
    """uint8 255s times a column of ``weight`` on this CPU, and the exact answer."""
    a_info = helper.make_tensor_value_info("A", TensorProto.UINT8, [1, 64])
    y_info = helper.make_tensor_value_info("Y", TensorProto.INT32, [1, 1])
    w = helper.make_tensor("W", TensorProto.INT8, [64, 1], [weight] * 64)
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["A", "W"], ["Y"])], "g", [a_info], [y_info], [w]
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    a = np.full((1, 64), 255, np.uint8)
    return int(session.run(None, {"A": a})[0][0, 0]), 255 * 64 * weight


def test_seven_bit_weights_multiply_exactly_on_this_cpu() -> None:
    got, exact = _product(-SEVEN_BITS)
    assert got == exact
    got, exact = _product(SEVEN_BITS)
    assert got == exact
