"""ModelConfig: one flat description that all three families are built from."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Family = Literal["decoder", "encoder", "encoder-decoder"]


@dataclass
class ModelConfig:
    family: Family
    architecture: str  # the checkpoint's architecture name, e.g. "GPT2LMHeadModel"
    vocab_size: int
    d_model: int
    n_layers: int
    n_heads: int
    d_mlp: int
    n_ctx: int  # context window (max positions)
    n_kv_heads: int | None = None  # grouped-query attention; None = n_heads
    d_head: int | None = None  # None = d_model // n_heads
    n_decoder_layers: int | None = None  # encoder-decoder only; None = n_layers
    positional: Literal["learned", "sinusoidal", "sinusoidal_fairseq", "rope", "none"] = "learned"
    pos_offset: int = 0  # learned positions that start at an offset (e.g. BART's 2)
    rope_theta: float = 10000.0
    norm: str = "layernorm"  # a key of components.NORM_KINDS: layernorm, rmsnorm, rmsnorm_1p, layernorm_np
    norm_eps: float = 1e-5
    norm_placement: str = "pre"  # a key of block.PLACEMENTS: pre, post, sandwich, sublayer_post
    final_norm: bool = True
    embed_norm: bool = False  # LayerNorm right after the embeddings (BERT)
    token_types: int = 0  # BERT's segment embeddings
    embed_scale: float = 1.0  # Marian multiplies embeddings by sqrt(d_model)
    activation: str = "gelu_new"
    gated_mlp: bool = False  # SwiGLU-style gate * up
    attn_bias: bool = True
    attn_out_bias: bool = True
    mlp_bias: bool = True
    tie_embeddings: bool = True
    lm_head: Literal["linear", "mlm", "none"] = "linear"
    lm_head_bias: bool = False  # Marian's final_logits_bias
    pad_token_id: int | None = None
    bos_token_id: int | None = None
    eos_token_id: int | None = None
    decoder_start_token_id: int | None = None
    mask_token_id: int | None = None
    # --- parallel blocks (GPT-NeoX, GPT-J, Phi-1/2, Falcon, StableLM): x + attn(ln(x)) + mlp(ln(x)) ---
    parallel_block: bool = False  # attention and MLP read the same resid_pre; both outputs are added
    parallel_norms: int = 1  # 1: one norm feeds both (GPT-J, Phi, Falcon-7B); 2: ln1 -> attn, ln2 -> mlp
    # --- per-layer attention scale (GPT-2's options) ---
    attn_scale: float | None = None  # scores are multiplied by this; None = 1/√d_head
    attn_scale_by_layer: bool = False  # GPT-2 scale_attn_by_inverse_layer_idx: also divide by (layer + 1)
    attn_upcast: bool = False  # GPT-2 reorder_and_upcast_attn: q·k, softmax and the mix in float32
    # --- embedding width != d_model (OPT-350m's word_embed_proj_dim): project_in / project_out ---
    d_embed: int | None = None  # None = d_model; else W_E is [vocab, d_embed] and the stack projects in and out
    # --- RoPE variants (rope helper): engine/models/rope.py, components.Rotary ---
    rope_type: str = "default"  # a key of engine.models.rope.ROPE_TYPES (linear, dynamic, yarn, llama3, longrope)
    rope_params: dict = field(default_factory=dict)  # that type's parameters (factor, original_max_position_embeddings, ...)
    rotary_dim: int | None = None  # partial rotary: rotate the first rotary_dim dims of each head; None = d_head
    rope_interleaved: bool = False  # GPT-J's rotate_every_two: pairs (0,1), (2,3)...; False = rotate-half
    nope_layers: list[int] = field(default_factory=list)  # layers without any rotation (SmolLM3's NoPE layers)
    # Phi-3's generation recomputes the KV cache once, when the sequence first grows past this many
    # tokens (its LongRoPE switch from short to long factors), so the cached keys get the new angles.
    rope_refresh_length: int | None = None
    # --- attention variants (sliding window, q/k norm, scale, soft-caps, clip_qkv) ---
    sliding_window: int | None = None  # a query at i sees keys j with i - j < sliding_window
    layer_types: list[str] | None = None  # per layer "full_attention" | "sliding_attention"; None: all
    #                                       sliding if sliding_window is set, else all full
    rope_local_theta: float | None = None  # RoPE base of the sliding layers (Gemma 3); None = rope_theta
    qk_norm: str | None = None  # "head": RMSNorm of each head's q and k (Qwen3, Gemma 3);
    #                             "whole": over the whole q / k projection (OLMo-2)
    attn_softcap: float | None = None  # scores → tanh(scores / c) · c before the mask (Gemma 2)
    final_softcap: float | None = None  # logits → tanh(logits / c) · c (Gemma 2)
    clip_qkv: float | None = None  # q, k, v clamped to [−c, c] after the projections (OLMo)
    embed_scale_in_dtype: bool = False  # Gemma rounds √d_model to the compute dtype first
    # --- encoders with attention of their own (DeBERTa-v2 disentangled attention; ModernBERT) ---
    attention: str = "standard"  # a key of block.ATTENTIONS: standard, disentangled (DeBERTa-v2)
    rel_attention: bool = False  # DeBERTa's relative_attention: c2p / p2c terms from relative embeddings
    pos_att_type: list[str] = field(default_factory=list)  # "c2p", "p2c"; each also widens the divisor
    position_buckets: int = -1  # log-bucketed relative distances (> 0), else plain distances
    max_relative_positions: int = -1  # < 1: n_ctx
    share_att_key: bool = False  # position keys / queries use W_K / W_Q (else their own projections)
    norm_rel_ebd: bool = False  # LayerNorm on the relative embedding table
    conv_kernel: int = 0  # > 0: DeBERTa-v2's ConvLayer after layer 0: LayerNorm(out + act(conv1d(embeddings)))
    conv_groups: int = 1
    conv_act: str = "tanh"
    bidirectional_window: bool = False  # sliding-window layers of an encoder: keys with |i − j| ≥ window masked
    first_attn_norm: bool = True  # False: layer 0 has no norm before attention (ModernBERT)
    head_activation: str | None = None  # the MLM head's activation; None = activation
    # --- BART / mBART / Pegasus / M2M100 (bart helper): fairseq positions, forced generation tokens ---
    # "sinusoidal_fairseq" positions (M2M100, NLLB): a non-pad token's row is pos_pad_id + 1 + its index
    # counting non-pad tokens only; a pad token gets row pos_pad_id, which is all zeros
    pos_pad_id: int | None = None
    forced_bos_token_id: int | None = None  # generation: the first generated token is this one (a target language)
    forced_eos_token_id: int | list[int] | None = None  # generation: the token generated at the length limit is this one
    extra: dict = field(default_factory=dict)

    def layer_type(self, i: int) -> str:
        """'sliding_attention' or 'full_attention' for layer i."""
        if self.layer_types is not None:
            return self.layer_types[i]
        return "sliding_attention" if self.sliding_window is not None else "full_attention"

    def __post_init__(self) -> None:
        self._check_sizes()
        if self.n_kv_heads is None:
            self.n_kv_heads = self.n_heads
        if self.d_head is None:
            self.d_head = self.d_model // self.n_heads
        if self.d_embed is None:
            self.d_embed = self.d_model
        if self.n_decoder_layers is None:
            self.n_decoder_layers = self.n_layers
        if self.rotary_dim is None:
            self.rotary_dim = self.d_head
        if self.positional == "rope" and (self.rotary_dim % 2 or not 0 < self.rotary_dim <= self.d_head):
            raise ValueError(f"rotary_dim ({self.rotary_dim}) must be even and in 1..d_head ({self.d_head})")
        if self.n_heads % self.n_kv_heads:
            raise ValueError(
                f"n_heads ({self.n_heads}) must be a multiple of n_kv_heads ({self.n_kv_heads})"
            )

    def _check_sizes(self) -> None:
        """Sizes a checkpoint's config can get wrong (n_head 0, vocab_size -1, eps "x"): one clear line."""
        import math

        for name, low in (("vocab_size", 1), ("d_model", 1), ("n_layers", 0), ("n_heads", 1), ("d_mlp", 0),
                          ("n_ctx", 1), ("n_kv_heads", 1), ("d_head", 1), ("n_decoder_layers", 0)):
            v = getattr(self, name)
            if v is None and name in ("n_kv_heads", "d_head", "n_decoder_layers"):
                continue
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise ValueError(f"{name} must be a whole number ≥ {low}, not {v!r}")
            if v > (10_000 if "layers" in name else 2**31):
                raise ValueError(f"{name} {v} is beyond any model this program can hold")
        if self.d_head is None and self.d_model % self.n_heads:
            raise ValueError(f"d_model ({self.d_model}) must be a multiple of n_heads ({self.n_heads})")
        eps = self.norm_eps
        if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not math.isfinite(eps) or eps < 0:
            raise ValueError(f"the norm epsilon must be a small non-negative number, not {eps!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        return cls(**d)
