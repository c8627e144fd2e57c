"""Which view shows which kind of step, and the view names `tplay render` accepts."""
from __future__ import annotations

from engine.hook_names import kind_of

from ..trace_store import TOKENS
from .attention import AttentionView
from .attention_grid import AttentionGridView
from .embedding import EmbeddingView
from .ffn import FFNView
from .logit_lens import LogitLensView
from .probabilities import ProbabilitiesView
from .qkv import QKVView
from .tokens import TokensView

VIEWS = {
    "tokens": TokensView,
    "embedding": EmbeddingView,
    "attention": AttentionView,
    "qkv": QKVView,
    "ffn": FFNView,
    "logit-lens": LogitLensView,
    "probabilities": ProbabilitiesView,
    "grid": AttentionGridView,
}

KIND_VIEW = {
    "hook_embed": "embedding",
    "hook_pos_embed": "embedding",
    "hook_token_type_embed": "embedding",
    "hook_embed_sum": "embedding",
    "hook_project_in": "embedding",
    "hook_rel_table": "embedding",
    "hook_attn_scores": "attention",
    "hook_c2p": "attention",  # DeBERTa's position terms, drawn beside q·kᵀ
    "hook_p2c": "attention",
    "hook_attn_scaled": "attention",
    "hook_attn_capped": "attention",
    "hook_attn_masked": "attention",
    "hook_pattern": "attention",
    "hook_q": "qkv",
    "hook_k": "qkv",
    "hook_v": "qkv",
    "hook_rot_q": "qkv",
    "hook_rot_k": "qkv",
    "hook_q_clipped": "qkv",
    "hook_k_clipped": "qkv",
    "hook_v_clipped": "qkv",
    "hook_q_normed": "qkv",
    "hook_k_normed": "qkv",
    "hook_z": "qkv",
    "hook_result": "qkv",
    "hook_logits": "probabilities",
}


def view_name_for(step_name: str) -> str:
    """The inspector's view for a step; Add & Norm / FFN is the default for residual steps."""
    if step_name == TOKENS:
        return "tokens"
    if step_name.endswith("blocks.0.hook_resid_pre"):
        return "embedding"  # embedding + position = the sum that enters layer 0
    return KIND_VIEW.get(kind_of(step_name), "ffn")
