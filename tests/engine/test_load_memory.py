"""Loading holds one copy of the weights: a safetensors folder is filled from a file map tensor by
tensor (peak RSS added by the load <= 1.3x the weights, measured in a fresh process; reading the
whole file first, as safetensors' load_file does, gives ~2x), building on meta imports neither
torch._dynamo nor sympy, and a GGUF file's tensors stay deferred until each is dequantised
straight into its parameter."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import torch
from engine.loading.build import instantiate
from engine.loading.heap import returning_memory
from engine.loading.hf_folder import load_folder
from engine.loading.registry import load_all
load_all()

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

open("/proc/self/clear_refs", "w").write("5")  # VmHWM := the current RSS
base = status("VmRSS:")
with returning_memory():
    cfg, state = load_folder(Path(sys.argv[1]))
    model = instantiate(cfg, state, consume=True)
peak = status("VmHWM:") - base
weights = sum(p.numel() * p.element_size() for p in model.parameters())
from safetensors.torch import load_file
file = load_file(str(Path(sys.argv[1]) / "model.safetensors"))
same = all(torch.equal(getattr(model.get_submodule(o), n), file[k]) for o, n, k in (
    ("embed", "W_E", "model.embed_tokens.weight"), ("unembed", "W_U", "lm_head.weight"),
    ("blocks.1.attn.W_K", "weight", "model.layers.1.self_attn.k_proj.weight"),
    ("blocks.1.mlp.W_in", "weight", "model.layers.1.mlp.up_proj.weight")))
print(json.dumps({"peak": peak, "weights": weights, "same": same,
                  "dynamo": "torch._dynamo" in sys.modules, "sympy": "sympy" in sys.modules}))
"""


def _llama_folder(folder: Path, vocab=32000, d=384, layers=2, d_mlp=1024) -> Path:
    """A Llama checkpoint of ~110 MB (float32): big enough that a second copy shows in the RSS."""
    from safetensors.torch import save_file

    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({
        "architectures": ["LlamaForCausalLM"], "vocab_size": vocab, "hidden_size": d, "num_hidden_layers": layers,
        "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": d_mlp,
        "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "tie_word_embeddings": False}))
    g = torch.Generator().manual_seed(0)
    shapes = {"model.embed_tokens.weight": (vocab, d), "lm_head.weight": (vocab, d), "model.norm.weight": (d,)}
    for i in range(layers):
        p = f"model.layers.{i}."
        shapes.update({p + "self_attn.q_proj.weight": (d, d), p + "self_attn.k_proj.weight": (d // 2, d),
                       p + "self_attn.v_proj.weight": (d // 2, d), p + "self_attn.o_proj.weight": (d, d),
                       p + "mlp.gate_proj.weight": (d_mlp, d), p + "mlp.up_proj.weight": (d_mlp, d),
                       p + "mlp.down_proj.weight": (d, d_mlp), p + "input_layernorm.weight": (d,),
                       p + "post_attention_layernorm.weight": (d,)})
    save_file({k: torch.randn(s, generator=g) * 0.02 for k, s in shapes.items()}, str(folder / "model.safetensors"))
    return folder


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's /proc peak-RSS reset")
def test_safetensors_load_holds_one_copy_and_builds_without_dynamo(tmp_path):
    folder = _llama_folder(tmp_path / "m")
    p = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(ROOT)], capture_output=True, text=True,
                       cwd="/", env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert p.returncode == 0, p.stderr[-2000:]
    r = json.loads(p.stdout.strip().splitlines()[-1])
    assert r["weights"] > 100e6
    assert r["peak"] <= 1.3 * r["weights"], f"peak RSS {r['peak'] / r['weights']:.2f}x the weights"
    assert r["same"], "the parameters are not the file's values"
    assert not r["dynamo"] and not r["sympy"], "building on meta imported torch._dynamo / sympy (~2 s, ~70 MB)"


@pytest.mark.parametrize("kind", ["Q8_0", "Q4_0", "Q4_1", "F16"])
def test_dequantising_in_chunks_gives_gguf_quants_bits(monkeypatch, kind):
    """Chunk boundaries (5 blocks a step here) change nothing: gguf.quants' bits, written in place."""
    from gguf import dequantize as gguf_dequantize

    from engine.loading.gguf import reader
    from tests.engine.test_gguf_dequant import Stored

    monkeypatch.setattr(reader, "CHUNK", 5)
    t = Stored(kind, dims=(7, 64))  # 14 blocks of 32: two whole chunks and a partial one
    want = torch.from_numpy(np.asarray(gguf_dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(7, 64).copy())
    out = torch.full((7, 64), float("nan"))
    reader.dequantize_into(t, out)
    assert torch.equal(out, want)


def test_meta_shortcuts_keep_shapes_and_leave_real_tensors_alone():
    from engine.loading.meta_build import MetaShortcuts

    a, b = torch.empty(2, 3, device="meta"), torch.empty(4, 3, device="meta", dtype=torch.float16)
    real = torch.ones(2)
    with MetaShortcuts():
        joined = torch.cat([a, b])
        torch.nn.init.normal_(a)
        torch.nn.init.zeros_(real)  # a real tensor is initialised as usual
        with pytest.raises(RuntimeError):
            torch.cat([a, torch.empty(1, 2, device="meta")])
    assert joined.is_meta and joined.shape == (6, 3) and joined.dtype == torch.float32
    assert torch.equal(real, torch.zeros(2))
