"""The torch dequantisers give gguf.quants' very bits, for every stored type they cover; and
instantiate allocates each parameter once, in its fused place (no second copy)."""
import numpy as np
import pytest
import torch
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, dequantize as gguf_dequantize, quant_shape_to_byte_shape

from engine.loading.gguf.reader import TORCH_DEQUANT, dequantize


class Stored:
    """A reader tensor of random stored bytes (f16 scales kept finite)."""

    def __init__(self, kind: str, dims=(6, 64), seed=0):
        self.name, self.tensor_type = f"t.{kind}", GGMLQuantizationType[kind]
        self.shape = np.array(list(reversed(dims)), dtype=np.uint64)
        rng = np.random.default_rng(seed)
        if kind in ("F32", "F16"):
            self.data = rng.standard_normal(dims).astype(np.float32 if kind == "F32" else np.float16)
            return
        block, size = GGML_QUANT_SIZES[self.tensor_type]
        raw = rng.integers(0, 256, (int(np.prod(dims)) // block, size), dtype=np.uint8)
        if kind != "BF16":  # each block opens with f16 scale(s): make them ordinary numbers
            n_scales = 2 if kind == "Q4_1" else 1
            raw[:, : 2 * n_scales] = rng.uniform(-2, 2, (raw.shape[0], n_scales)).astype(np.float16).view(np.uint8)
        else:
            raw = rng.standard_normal(raw.size // 2).astype(np.float32).view(np.uint32).astype(np.uint64)
            raw = (raw >> 16).astype(np.uint16).view(np.uint8)
        self.data = raw.reshape(quant_shape_to_byte_shape(dims, self.tensor_type))


@pytest.mark.parametrize("kind", sorted(TORCH_DEQUANT))
def test_torch_dequant_is_bitwise_gguf_quants(kind):
    t = Stored(kind)
    want = np.asarray(gguf_dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(6, 64)
    got = dequantize(t)
    assert got.shape == (6, 64) and got.dtype == torch.float32
    assert torch.equal(got, torch.from_numpy(want.copy()))


def test_instantiate_fills_the_fused_layout_once_and_lets_the_state_go():
    """Each parameter is allocated once, in the fused layout (Q/K/V one tensor, gate/up another),
    and the state is emptied as it is copied in; the model gives the same numbers."""
    from engine.loading.build import instantiate
    from tests.engine.random_models import random_model

    m = random_model("llama-gqa")
    state = {k: v.clone() for k, v in m.state_dict().items()}
    built = instantiate(m.cfg, state, consume=True)
    assert not state
    attn, mlp = built.blocks[0].attn, built.blocks[0].mlp
    (qkv, _), = attn.fused_weights
    assert {attn.W_Q.weight.untyped_storage().data_ptr(), attn.W_V.weight.untyped_storage().data_ptr()} \
        == {qkv.untyped_storage().data_ptr()}
    assert mlp.W_gate.weight.untyped_storage().data_ptr() == mlp.W_in.weight.untyped_storage().data_ptr()
    ids = torch.tensor([[1, 2, 3]])
    assert torch.equal(built(ids), m(ids))
