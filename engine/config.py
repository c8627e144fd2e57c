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
    positional: Literal["learned", "sinusoidal", "rope", "none"] = "learned"
    pos_offset: int = 0  # learned positions that start at an offset (e.g. BART's 2)
    rope_theta: float = 10000.0
    norm: Literal["layernorm", "rmsnorm"] = "layernorm"
    norm_eps: float = 1e-5
    norm_placement: Literal["pre", "post"] = "pre"
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
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._check_sizes()
        if self.n_kv_heads is None:
            self.n_kv_heads = self.n_heads
        if self.d_head is None:
            self.d_head = self.d_model // self.n_heads
        if self.n_decoder_layers is None:
            self.n_decoder_layers = self.n_layers
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
