"""The config fields most decoder checkpoints spell the same way, read once for every converter."""
from __future__ import annotations


def decoder_shape(hf: dict, arch: str, *, d_mlp: int | None = None, n_kv_heads: int | None = None,
                  n_ctx: int = 2048) -> dict:
    """ModelConfig keyword arguments from `hidden_size`, `num_hidden_layers`, `num_attention_heads`,
    `num_key_value_heads`, `intermediate_size` (unless d_mlp is given), `max_position_embeddings`
    and the special-token ids; a converter adds what its family does differently."""
    h = hf["num_attention_heads"]
    return dict(
        family="decoder",
        architecture=arch,
        vocab_size=hf["vocab_size"],
        d_model=hf["hidden_size"],
        n_layers=hf["num_hidden_layers"],
        n_heads=h,
        n_kv_heads=n_kv_heads or hf.get("num_key_value_heads") or h,
        d_mlp=hf["intermediate_size"] if d_mlp is None else d_mlp,
        n_ctx=hf.get("max_position_embeddings", n_ctx),
        bos_token_id=hf.get("bos_token_id"),
        eos_token_id=hf.get("eos_token_id"),
        pad_token_id=hf.get("pad_token_id"),
    )
