"""Configs and weight initialisation for the two bundled models, built from our own classes."""
from __future__ import annotations

import math

import torch
from torch import nn

from ..config import ModelConfig
from ..models import build_model
from ..models.base import TransformerModel
from ..models.components import Norm


def translator_config(vocab_size: int, pad_id: int, eos_id: int, *, d_model: int = 128,
                      n_layers: int = 3, n_heads: int = 4, d_mlp: int = 256, n_ctx: int = 64) -> ModelConfig:
    """The paper's Transformer, as Marian stores it: sinusoidal positions, post-norm (Add & Norm
    after each sub-layer), no final norm, embeddings × √d_model, ReLU FFN, one shared table."""
    return ModelConfig(
        family="encoder-decoder",
        architecture="MarianMTModel",
        vocab_size=vocab_size,
        d_model=d_model,
        n_layers=n_layers,
        n_heads=n_heads,
        d_mlp=d_mlp,
        n_ctx=n_ctx,
        positional="sinusoidal",
        norm="layernorm",
        norm_eps=1e-5,
        norm_placement="post",
        final_norm=False,
        embed_scale=math.sqrt(d_model),
        activation="relu",
        tie_embeddings=True,
        lm_head_bias=True,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        decoder_start_token_id=pad_id,
    )


def gpt_config(vocab_size: int, eos_id: int, *, d_model: int = 128, n_layers: int = 3,
               n_heads: int = 4, n_ctx: int = 128) -> ModelConfig:
    """GPT-2's layout: learned positions, pre-norm, final LayerNorm, gelu_new, tied unembedding."""
    return ModelConfig(
        family="decoder",
        architecture="GPT2LMHeadModel",
        vocab_size=vocab_size,
        d_model=d_model,
        n_layers=n_layers,
        n_heads=n_heads,
        d_mlp=4 * d_model,
        n_ctx=n_ctx,
        positional="learned",
        norm="layernorm",
        norm_placement="pre",
        final_norm=True,
        activation="gelu_new",
        tie_embeddings=True,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
    )


def bert_config(vocab_size: int, pad_id: int, mask_id: int, *, d_model: int = 128, n_layers: int = 3,
                n_heads: int = 4, n_ctx: int = 64) -> ModelConfig:
    """BERT's layout (BertForMaskedLM): learned positions and two segment embeddings summed and
    LayerNorm-ed, post-norm blocks, GELU, the MLM head (dense + GELU + LayerNorm) tied to W_E."""
    return ModelConfig(
        family="encoder",
        architecture="BertForMaskedLM",
        vocab_size=vocab_size,
        d_model=d_model,
        n_layers=n_layers,
        n_heads=n_heads,
        d_mlp=4 * d_model,
        n_ctx=n_ctx,
        positional="learned",
        norm="layernorm",
        norm_eps=1e-12,
        norm_placement="post",
        final_norm=False,
        embed_norm=True,
        token_types=2,
        activation="gelu",
        tie_embeddings=True,
        lm_head="mlm",
        lm_head_bias=True,
        pad_token_id=pad_id,
        mask_token_id=mask_id,
    )


def init_weights(model: TransformerModel, *, std: float = 0.02, embed_std: float | None = None) -> None:
    """Our parameters start as torch.empty: give every one a value.

    Linear weights ~ N(0, std), biases 0, norms γ=1 β=0, embedding tables ~ N(0, embed_std).
    Output projections of residual branches (W_O, W_out) are scaled by 1/√(2·layers), as GPT-2 does.
    """
    n_layers = model.total_layers
    with torch.no_grad():
        for name, mod in model.named_modules():
            if isinstance(mod, nn.Linear):
                s = std / math.sqrt(2 * n_layers) if name.endswith(("W_O", "W_out")) else std
                mod.weight.normal_(0.0, s)
                if mod.bias is not None:
                    mod.bias.zero_()
            elif isinstance(mod, Norm):
                mod.w.fill_(1.0)
                if mod.b is not None:
                    mod.b.zero_()
        for name, p in model.named_parameters():
            if name.endswith(("W_E", "W_pos")):
                p.normal_(0.0, embed_std if embed_std is not None and name.endswith("W_E") else std)
            elif name.endswith("W_U"):
                p.normal_(0.0, std)
            elif name.endswith("b_U"):
                p.zero_()
            elif name.endswith("token_type_embed.weight"):  # BERT's segment table
                p.normal_(0.0, std)


def new_model(cfg: ModelConfig, seed: int, **init) -> TransformerModel:
    torch.manual_seed(seed)
    model = build_model(cfg)
    init_weights(model, **init)
    model.tie_weights()
    return model
