"""Placement by accelerate (engine/placement): a tiny random Llama folder with a --max-memory that
sends some layers to disk gives the un-placed model's logits, hook points, interventions and
greedy tokens; an impossible budget is refused in one line; the offload folder goes with the model."""
from __future__ import annotations

import gc
import json

import pytest
import torch
from safetensors.torch import save_file

from engine import Capture, run
from engine.errors import DeviceError, InputError
from engine.loading import load_model
from engine.placement import layer_summary, load_placed, parse_max_memory

VOCAB, D, LAYERS, MLP, KV = 61, 32, 4, 48, 16  # 4 heads of 8, 2 kv heads


def _hf_llama_tensors(seed: int = 0) -> dict[str, torch.Tensor]:
    """A LlamaForCausalLM checkpoint with random weights, by Hugging Face names (untied)."""
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: (torch.randn(*s, generator=g) * 0.2)  # noqa: E731
    t = {"model.embed_tokens.weight": r(VOCAB, D), "model.norm.weight": 1 + r(D), "lm_head.weight": r(VOCAB, D)}
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        t |= {p + "self_attn.q_proj.weight": r(D, D), p + "self_attn.k_proj.weight": r(KV, D),
              p + "self_attn.v_proj.weight": r(KV, D), p + "self_attn.o_proj.weight": r(D, D),
              p + "mlp.gate_proj.weight": r(MLP, D), p + "mlp.up_proj.weight": r(MLP, D),
              p + "mlp.down_proj.weight": r(D, MLP), p + "input_layernorm.weight": 1 + r(D),
              p + "post_attention_layernorm.weight": 1 + r(D)}
    return t


LAYER_BYTES = 4 * (2 * D * D + 2 * KV * D + 3 * MLP * D + 2 * D)
OUTSIDE_BYTES = 4 * (2 * VOCAB * D + D)
# two layers stay in RAM, one more is the room accelerate keeps for a streamed layer: the rest go to disk
HALF = f"cpu={OUTSIDE_BYTES + 3 * LAYER_BYTES + 64}B"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    d = tmp_path_factory.mktemp("tiny-llama-placed")
    save_file(_hf_llama_tensors(), str(d / "model.safetensors"))
    (d / "config.json").write_text(json.dumps({
        "architectures": ["LlamaForCausalLM"], "vocab_size": VOCAB, "hidden_size": D, "intermediate_size": MLP,
        "num_hidden_layers": LAYERS, "num_attention_heads": 4, "num_key_value_heads": 2,
        "max_position_embeddings": 64, "rope_theta": 5000.0, "rms_norm_eps": 1e-5, "tie_word_embeddings": False,
    }))
    tok = Tokenizer(WordLevel({f"w{i}": i for i in range(VOCAB)}, unk_token="w2"))
    tok.pre_tokenizer = Whitespace()
    tok.save(str(d / "tokenizer.json"))
    return d


IDS = [5, 17, 33, 2, 40, 8, 11]


def _zero_head(x, hp):  # an ablation: head 1's z in layer 3 (a disk layer) set to zero
    x = x.clone()
    x[:, :, 1] = 0
    return x


def test_disk_offloaded_layers_give_the_same_numbers_hooks_and_tokens(folder, tmp_path):
    from engine.decoding import Generation, GenerationOptions

    ref = load_model(str(folder))
    lm = load_placed(str(folder), "sequential", HALF, offload_folder=tmp_path / "offload", tokens=16,
                     count_overhead=False)  # (the layout below needs the budget as given)
    layers = lm.placement.layers(lm.model)
    assert layers == {"blocks.0": "cpu", "blocks.1": "cpu", "blocks.2": "disk", "blocks.3": "disk"}
    offload = lm.placement.offload_folder
    assert offload.parent == tmp_path / "offload" and (offload / "index.json").is_file()
    assert all(p.is_meta for p in lm.model.blocks[3].parameters())  # on disk, not in RAM
    assert not any(p.is_meta for p in lm.model.blocks[0].parameters())

    full_ref, full = run(ref.model, IDS, capture=Capture()), run(lm.model, IDS, capture=Capture())
    assert full.names() == full_ref.names()  # every hook point recorded, in the same order
    assert torch.allclose(full["hook_logits"], full_ref["hook_logits"], atol=1e-5, rtol=0)
    for name in ("blocks.3.attn.hook_pattern", "blocks.3.mlp.hook_post", "blocks.2.hook_resid_post"):
        assert torch.allclose(full[name], full_ref[name], atol=1e-5, rtol=0), name

    cut = {"blocks.3.attn.hook_z": _zero_head}
    a_ref = run(ref.model, IDS, capture=Capture(names=["hook_logits"]), interventions=cut)["hook_logits"]
    a = run(lm.model, IDS, capture=Capture(names=["hook_logits"]), interventions=cut)["hook_logits"]
    assert (a_ref - full_ref["hook_logits"]).abs().max() > 1e-3  # the ablation changes something
    assert torch.allclose(a - full["hook_logits"], a_ref - full_ref["hook_logits"], atol=1e-5, rtol=0)

    opts = GenerationOptions(strategy="greedy", max_new_tokens=10)
    gen_ref, gen = Generation(ref.model, IDS, opts), Generation(lm.model, IDS, opts)
    list(gen_ref), list(gen)  # cached decode: the fast step for cpu layers, the modules for disk layers
    assert gen.sequences[0].ids == gen_ref.sequences[0].ids

    kept = run(lm.model, IDS, capture=Capture(names=["*hook_resid*"], keep_inputs=True))
    again = kept.layer(lm.model, "blocks.3")  # recompute-on-demand of a streamed layer
    assert torch.equal(again["blocks.3.attn.hook_pattern"], full["blocks.3.attn.hook_pattern"])

    del lm, gen, kept, again, full, a
    gc.collect()
    assert not offload.exists()  # the offload folder went with the model


def test_budgets_that_cannot_work_are_refused_in_one_line(folder, tmp_path):
    with pytest.raises(DeviceError, match=r"cannot place the model: cpu needs .* but --max-memory gives"):
        load_placed(str(folder), "sequential", "cpu=2KiB", offload_folder=tmp_path, count_overhead=False)
    assert not any(tmp_path.iterdir())  # nothing written before the refusal
    assert parse_max_memory("cuda:0=1.5GiB, cuda:1=20GB,cpu=512MiB") == {0: 3 * 2**29, 1: 20 * 10**9, "cpu": 2**29}
    for bad, words in (("cpu", "DEVICE=SIZE"), ("gpu=3GiB", "unknown device"), ("cpu=lots", "not a size"),
                       ("cpu=1GiB,cpu=2GiB", "twice")):
        with pytest.raises(InputError, match=words):
            parse_max_memory(bad)
    assert layer_summary({"blocks.0": "cuda:0", "blocks.1": "cuda:0", "blocks.2": "cpu", "blocks.3": "disk"}, 3.14) \
        == "layers 0–1 cuda:0 · 2 cpu · 3 disk · 3.1 tok/s"


def test_cli_generate_says_where_layers_ran_and_the_rate(folder, tplay, monkeypatch, tmp_path):
    monkeypatch.setenv("TPLAY_OFFLOAD_DIR", str(tmp_path))
    load_placed(str(folder), "sequential", HALF, count_overhead=False)  # imports done: the CLI below adds no RAM before its weights
    code, out, err = tplay("generate", "-m", folder, "--prompt", "w5 w17 w33", "--strategy", "greedy",
                           "--max-new-tokens", 4, "--device-map", "sequential", "--max-memory", HALF)
    assert code == 0, err
    assert "offloaded to disk: 2 layer(s)" in err
    assert "placement: layers 0–1 cpu · 2–3 disk · " in err and " tok/s" in err
    code, _, err = tplay("logits", "-m", folder, "--prompt", "w5", "--max-memory", "cpu")
    assert code != 0 and "DEVICE=SIZE" in err
