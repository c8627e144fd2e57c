"""Tiny random models per GGUF architecture, written as llama.cpp's convert_hf_to_gguf.py writes them
(test-only): names from the gguf package's own TensorNameMap (independent of the loader's map),
Llama's Q/K permutation, Gemma's +1 on norm weights, GPT-2's transposed Conv1D matrices and its
embedding copied to `output`, Llama 3's rope_freqs; quantised as llama.cpp would (1-D tensors F32)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import gguf
import numpy as np
import torch

from .kquants import quantize
from .parity.cases import random_hf
from .reference_llama import byte_level_vocab, llamacpp_permute, sentencepiece_vocab

Q = gguf.GGMLQuantizationType
N_BYTE_LEVEL = len(byte_level_vocab()[0])
N_SENTENCEPIECE = len(sentencepiece_vocab()[0])
GEMMA_SPACES = ["  ", "   ", "    "]  # Gemma files spell whitespace tokens with real spaces
N_GEMMA = N_SENTENCEPIECE + len(GEMMA_SPACES)
LLAMA3_ROPE = {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
               "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}

# quantisation name -> (GGUF tensor name -> type) for 2-d tensors; a Q4_K_M-like mix for "Q4_K+Q6_K"
QUANTS: dict[str, Callable[[str], object]] = {
    "F32": lambda name: Q.F32,
    "F16": lambda name: Q.F16,
    "Q8_0": lambda name: Q.Q8_0,
    "Q4_K+Q6_K": lambda name: Q.Q6_K if any(k in name for k in ("attn_v", "ffn_down", "output.", "attn_qkv")) else Q.Q4_K,
}


@dataclass(frozen=True)
class Spec:
    """One GGUF architecture's tiny test model and how llama.cpp writes it."""

    arch: str  # general.architecture
    model_class: str
    config_class: str
    config: dict
    tokenizer: str = "gpt2"  # "gpt2" (byte-level BPE) or "llama" (sentencepiece)
    pre: str = "gpt2"
    permute_qk: bool = False
    norm_shift: float = 0.0
    transpose: tuple[str, ...] = ()  # HF names (suffixes) stored transposed
    output_copy: bool = False  # GPT-2: the tied embedding is written again as output.weight
    hyper: Callable | None = None  # hyper(writer, config) writes the arch's own metadata
    reference: str = "gguf"  # "gguf": transformers' GGUF loading; "source": it cannot read this file
    option: str | None = None  # the option a converter may still refuse by name (e.g. "llama3")
    general_name: str | None = None  # general.name (transformers reads a `llama` file named "mistral" as Mistral)
    rows: Callable | None = None  # rows(hf_name, t, config): a row reordering llama.cpp applies (Falcon's qkv)


def _common(w, c, *, head_dim=None, rope_dims=None, eps_rms=True):
    w.add_block_count(c.num_hidden_layers)
    w.add_context_length(c.max_position_embeddings)
    w.add_embedding_length(c.hidden_size)
    w.add_feed_forward_length(c.intermediate_size)
    w.add_head_count(c.num_attention_heads)
    w.add_head_count_kv(c.num_key_value_heads)
    theta = (c.rope_parameters.get("full_attention", c.rope_parameters)).get("rope_theta", 10000.0)
    w.add_rope_freq_base(float(theta))
    w.add_layer_norm_rms_eps(c.rms_norm_eps)
    if head_dim:
        w.add_key_length(head_dim)
        w.add_value_length(head_dim)
    if rope_dims:
        w.add_rope_dimension_count(rope_dims)


def _llama_hyper(w, c):
    _common(w, c, head_dim=c.head_dim, rope_dims=c.head_dim)
    w.add_vocab_size(c.vocab_size)


def _qwen_hyper(w, c):
    _common(w, c, head_dim=getattr(c, "head_dim", None) if c.model_type == "qwen3" else None)


def _gemma2_hyper(w, c):
    _common(w, c, head_dim=c.head_dim)
    if c.attn_logit_softcapping is not None:
        w.add_attn_logit_softcapping(c.attn_logit_softcapping)
    if c.final_logit_softcapping is not None:
        w.add_final_logit_softcapping(c.final_logit_softcapping)
    w.add_sliding_window(c.sliding_window)


def _gemma_hyper(w, c):
    _common(w, c, head_dim=c.head_dim)


def _phi3_hyper(w, c):
    head_dim = c.hidden_size // c.num_attention_heads
    _common(w, c, rope_dims=int(c.rope_parameters.get("partial_rotary_factor", 1.0) * head_dim))
    w.add_rope_scaling_orig_ctx_len(c.original_max_position_embeddings)
    if c.rope_parameters.get("rope_type") == "longrope":
        factor = c.max_position_embeddings / c.original_max_position_embeddings
        w.add_rope_scaling_attn_factors(math.sqrt(1 + math.log(factor) / math.log(c.original_max_position_embeddings)))


def _gpt2_hyper(w, c):
    w.add_block_count(c.n_layer)
    w.add_context_length(c.n_positions)
    w.add_embedding_length(c.n_embd)
    w.add_feed_forward_length(c.n_inner or 4 * c.n_embd)
    w.add_head_count(c.n_head)
    w.add_layer_norm_eps(c.layer_norm_epsilon)


def _stablelm_hyper(w, c):
    w.add_context_length(c.max_position_embeddings)
    w.add_embedding_length(c.hidden_size)
    w.add_block_count(c.num_hidden_layers)
    w.add_feed_forward_length(c.intermediate_size)
    head_dim = c.hidden_size // c.num_attention_heads
    w.add_rope_dimension_count(int(c.rope_parameters.get("partial_rotary_factor", 0.25) * head_dim))
    w.add_head_count(c.num_attention_heads)
    w.add_head_count_kv(c.num_key_value_heads)
    w.add_parallel_residual(c.use_parallel_residual)
    w.add_layer_norm_eps(c.layer_norm_eps)  # no rope base: llama.cpp's StableLMModel writes none


def _falcon_kv(c) -> int:
    """The kv heads Falcon's fused matrix holds (what llama.cpp's converter calls n_head_kv)."""
    return c.num_kv_heads if c.new_decoder_architecture or not c.multi_query else 1


def _falcon_hyper(w, c):  # FalconModel.set_gguf_parameters
    w.add_context_length(2048)  # llama.cpp: "not in config.json"
    w.add_tensor_data_layout("jploski")
    w.add_embedding_length(c.hidden_size)
    w.add_feed_forward_length(4 * c.hidden_size)
    w.add_block_count(c.num_hidden_layers)
    w.add_head_count(c.num_attention_heads)
    w.add_head_count_kv(_falcon_kv(c))
    w.add_layer_norm_eps(c.layer_norm_epsilon)


def _falcon_rows(hf_name, t, c):
    """FalconModel.modify_tensors: per-group [q heads, k, v] rows -> all q, all k, all v."""
    if not hf_name.endswith("query_key_value.weight"):
        return t
    n_head, n_kv = c.num_attention_heads, _falcon_kv(c)
    head_dim = c.hidden_size // n_head
    qkv = t.view(n_kv, n_head // n_kv + 2, head_dim, head_dim * n_head)
    q = qkv[:, :-2].reshape(n_head * head_dim, head_dim * n_head)
    k = qkv[:, [-2]].reshape(n_kv * head_dim, head_dim * n_head)
    v = qkv[:, [-1]].reshape(n_kv * head_dim, head_dim * n_head)
    return torch.cat((q, k, v)).reshape_as(t)


_D = dict(hidden_size=256, intermediate_size=256, max_position_embeddings=64, rms_norm_eps=1e-6,
          tie_word_embeddings=False, num_hidden_layers=1)
SPECS: dict[str, Spec] = {s.arch: s for s in [
    Spec("llama", "LlamaForCausalLM", "LlamaConfig", {**_D, "num_attention_heads": 4, "num_key_value_heads": 2,
         "head_dim": 64, "rope_theta": 5000.0, "vocab_size": N_BYTE_LEVEL}, pre="llama-bpe", permute_qk=True,
         hyper=_llama_hyper),
    Spec("llama3", "LlamaForCausalLM", "LlamaConfig", {**_D, "num_attention_heads": 4, "num_key_value_heads": 2,
         "head_dim": 64, "rope_parameters": LLAMA3_ROPE, "vocab_size": N_BYTE_LEVEL, "tie_word_embeddings": True,
         "max_position_embeddings": 131072},
         pre="llama-bpe", permute_qk=True, hyper=_llama_hyper, option="'llama3'"),
    Spec("qwen2", "Qwen2ForCausalLM", "Qwen2Config", {**_D, "num_attention_heads": 4, "num_key_value_heads": 2,
         "rope_theta": 1e6, "vocab_size": N_BYTE_LEVEL, "tie_word_embeddings": True}, pre="qwen2", hyper=_qwen_hyper),
    Spec("qwen3", "Qwen3ForCausalLM", "Qwen3Config", {**_D, "num_attention_heads": 2, "num_key_value_heads": 1,
         "head_dim": 128, "rope_theta": 1e6, "vocab_size": N_BYTE_LEVEL}, pre="qwen2", hyper=_qwen_hyper),
    Spec("gemma", "GemmaForCausalLM", "GemmaConfig", {**_D, "num_attention_heads": 2, "num_key_value_heads": 1,
         "head_dim": 128, "vocab_size": N_GEMMA, "tie_word_embeddings": True, "pad_token_id": 0,
         "bos_token_id": 1, "eos_token_id": 2}, tokenizer="llama", norm_shift=1.0, hyper=_gemma_hyper,
         reference="source"),
    Spec("gemma2", "Gemma2ForCausalLM", "Gemma2Config", {**_D, "num_hidden_layers": 2, "num_attention_heads": 2,
         "num_key_value_heads": 1, "head_dim": 256, "sliding_window": 8, "vocab_size": N_GEMMA,
         "tie_word_embeddings": True, "pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2},
         tokenizer="llama", norm_shift=1.0, hyper=_gemma2_hyper),
    Spec("gemma3", "Gemma3ForCausalLM", "Gemma3TextConfig", {**_D, "num_hidden_layers": 6,
         "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 256, "sliding_window": 8,
         "vocab_size": N_GEMMA, "tie_word_embeddings": True, "pad_token_id": 0, "bos_token_id": 1,
         "eos_token_id": 2}, tokenizer="llama", norm_shift=1.0, hyper=_gemma2_hyper),
    Spec("phi3", "Phi3ForCausalLM", "Phi3Config", {**_D, "intermediate_size": 256, "num_attention_heads": 4,
         "num_key_value_heads": 2, "vocab_size": N_SENTENCEPIECE, "pad_token_id": 0, "bos_token_id": 1,
         "eos_token_id": 2}, tokenizer="llama", hyper=_phi3_hyper),
    Spec("phi3-longrope", "Phi3ForCausalLM", "Phi3Config", {**_D, "num_attention_heads": 4,
         "num_key_value_heads": 2, "vocab_size": N_SENTENCEPIECE, "pad_token_id": 0, "bos_token_id": 1,
         "eos_token_id": 2, "max_position_embeddings": 256, "original_max_position_embeddings": 32,
         "rope_parameters": {"rope_type": "longrope", "rope_theta": 10000.0, "partial_rotary_factor": 0.5,
                             "long_factor": [1.0 + 0.25 * i for i in range(16)],
                             "short_factor": [1.0 + 0.05 * i for i in range(16)]}},
         tokenizer="llama", hyper=_phi3_hyper, reference="source", option="'longrope'"),
    Spec("mistral", "MistralForCausalLM", "MistralConfig", {**_D, "num_attention_heads": 4,
         "num_key_value_heads": 2, "head_dim": 64, "rope_theta": 1e6, "sliding_window": None,
         "vocab_size": N_SENTENCEPIECE, "pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2},
         tokenizer="llama", permute_qk=True, hyper=_llama_hyper, general_name="mistral",
         reference="source"),  # transformers asks gguf-py for a "mistral" arch, which gguf 0.19 lacks
    Spec("stablelm", "StableLmForCausalLM", "StableLmConfig", {**_D, "num_attention_heads": 4,
         "num_key_value_heads": 2, "use_qkv_bias": True, "layer_norm_eps": 1e-5, "vocab_size": N_BYTE_LEVEL},
         hyper=_stablelm_hyper),
    Spec("stablelm-parallel", "StableLmForCausalLM", "StableLmConfig", {**_D, "num_attention_heads": 4,
         "num_key_value_heads": 4, "use_parallel_residual": True, "layer_norm_eps": 1e-5,
         "vocab_size": N_BYTE_LEVEL, "tie_word_embeddings": True}, hyper=_stablelm_hyper),
    Spec("falcon", "FalconForCausalLM", "FalconConfig", {"hidden_size": 256, "num_hidden_layers": 1,
         "num_attention_heads": 4, "multi_query": True, "vocab_size": N_BYTE_LEVEL, "max_position_embeddings": 2048,
         "bos_token_id": 1, "eos_token_id": 2}, hyper=_falcon_hyper, rows=_falcon_rows),
    Spec("falcon-40b", "FalconForCausalLM", "FalconConfig", {"hidden_size": 256, "num_hidden_layers": 1,
         "num_attention_heads": 4, "num_kv_heads": 2, "new_decoder_architecture": True,
         "vocab_size": N_BYTE_LEVEL, "max_position_embeddings": 2048, "bos_token_id": 1, "eos_token_id": 2},
         hyper=_falcon_hyper, rows=_falcon_rows, reference="source"),
    Spec("falcon2", "FalconForCausalLM", "FalconConfig", {"hidden_size": 256, "num_hidden_layers": 1,
         "num_attention_heads": 4, "num_kv_heads": 2, "new_decoder_architecture": True,
         "num_ln_in_parallel_attn": 1, "vocab_size": N_BYTE_LEVEL, "max_position_embeddings": 2048,
         "bos_token_id": 1, "eos_token_id": 2}, hyper=_falcon_hyper, rows=_falcon_rows, reference="source"),
    Spec("gpt2", "GPT2LMHeadModel", "GPT2Config", {"n_embd": 256, "n_layer": 1, "n_head": 4, "n_positions": 1024,
         "vocab_size": N_BYTE_LEVEL, "bos_token_id": 1, "eos_token_id": 2}, pre="gpt-2",
         transpose=(".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight"),
         output_copy=True, hyper=_gpt2_hyper, option="tie_word_embeddings"),
]}
GGUF_ARCH = {"llama3": "llama", "phi3-longrope": "phi3", "mistral": "llama", "stablelm-parallel": "stablelm",
             "falcon-40b": "falcon", "falcon2": "falcon"}  # spec name -> general.architecture


@lru_cache(maxsize=None)
def source_model(name: str, seed: int = 0):
    s = SPECS[name]
    return random_hf(s.model_class, s.config_class, seed=seed, scale=0.05, **s.config).eval()


def _rope_freqs(c) -> np.ndarray:
    """convert_hf_to_gguf.py LlamaModel.generate_extra_tensors for rope_type llama3."""
    p = c.rope_parameters
    dim, base = c.head_dim, p["rope_theta"]
    freqs = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float32) / dim))
    factor, low, high, old = p["factor"], p["low_freq_factor"], p["high_freq_factor"], p["original_max_position_embeddings"]
    out = []
    for f in freqs.tolist():
        wavelen = 2 * math.pi / f
        if wavelen < old / high:
            out.append(1)
        elif wavelen > old / low:
            out.append(factor)
        else:
            smooth = (old / wavelen - low) / (high - low)
            out.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(out, dtype=np.float32)


def _tokenizer(w, s: Spec):
    if s.tokenizer == "gpt2":
        tokens, types, merges = byte_level_vocab()
        w.add_tokenizer_model("gpt2")
        w.add_tokenizer_pre(s.pre)
        w.add_token_list(tokens)
        w.add_token_types(types)
        w.add_token_merges(merges)
        w.add_bos_token_id(1)
        w.add_eos_token_id(2)
        w.add_add_bos_token(False)
    else:
        tokens, types, scores = sentencepiece_vocab()
        if s.arch.startswith("gemma"):
            tokens, types, scores = tokens + GEMMA_SPACES, types + [1] * 3, scores + [-100.0, -101.0, -102.0]
        w.add_tokenizer_model("llama")
        w.add_tokenizer_pre("default")
        w.add_token_list(tokens)
        w.add_token_types(types)
        w.add_token_scores(scores)
        w.add_bos_token_id(1)
        w.add_eos_token_id(2)
        w.add_unk_token_id(0)
        w.add_pad_token_id(0)


def write(name: str, model, path: Path, quant: str = "F32") -> Path:
    s = SPECS[name]
    arch = GGUF_ARCH.get(name, name)
    c = model.config
    n_layers = getattr(c, "num_hidden_layers", None) or c.n_layer
    names = gguf.get_tensor_name_map(next(k for k, v in gguf.MODEL_ARCH_NAMES.items() if v == arch), n_layers)
    w = gguf.GGUFWriter(str(path), arch)
    w.add_name(s.general_name or f"tiny test {name}")
    s.hyper(w, c)
    _tokenizer(w, s)
    tensors = []
    for hf_name, t in model.state_dict().items():
        if hf_name == "lm_head.weight" and (c.tie_word_embeddings or s.output_copy):
            continue  # tied; GPT-2's copy is written below, as llama.cpp does
        t = t.detach().float()
        stem, _, kind = hf_name.rpartition(".")
        g = names.get_name(stem)
        assert g is not None, hf_name
        if s.permute_qk and stem.endswith("q_proj"):
            t = llamacpp_permute(t, c.num_attention_heads)
        elif s.permute_qk and stem.endswith("k_proj"):
            t = llamacpp_permute(t, c.num_key_value_heads)
        if s.norm_shift and hf_name.endswith("norm.weight"):
            t = t + s.norm_shift
        if s.rows:
            t = s.rows(hf_name, t, c)
        if hf_name.endswith(s.transpose or ("\0",)):
            t = t.T.contiguous()
        tensors.append((f"{g}.{kind}", t.numpy()))
        if s.output_copy and g == "token_embd":
            tensors.append(("output.weight", t.numpy()))
    rope = getattr(c, "rope_parameters", None) or {}
    if rope.get("rope_type") == "llama3":
        tensors.append(("rope_freqs.weight", _rope_freqs(c)))
    if rope.get("rope_type") == "longrope":  # Phi3MiniModel.generate_extra_tensors
        tensors.append(("rope_factors_long.weight", np.array(rope["long_factor"], dtype=np.float32)))
        tensors.append(("rope_factors_short.weight", np.array(rope["short_factor"], dtype=np.float32)))
    for g, t in tensors:
        qtype = QUANTS[quant](g) if t.ndim == 2 else Q.F32
        if qtype == Q.F32:
            w.add_tensor(g, t)
        elif qtype == Q.F16:
            w.add_tensor(g, t.astype(np.float16))
        else:
            w.add_tensor(g, quantize(t, qtype), raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def quantised_source(name: str, quant: str):
    """The source model with each matrix put through the file's quantisation by the gguf package
    (for files transformers cannot read; only specs whose matrices llama.cpp stores untransposed: a
    row reordering (Llama's Q/K permutation, Falcon's qkv order) leaves each row's blocks as they are)."""
    import copy

    s = SPECS[name]
    assert not s.transpose  # Q/K permutations and Falcon's qkv order move whole rows: blocks unchanged
    model = copy.deepcopy(source_model(name))
    names = gguf.get_tensor_name_map(next(k for k, v in gguf.MODEL_ARCH_NAMES.items()
                                          if v == GGUF_ARCH.get(name, name)), model.config.num_hidden_layers)
    with torch.no_grad():
        for hf_name, p in model.named_parameters():
            if p.dim() != 2:
                continue
            g = names.get_name(hf_name.rpartition(".")[0]) + ".weight"
            qtype = QUANTS[quant](g)
            x = p.detach().float().numpy()
            if qtype == Q.F16:
                y = x.astype(np.float16).astype(np.float32)
            elif qtype == Q.F32:
                y = x
            else:
                y = gguf.quants.dequantize(quantize(x, qtype), qtype)
            p.copy_(torch.from_numpy(np.ascontiguousarray(y, dtype=np.float32)))
    return model
