"""SmolLM3ForCausalLM: Llama whose every few layers have no positional rotation (NoPE layers).

`no_rope_layers[i]` is 1 where layer i rotates q and k and 0 where it does not; transformers
derives it from `no_rope_layer_interval` (every 4th layer NoPE) when a config lacks it. A NoPE
layer's attention has no hook_rot_q / hook_rot_k steps at all.
"""
from __future__ import annotations

from dataclasses import replace

from ...config import ModelConfig
from ...errors import UnsupportedArchitecture
from ..registry import register
from .llama import Llama


def rope_flags(hf: dict) -> list[int]:
    """Per layer 1 = rotate, 0 = NoPE, as SmolLM3Config.__post_init__ fills it."""
    n, every = hf["num_hidden_layers"], hf.get("no_rope_layer_interval", 4)
    flags = hf.get("no_rope_layers")
    if flags is None:
        flags = [int((i + 1) % every != 0) for i in range(n)]
    if len(flags) != n:
        raise UnsupportedArchitecture(f"SmolLM3ForCausalLM: no_rope_layers has {len(flags)} entries for {n} layers")
    return list(flags)


def layer_types(hf: dict, flags: list[int]) -> list[str]:
    """Sliding-window layers: given, or (without layer_types) the NoPE layers when a window is on."""
    given = hf.get("layer_types")
    if given is not None:
        return list(given)
    sliding = hf.get("use_sliding_window") and hf.get("sliding_window") is not None
    return ["sliding_attention" if sliding and not f else "full_attention" for f in flags]


@register("SmolLM3ForCausalLM")
class SmolLM3(Llama):
    USED = Llama.USED | {"no_rope_layers", "no_rope_layer_interval", "layer_types"}
    IGNORED = {
        "use_sliding_window": "acts only through layer_types (sliding layers are refused there)",
        "sliding_window": "acts only through layer_types (sliding layers are refused there)",
    }

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        hf = {"tie_word_embeddings": True, **hf}  # SmolLM3Config's default
        flags = rope_flags(hf)
        if "sliding_attention" in layer_types(hf, flags):
            raise UnsupportedArchitecture(
                "SmolLM3ForCausalLM with layer_types containing 'sliding_attention' is not supported: "
                "sliding-window layers are not implemented for SmolLM3"
            )
        cfg = super().config(hf)
        return replace(cfg, architecture="SmolLM3ForCausalLM", nope_layers=[i for i, f in enumerate(flags) if not f])
