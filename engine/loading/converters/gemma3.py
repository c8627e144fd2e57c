"""Gemma3ForCausalLM (text only, config Gemma3TextConfig): Gemma 2 plus per-head q/k RMSNorm
((1 + w), before RoPE), five local layers per global one, and a RoPE base of their own for the
local (sliding-window) layers: `rope_parameters` per layer type, or transformers 4's
`rope_theta` + `rope_local_base_freq`."""
from __future__ import annotations

from dataclasses import replace

import torch

from ...config import ModelConfig
from ...errors import ModelLoadError
from ..registry import register
from .gemma2 import Gemma2, sandwich_config
from .qwen3 import qk_norm_weights


def rope_split(hf: dict) -> tuple[dict, float]:
    """(the global layers' rope parameters, as Llama reads them; the local layers' theta). The global
    layers may scale RoPE (any type the Llama converter implements); the local ones must not."""
    params = hf.get("rope_parameters") or {}
    full = params.get("full_attention") or {"rope_theta": hf.get("rope_theta", 1_000_000.0),
                                            **(hf.get("rope_scaling") or {})}
    local = params.get("sliding_attention") or {"rope_theta": hf.get("rope_local_base_freq", 10_000.0)}
    rope_type = local.get("rope_type") or local.get("type") or "default"
    if rope_type != "default":
        raise ModelLoadError(
            f"this checkpoint's sliding_attention layers use RoPE scaling of type {rope_type!r}, which the "
            f"playground does not implement for Gemma 3's local layers (supported: default)"
        )
    return {"rope_theta": 1_000_000.0, **full}, float(local.get("rope_theta", 10_000.0))


@register("Gemma3ForCausalLM")
class Gemma3(Gemma2):
    USED = (Gemma2.USED - {"attn_logit_softcapping"}) | {
        "rope_local_base_freq", "sliding_window_pattern", "_sliding_window_pattern"}
    # transformers' Gemma3Attention stores attn_logit_softcapping but never applies it (5.24), and the
    # released checkpoints set null: a value there has no reference to agree with.
    REFUSED = Gemma2.REFUSED | {"attn_logit_softcapping": (
        (None,), "Gemma 3's reference (transformers) does not apply attention soft-capping")}

    @staticmethod
    def config(hf: dict) -> ModelConfig:
        full, local = rope_split(hf)
        pattern = hf.get("sliding_window_pattern") or hf.get("_sliding_window_pattern") or 6
        cfg = sandwich_config({**hf, "rope_parameters": full, "rope_scaling": None}, "Gemma3ForCausalLM", pattern)
        return replace(cfg, rope_local_theta=local, qk_norm="head", attn_softcap=None)

    @classmethod
    def weights(cls, t, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        return super().weights(t, cfg) | qk_norm_weights(t, cfg)
