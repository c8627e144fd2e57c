"""Plain RoPE settings for the families of the parallel-blocks converters (Falcon, GPT-NeoX, Phi,
StableLM): the base θ and the rotated width. A RoPE scaling type is refused here by name, whatever
the Llama converter's rope_settings accepts, until a family is tested with it."""
from __future__ import annotations

from ...errors import UnsupportedArchitecture
from .llama import rope_settings


def plain_rope_theta(hf: dict, arch: str) -> float:
    """θ from rope_parameters / rope_theta (or GPT-NeoX's old rotary_emb_base); scaling refused."""
    settings = rope_settings(hf)  # (theta, type, ...): the Llama converter's reading of both key styles
    theta, kind = settings[0], settings[1]
    if kind != "default":
        raise UnsupportedArchitecture(
            f"{arch} with RoPE scaling of type {kind!r} is not supported: only plain RoPE is tested for it"
        )
    params = hf.get("rope_parameters") or {}
    if "rotary_emb_base" in hf and "rope_theta" not in params and "rope_theta" not in hf:
        theta = float(hf["rotary_emb_base"])  # transformers: rope_theta defaults to rotary_emb_base
    return float(theta)


def rotary_dim_of(hf: dict, d_head: int, default: float, arch: str) -> int:
    """Partial rotary: int(d_head · factor), the factor from transformers 5's rope_parameters or
    the older `rotary_pct` / `partial_rotary_factor` keys (transformers' own rule)."""
    params = hf.get("rope_parameters") or {}
    factor = params.get("partial_rotary_factor", hf.get("partial_rotary_factor", hf.get("rotary_pct", default)))
    dim = int(d_head * factor)
    if dim % 2 or dim <= 0:
        raise UnsupportedArchitecture(
            f"{arch} with partial_rotary_factor={factor!r} is not supported: it rotates {dim} dims "
            "of each head, which must be a positive even number"
        )
    return dim
