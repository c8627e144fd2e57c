"""`phi3` GGUF files (Phi-3 / Phi-3.5 mini, Phi-4 mini): fused qkv and gate_up matrices, NeoX RoPE
over a part of each head, and Phi-3's "longrope" stored as two factor tensors."""
from __future__ import annotations

from ...errors import ModelLoadError
from .arch import register
from .llama import Llama
from .reader import Contents


@register
class Phi3(Llama):
    names = ("phi3",)
    hf_architecture = "Phi3ForCausalLM"
    PERMUTED_QK = False
    PARTIAL_ROTARY = True
    BLOCK = {
        "attn_qkv": "self_attn.qkv_proj",
        "attn_output": "self_attn.o_proj",
        "ffn_up": "mlp.gate_up_proj",
        "ffn_down": "mlp.down_proj",
        "attn_norm": "input_layernorm",
        "ffn_norm": "post_attention_layernorm",
    }
    CONSUMED = frozenset({"rope_factors_long.weight", "rope_factors_short.weight"})

    def head_dim(self, c: Contents) -> int:
        return c.key("embedding_length") // c.key("attention.head_count")

    def rope(self, c: Contents, head_dim: int) -> dict:
        params = super().rope(c, head_dim)
        params.setdefault("partial_rotary_factor", 1.0)
        factors = {n for n in self.CONSUMED if n in c.names}
        if not factors:
            return params
        if len(factors) != 2:
            raise ModelLoadError(f"this GGUF has {sorted(factors)[0]} without its pair; expected both "
                                 "rope_factors_long and rope_factors_short")
        def factors(name):  # header only: placeholders of the right length, the values come at load
            t = c.tensor(name)
            return [1.0] * (int(params.get("partial_rotary_factor", 1.0) * head_dim) // 2) if t is None \
                else t.flatten().tolist()

        params.update(rope_type="longrope",
                      original_max_position_embeddings=c.key("rope.scaling.original_context_length"),
                      long_factor=factors("rope_factors_long.weight"),
                      short_factor=factors("rope_factors_short.weight"))
        attn = c.key("rope.scaling.attn_factor", None)
        if attn is not None:
            params["attention_factor"] = float(attn)
        return params

    def hf_config(self, c: Contents) -> dict:
        hf = super().hf_config(c)
        for key in ("attention_bias", "mlp_bias", "head_dim"):
            hf.pop(key)
        hf.update(
            original_max_position_embeddings=c.key("rope.scaling.original_context_length",
                                                   hf["max_position_embeddings"]),
            sliding_window=c.key("attention.sliding_window", None),
        )
        return hf
