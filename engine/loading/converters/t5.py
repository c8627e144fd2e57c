"""T5ForConditionalGeneration (T5 v1.0, v1.1, Flan-T5) and MT5ForConditionalGeneration.

What transformers' T5 does, and we mirror:
- no position embeddings: each self-attention adds a relative position bias, looked up by the
  bucket of key − query (bidirectional in the encoder, causal in the decoder); the table is
  stored in each stack's layer 0 and every layer of the stack adds the same bias
  (engine/models/relative_bias.py); cross-attention has none;
- no ÷√d_head: the scores are q·kᵀ (+ bias + mask), the scaling step says "no scaling in T5";
- "T5 LayerNorm" = RMSNorm (no mean subtraction, no bias, variance in float32), pre-norm, plus
  a final_layer_norm in the encoder and in the decoder; no biases anywhere;
- the FFN is dense_act_fn(x·wi)·wo (v1.0: relu) or gated dense_act_fn(x·wi_0) ⊙ (x·wi_1) (v1.1 /
  Flan-T5 / mT5: gated-gelu, i.e. gelu_new);
- logits = lm_head(decoder output × d_model^-0.5) when `scale_decoder_outputs` (transformers 5:
  true unless the checkpoint's config said tie_word_embeddings=false); the lm_head is the shared
  embedding unless the checkpoint stores a different one (Flan-T5, mT5);
- the decoder starts from decoder_start_token_id (the pad token, 0).
transformers 5 never rescales MT5's output (its config forces tie_word_embeddings), so MT5
overrides only that.
"""
from __future__ import annotations

from dataclasses import replace

import torch

from ...config import ModelConfig
from ..generation_file import bad_words_of
from ..registry import register, strip_prefix, take
from .bert import check_activation

ATTN = {"W_Q": "q", "W_K": "k", "W_V": "v", "W_O": "o"}
EMBEDDINGS = ("shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight")
REL_TABLE = "block.0.layer.0.SelfAttention.relative_attention_bias.weight"


def _first(x):
    return x[0] if isinstance(x, (list, tuple)) and x else x


def _ffn(hf: dict) -> tuple[str, bool]:
    """(activation, gated), as T5Config derives them from feed_forward_proj (explicit keys win)."""
    proj = hf.get("feed_forward_proj", "relu")
    parts = proj.split("-")
    act = "gelu_new" if proj == "gated-gelu" else parts[-1]
    return hf.get("dense_act_fn", act), bool(hf.get("is_gated_act", parts[0] == "gated"))


def _ffn_form_ok(v) -> bool:
    parts = v.split("-") if isinstance(v, str) else []
    return len(parts) == 1 or (len(parts) == 2 and parts[0] == "gated")


@register("T5ForConditionalGeneration")
class T5:
    ARCH = "T5ForConditionalGeneration"
    USED = {"vocab_size", "d_model", "d_kv", "d_ff", "num_layers", "num_decoder_layers", "num_heads",
            "relative_attention_num_buckets", "relative_attention_max_distance", "layer_norm_epsilon",
            "feed_forward_proj", "dense_act_fn", "is_gated_act", "tie_word_embeddings",
            "scale_decoder_outputs", "bad_words_ids"}
    # generation settings read from generation_config.json when the folder has one (hf_folder)
    GENERATION_KEYS = ("decoder_start_token_id", "forced_bos_token_id", "forced_eos_token_id", "bad_words_ids")
    IGNORED = {"n_positions": "the trained length: relative positions have no table that limits the length",
               "dropout_rate": "dropout is off at inference"}
    REFUSED = {
        "is_decoder": ((False, None), "a T5 decoder used alone is not supported"),
        "relative_attention_num_buckets": (lambda v: isinstance(v, int) and v >= 4,
                                           "T5's bucketing needs at least 4 buckets"),
        "feed_forward_proj": (_ffn_form_ok, "T5 takes 'ACT' or 'gated-ACT'"),
    }

    @classmethod
    def scale_outputs(cls, hf: dict) -> bool:
        """transformers 5's T5: scale_decoder_outputs, else tie_word_embeddings is not False."""
        return bool(hf.get("scale_decoder_outputs", hf.get("tie_word_embeddings", True) is not False))

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        d, buckets = hf["d_model"], hf.get("relative_attention_num_buckets", 32)
        max_distance = hf.get("relative_attention_max_distance", 128)
        if not max_distance > buckets // 2:
            from ...errors import UnsupportedArchitecture

            raise UnsupportedArchitecture(
                f"{cls.ARCH} with relative_attention_max_distance={max_distance!r} is not supported: "
                f"it must exceed half the buckets ({buckets // 2}) for T5's logarithmic bucketing")
        act, gated = _ffn(hf)
        pad = hf.get("pad_token_id", 0)
        return ModelConfig(
            family="encoder-decoder",
            architecture=cls.ARCH,
            vocab_size=hf["vocab_size"],
            d_model=d,
            n_layers=hf["num_layers"],
            n_decoder_layers=hf.get("num_decoder_layers") or hf["num_layers"],
            n_heads=hf["num_heads"],
            d_head=hf["d_kv"],
            d_mlp=hf["d_ff"],
            n_ctx=4096,  # relative positions limit no length; this bounds one forward's attention matrices
            positional="none",
            norm="rmsnorm",
            norm_eps=hf.get("layer_norm_epsilon", 1e-6),
            norm_placement="pre",
            final_norm=True,
            activation=check_activation(act, cls.ARCH),
            gated_mlp=gated,
            attn_bias=False,
            attn_out_bias=False,
            mlp_bias=False,
            tie_embeddings=hf.get("tie_word_embeddings", True) is not False,  # weights() unties a stored lm_head
            lm_head="linear",
            pad_token_id=pad,
            bos_token_id=hf.get("bos_token_id"),
            eos_token_id=_first(hf.get("eos_token_id", 1)),
            decoder_start_token_id=pad if hf.get("decoder_start_token_id") is None else hf["decoder_start_token_id"],
            forced_bos_token_id=hf.get("forced_bos_token_id"),
            forced_eos_token_id=hf.get("forced_eos_token_id"),
            bad_words_ids=bad_words_of(hf),
            attn_scale=1.0,
            unscaled_by="T5",
            rel_pos_buckets=buckets,
            rel_pos_max_distance=max_distance,
            unembed_scale=d**-0.5 if cls.scale_outputs(hf) else 1.0,
            extra={"shared_embeddings": True},
        )

    @staticmethod
    def weights(tensors, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(tensors, ("transformer.",))
        shared = take(t, next((n for n in EMBEDDINGS if n in t), EMBEDDINGS[0]))
        sd = {"encoder.embed.W_E": shared, "decoder.embed.W_E": shared}
        sd.update(_stack(t, "encoder", "encoder.", cfg.n_layers, False, cfg.gated_mlp))
        sd.update(_stack(t, "decoder", "decoder.", cfg.n_decoder_layers, True, cfg.gated_mlp))
        head = t.get("lm_head.weight")
        # transformers ties lm_head to the shared table unless the checkpoint stores a different one
        if head is not None and not (head.shape == shared.shape and torch.equal(head, shared)):
            cfg.tie_embeddings = False
        if not cfg.tie_embeddings:
            sd["unembed.W_U"] = take(t, "lm_head.weight")
        return sd


def _stack(t, src: str, dst: str, n: int, cross: bool, gated: bool) -> dict[str, torch.Tensor]:
    """One T5Stack: the relative-bias table of its layer 0, its blocks, its final_layer_norm."""
    sd = {f"{dst}rel_bias.W_rel": take(t, f"{src}.{REL_TABLE}"),  # [bucket, head]
          f"{dst}ln_final.w": take(t, f"{src}.final_layer_norm.weight")}
    for i in range(n):
        sd.update(_layer(t, f"{src}.block.{i}.layer.", f"{dst}blocks.{i}.", cross, gated))
    return sd


def _layer(t, src: str, dst: str, cross: bool, gated: bool) -> dict[str, torch.Tensor]:
    """One T5Block: layer.0 self-attention, [layer.1 cross-attention], last layer the FFN."""
    subs = [("attn", "ln1", "SelfAttention")] + ([("cross_attn", "ln_cross", "EncDecAttention")] if cross else [])
    sd = {}
    for j, (ours, norm, theirs) in enumerate(subs):
        sd[f"{dst}{norm}.w"] = take(t, f"{src}{j}.layer_norm.weight")
        for w, proj in ATTN.items():
            sd[f"{dst}{ours}.{w}.weight"] = take(t, f"{src}{j}.{theirs}.{proj}.weight")
    ff = f"{src}{len(subs)}."
    sd[f"{dst}ln2.w"] = take(t, ff + "layer_norm.weight")
    ins = {"W_gate": "wi_0", "W_in": "wi_1"} if gated else {"W_in": "wi"}
    for ours, theirs in {**ins, "W_out": "wo"}.items():
        sd[f"{dst}mlp.{ours}.weight"] = take(t, f"{ff}DenseReluDense.{theirs}.weight")
    return sd


@register("MT5ForConditionalGeneration")
class MT5(T5):
    """mT5: T5 v1.1 with a large multilingual vocabulary; transformers 5 never rescales its output."""

    ARCH = "MT5ForConditionalGeneration"

    @classmethod
    def scale_outputs(cls, hf: dict) -> bool:
        return False


@register("T5EncoderModel")
class T5Encoder(T5):
    """T5's encoder alone (sentence embeddings, e.g. sentence-t5): its final hidden state, no head."""

    ARCH = "T5EncoderModel"

    @classmethod
    def config(cls, hf: dict) -> ModelConfig:
        return replace(super().config(hf), family="encoder", lm_head="none", unembed_scale=1.0,
                       decoder_start_token_id=None, forced_bos_token_id=None, forced_eos_token_id=None,
                       bad_words_ids=None)

    @staticmethod
    def weights(tensors, cfg: ModelConfig) -> dict[str, torch.Tensor]:
        t = strip_prefix(tensors, ("transformer.",))
        sd = {"embed.W_E": take(t, next((n for n in EMBEDDINGS[:2] if n in t), EMBEDDINGS[0]))}
        sd.update(_stack(t, "encoder", "", cfg.n_layers, False, cfg.gated_mlp))
        return sd
