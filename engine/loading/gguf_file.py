"""GGUF files (llama.cpp's format): metadata -> config, dequantised tensors -> our weights, tokenizer.

Every tensor is dequantised to float32 with `gguf.quants.dequantize`, renamed to the Hugging
Face names and handed to the same converter a Hugging Face folder goes through. llama.cpp
stores Q and K with their rows permuted (its RoPE pairs neighbouring dimensions, Hugging Face's
pairs the two halves); `unpermute_rows` undoes that exactly as transformers' GGUF loader does.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch

from ..config import ModelConfig
from ..errors import ModelLoadError
from ..tokenizers import TextTokenizer
from .registry import converter_for


def unpermute_rows(w: torch.Tensor, n_heads: int) -> torch.Tensor:
    """Inverse of llama.cpp's `permute`: rows per head go from interleaved pairs back to two halves."""
    half = w.shape[0] // n_heads // 2
    rest = w.shape[1:]
    # [n_heads*2*half, ...] -> [n_heads, half, 2, ...] -> [n_heads, 2, half, ...] -> back
    return w.reshape(n_heads, half, 2, *rest).transpose(1, 2).reshape(w.shape)


# ---- architectures ----------------------------------------------------------------------
@dataclass(frozen=True)
class GGUFArchitecture:
    hf_architecture: str  # the converter that turns the Hugging Face view into ours
    hf_config: Callable[[dict, set[str]], dict]  # (metadata, tensor names) -> config.json dict
    hf_name: Callable[[str], str | None]  # GGUF tensor name -> Hugging Face name
    fix_tensor: Callable[[str, torch.Tensor, dict], torch.Tensor]  # (HF name, tensor, hf config)


_LLAMA_BLOCK = {
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
    "attn_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
}
_LLAMA_TOP = {"token_embd": "model.embed_tokens", "output_norm": "model.norm", "output": "lm_head"}
_BLOCK_RE = re.compile(r"blk\.(\d+)\.(\w+)\.(weight|bias)")


def _llama_name(name: str) -> str | None:
    m = _BLOCK_RE.fullmatch(name)
    if m:
        layer, part, kind = m.groups()
        hf = _LLAMA_BLOCK.get(part)
        return f"model.layers.{layer}.{hf}.{kind}" if hf else None
    stem, _, kind = name.rpartition(".")
    hf = _LLAMA_TOP.get(stem)
    return f"{hf}.{kind}" if hf and kind in ("weight", "bias") else None


def _llama_config(meta: dict, names: set[str]) -> dict:
    def get(key, default=None):
        v = meta.get(f"llama.{key}", default)
        if v is None:
            raise ModelLoadError(f"the GGUF metadata lacks llama.{key}")
        return v

    scaling = meta.get("llama.rope.scaling.type", "none")
    if scaling not in ("none", None) or "rope_freqs.weight" in names:
        kind = scaling if scaling not in ("none", None) else "llama3 (rope_freqs)"
        raise ModelLoadError(
            f"this GGUF uses RoPE scaling {kind!r}, which the playground does not implement "
            "(supported: plain RoPE)"
        )
    n_heads = get("attention.head_count")
    d_model = get("embedding_length")
    tokens = meta.get("tokenizer.ggml.tokens") or []
    head_dim = meta.get("llama.attention.key_length") or meta.get("llama.rope.dimension_count")
    rotated = meta.get("llama.rope.dimension_count", head_dim)
    if head_dim and rotated != head_dim:
        raise ModelLoadError(
            f"this GGUF rotates {rotated} of {head_dim} dimensions per head (partial RoPE), "
            "which the playground does not implement"
        )
    return {
        "architectures": ["LlamaForCausalLM"],
        "hidden_size": d_model,
        "num_hidden_layers": get("block_count"),
        "num_attention_heads": n_heads,
        "num_key_value_heads": meta.get("llama.attention.head_count_kv", n_heads),
        "head_dim": head_dim or d_model // n_heads,
        "intermediate_size": get("feed_forward_length"),
        "max_position_embeddings": get("context_length"),
        "rope_theta": meta.get("llama.rope.freq_base", 10000.0),
        "rms_norm_eps": get("attention.layer_norm_rms_epsilon"),
        "vocab_size": meta.get("llama.vocab_size") or len(tokens),
        "tie_word_embeddings": "output.weight" not in names,
        "attention_bias": "blk.0.attn_q.bias" in names,
        "mlp_bias": "blk.0.ffn_up.bias" in names,
        "hidden_act": "silu",
        "bos_token_id": meta.get("tokenizer.ggml.bos_token_id"),
        "eos_token_id": meta.get("tokenizer.ggml.eos_token_id"),
        "pad_token_id": meta.get("tokenizer.ggml.padding_token_id"),
    }


def _llama_fix(hf_name: str, t: torch.Tensor, hf: dict) -> torch.Tensor:
    if ".q_proj." in hf_name:
        return unpermute_rows(t, hf["num_attention_heads"])
    if ".k_proj." in hf_name:
        return unpermute_rows(t, hf["num_key_value_heads"])
    return t


# llama.cpp's `general.architecture` strings we load. SmolLM/SmolLM2, TinyLlama, Llama 1/2 and
# older Mistral files all say "llama".
ARCHITECTURES: dict[str, GGUFArchitecture] = {
    "llama": GGUFArchitecture("LlamaForCausalLM", _llama_config, _llama_name, _llama_fix),
}


# ---- reading ----------------------------------------------------------------------------
def _field_value(field) -> Any:
    v = field.contents()
    if isinstance(v, np.generic):
        v = v.item()
    return v


def _reader_class():
    from gguf import GGUFReader

    class PlainArrayReader(GGUFReader):
        """GGUFReader reading its header through a plain ndarray view of the file map.

        Slicing the np.memmap makes a memmap per field (~100k of them for a 49k-token
        vocabulary: 4 s); a plain view gives the same bytes in 0.8 s. Calls in a shape we do
        not expect go to the original method.
        """

        def _get(self, offset, dtype, count=1, override_order=None, **kw):
            if kw:
                return super()._get(offset, dtype, count, override_order, **kw)
            plain = self.__dict__.get("_plain")
            if plain is None:
                plain = self._plain = self.data.view(np.ndarray)
            count = int(count)
            arr = plain[offset:offset + np.dtype(dtype).itemsize * count].view(dtype=dtype)[:count]
            order = self.byte_order if override_order is None else override_order
            return arr.view(arr.dtype.newbyteorder(order))

    return PlainArrayReader


def read(path: Path):
    """(metadata dict, reader); any unreadable file becomes one ModelLoadError."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise ModelLoadError(f"cannot read {path}: {e.strerror or e}") from None
    if magic != b"GGUF":
        raise ModelLoadError(f"{path} is not a GGUF file (it does not start with the bytes 'GGUF')")
    try:
        reader = _reader_class()(str(path))
        meta = {k: _field_value(f) for k, f in reader.fields.items()}
        _ = [(t.name, t.data.shape) for t in reader.tensors]
    except Exception as e:  # the reader parses untrusted bytes; its errors vary by where it breaks
        raise ModelLoadError(
            f"{path} is not a readable GGUF file: it is truncated or corrupt ({type(e).__name__}: {e})"
        ) from None
    return meta, reader


def _dequantize(t) -> torch.Tensor:
    from gguf import dequantize

    try:
        w = dequantize(t.data, t.tensor_type)  # numpy, shape reversed from GGUF's: [out, in]
    except NotImplementedError:
        raise ModelLoadError(
            f"GGUF tensor {t.name!r} uses quantisation {t.tensor_type.name}, which the gguf package "
            "cannot dequantise"
        ) from None
    except (ValueError, IndexError) as e:  # a short block array
        raise ModelLoadError(f"GGUF tensor {t.name!r} is truncated or corrupt ({e})") from None
    expect = tuple(int(n) for n in reversed(t.shape))
    if w.size != int(np.prod(expect)):
        raise ModelLoadError(f"GGUF tensor {t.name!r} has {w.size} values, expected {expect}; truncated?")
    w = np.ascontiguousarray(w, dtype=np.float32).reshape(expect)
    return torch.from_numpy(w if w.flags.writeable else w.copy())  # F32 tensors are read-only file views


def load_gguf(path: Path) -> tuple[ModelConfig, dict[str, torch.Tensor], TextTokenizer]:
    from ..tokenizers.gguf_tokenizer import tokenizer_from_gguf

    path = Path(path)
    meta, reader = read(path)
    arch_name = meta.get("general.architecture")
    arch = ARCHITECTURES.get(arch_name)
    if arch is None:
        raise ModelLoadError(
            f"{path.name}: GGUF architecture {arch_name!r} is not supported; "
            f"supported: {', '.join(sorted(ARCHITECTURES))}"
        )
    names = {t.name for t in reader.tensors}
    hf = arch.hf_config(meta, names)
    conv = converter_for(arch.hf_architecture)
    try:
        cfg = conv.make_config(hf)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelLoadError(f"{path.name}: the GGUF metadata has a missing or bad value: {e}") from None
    unknown = sorted(n for n in names if arch.hf_name(n) is None)
    if unknown:
        raise ModelLoadError(
            f"{path.name} holds tensor(s) the {arch_name} architecture does not use, e.g. {unknown[0]!r}"
        )
    tokenizer = tokenizer_from_gguf(meta, str(path))  # before the slow part, so a bad one fails fast
    tensors = {}
    for t in reader.tensors:
        hf_name = arch.hf_name(t.name)
        try:
            tensors[hf_name] = arch.fix_tensor(hf_name, _dequantize(t), hf)
        except RuntimeError as e:  # rows that do not split into the heads the metadata states
            raise ModelLoadError(
                f"{path.name}: tensor {t.name!r} with shape {tuple(reversed(t.shape.tolist()))} does not fit "
                f"the head counts in the metadata ({e})"
            ) from None
    state = conv.convert(tensors, cfg)
    cfg.extra.update(
        source="gguf",
        gguf_name=meta.get("general.name"),
        quantization=dict(Counter(t.tensor_type.name for t in reader.tensors)),
    )
    return cfg, state, tokenizer


def describe_gguf(path: Path) -> dict:
    """Architecture, family and parameter count from the metadata alone (no dequantising)."""
    meta, reader = read(Path(path))
    arch = ARCHITECTURES.get(meta.get("general.architecture"))
    if arch is None:
        raise ModelLoadError(f"GGUF architecture {meta.get('general.architecture')!r} is not supported")
    cfg = converter_for(arch.hf_architecture).make_config(arch.hf_config(meta, {t.name for t in reader.tensors}))
    params = sum(int(np.prod(t.shape)) for t in reader.tensors)
    return {"architecture": cfg.architecture, "family": cfg.family, "parameters": params}
