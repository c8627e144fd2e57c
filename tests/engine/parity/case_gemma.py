"""Parity cases of Gemma 1–3: √d_model embedding scale, (1 + w) RMSNorm, GeGLU; Gemma 2's sandwich
norms, query_pre_attn_scalar, soft-caps small enough to bite, alternating sliding / global layers;
Gemma 3's q/k norms and the local layers' own RoPE base."""
from __future__ import annotations

from .cases import VOCAB, case, random_hf

SMALL = dict(vocab_size=VOCAB, max_position_embeddings=64, hidden_size=32, intermediate_size=48,
             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=8, pad_token_id=0,
             bos_token_id=1, eos_token_id=3)


@case("GemmaForCausalLM", "base")
def gemma():
    return random_hf("GemmaForCausalLM", "GemmaConfig", **SMALL)


@case("Gemma2ForCausalLM", "softcap-sliding")
def gemma2():
    return random_hf("Gemma2ForCausalLM", "Gemma2Config", **SMALL, sliding_window=4, query_pre_attn_scalar=12,
                     attn_logit_softcapping=2.0, final_logit_softcapping=3.0)


@case("Gemma2ForCausalLM", "untied-no-caps")
def gemma2_plain():
    return random_hf("Gemma2ForCausalLM", "Gemma2Config", **{**SMALL, "num_hidden_layers": 3}, sliding_window=3,
                     attn_logit_softcapping=None, final_logit_softcapping=None, tie_word_embeddings=False)


LOCAL_GLOBAL = {"sliding_attention": {"rope_type": "default", "rope_theta": 100.0},
                "full_attention": {"rope_type": "default", "rope_theta": 20000.0}}


@case("Gemma3ForCausalLM", "qk-norm-local-rope")
def gemma3():
    return random_hf("Gemma3ForCausalLM", "Gemma3TextConfig", **SMALL, sliding_window=4,
                     layer_types=["sliding_attention", "full_attention"], rope_parameters=LOCAL_GLOBAL)


@case("Gemma3ForCausalLM", "softcaps")
def gemma3_caps():
    return random_hf("Gemma3ForCausalLM", "Gemma3TextConfig", **{**SMALL, "num_hidden_layers": 3}, sliding_window=3,
                     sliding_window_pattern=3, final_logit_softcapping=3.0,
                     query_pre_attn_scalar=10)


@case("Gemma3ForCausalLM", "global-linear-rope")
def gemma3_linear():
    """Gemma 3 4B and larger: linear RoPE scaling (factor 8) on the global layers only."""
    params = {"sliding_attention": {"rope_type": "default", "rope_theta": 100.0},
              "full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 20000.0}}
    return random_hf("Gemma3ForCausalLM", "Gemma3TextConfig", **SMALL, sliding_window=4,
                     layer_types=["sliding_attention", "full_attention"], rope_parameters=params)
