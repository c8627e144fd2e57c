"""A load reads each GGUF tensor into one reused buffer and dequantises it with reused chunk
buffers (engine/loading/pool.py): every tensor, of every torch-dequantised type, still gets
gguf.quants' very bits, also over more than one chunk and after a larger tensor went first."""
import gguf
import numpy as np
import pytest
import torch
from gguf import GGML_QUANT_SIZES, GGMLQuantizationType as Q

from engine.loading import pool
from engine.loading.gguf.reader import CHUNK, dequantize, read

# (type, [out, in]): a 2-chunk Q4_1, then smaller ones that reuse the larger buffers
TENSORS = [("Q4_1", (CHUNK // 8 + 4, 320)), ("Q8_0", (12, 64)), ("Q4_0", (40, 96)), ("Q4_1", (3, 32)),
           ("F32", (5, 7))]


def _blocks(kind: str, dims, rng) -> np.ndarray:
    """Random stored blocks with ordinary (finite f16) scales, as bytes [rows, bytes per row]."""
    if kind == "F32":
        return rng.standard_normal(dims).astype(np.float32)
    block, size = GGML_QUANT_SIZES[Q[kind]]
    raw = rng.integers(0, 256, (int(np.prod(dims)) // block, size), dtype=np.uint8)
    n_scales = 2 if kind == "Q4_1" else 1
    raw[:, : 2 * n_scales] = rng.uniform(-2, 2, (raw.shape[0], n_scales)).astype(np.float16).view(np.uint8)
    return raw.reshape(dims[0], -1)


@pytest.fixture(scope="module")
def gguf_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("reuse") / "mixed.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    rng = np.random.default_rng(3)
    for i, (kind, dims) in enumerate(TENSORS):
        data = _blocks(kind, dims, rng)
        if kind == "F32":
            w.add_tensor(f"t{i}", data)
        else:
            w.add_tensor(f"t{i}", data, raw_dtype=Q[kind])  # [rows, stored bytes per row]
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def test_reused_buffers_give_gguf_quants_bits_tensor_after_tensor(gguf_path):
    _, reader = read(gguf_path)
    assert [t.tensor_type.name for t in reader.tensors] == [k for k, _ in TENSORS]
    want = [np.asarray(gguf.dequantize(t.data, t.tensor_type), dtype=np.float32) for t in reader.tensors]
    with pool.reusing():
        got = [dequantize(t) for t in reader.tensors]  # largest first: the others reuse its buffers
        again = dequantize(reader.tensors[0])  # and the first once more, after the small ones
    for (kind, dims), g, w in zip(TENSORS, got, want):
        assert g.shape == dims, kind
        assert torch.equal(g, torch.from_numpy(w.reshape(dims).copy())), kind
    assert torch.equal(again, got[0])


def test_buffers_are_kept_only_inside_a_load():
    with pool.reusing():
        a = pool.buffer("k", 10, torch.uint8)
        b = pool.buffer("k", 4, torch.uint8)
        assert a.data_ptr() == b.data_ptr()  # reused
        assert pool.buffer("other", 4, torch.uint8).data_ptr() != a.data_ptr()
    c = pool.buffer("k", 4, torch.uint8)
    d = pool.buffer("k", 4, torch.uint8)
    assert c.data_ptr() != d.data_ptr()  # outside a load: fresh memory each call (both alive)
