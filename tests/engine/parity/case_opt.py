"""OPT parity cases: pre-norm (opt-125m style), post-norm without final LayerNorm (opt-350m style,
and with its narrower projected embeddings), no biases with non-affine LayerNorm, untied head."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

OPT = dict(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, ffn_dim=48,
           max_position_embeddings=64, word_embed_proj_dim=32, pad_token_id=1, bos_token_id=2, eos_token_id=2)


@case("OPTForCausalLM", "pre_norm")
def opt_pre():
    return random_hf("OPTForCausalLM", "OPTConfig", **OPT)


@case("OPTForCausalLM", "post_norm")
def opt_post():
    return random_hf("OPTForCausalLM", "OPTConfig", **OPT, do_layer_norm_before=False)


@case("OPTForCausalLM", "projected_embeddings_post_norm")
def opt_350m():
    """OPT-350m's shape: post-norm, no final LayerNorm, 16-wide embeddings projected to 32 and back."""
    return random_hf("OPTForCausalLM", "OPTConfig", **{**OPT, "word_embed_proj_dim": 16}, do_layer_norm_before=False)


@case("OPTForCausalLM", "no_bias_plain_norm_untied")
def opt_plain():
    return random_hf("OPTForCausalLM", "OPTConfig", **OPT, enable_bias=False, layer_norm_elementwise_affine=False,
                     tie_word_embeddings=False, activation_function="gelu")
