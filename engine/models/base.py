"""What every family shares: named hook points, an unembedding, parameter count, and what the
model can do (capabilities the GUI and CLI ask instead of comparing family names)."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ..config import ModelConfig
from ..hook_names import CROSS_MODULE, SELF_MODULE
from ..hooks import HookPoint, name_hooks
from .few_rows import linear


@dataclass(frozen=True)
class HeadStack:
    """One set of attention heads: `{prefix}blocks.{L}.{module}.hook_*` for L < n_layers."""

    prefix: str  # "" | "encoder." | "decoder."
    module: str  # "attn" | "cross_attn"
    n_layers: int

    @property
    def cross(self) -> bool:
        return self.module == CROSS_MODULE

    @property
    def stack(self) -> str | None:
        """The stack's name for HeadEdit.stack (None for a one-stack model)."""
        return self.prefix.rstrip(".") or None

    @property
    def label(self) -> str:
        what = "cross-attention" if self.cross else "self-attention"
        return f"{self.stack} {what}" if self.stack else what


class Unembed(nn.Module):
    """logits = h · W_Uᵀ (+ b). A tied model passes its embedding table as the weight."""

    def __init__(self, cfg: ModelConfig, tied: bool):
        super().__init__()
        self.tied = tied
        if not tied:
            self.W_U = nn.Parameter(torch.empty(cfg.vocab_size, cfg.d_embed))  # [vocab, d_embed (= d_model but in OPT-350m)]
        self.b_U = nn.Parameter(torch.zeros(cfg.vocab_size)) if cfg.lm_head_bias else None
        self.scale = cfg.unembed_scale  # T5 rescales its decoder output before the tied lm_head
        self.hook_in_scaled = None
        if self.scale != 1.0:
            what = " (d_model^-0.5)" if abs(self.scale * cfg.d_model**0.5 - 1) < 1e-6 else ""
            self.hook_in_scaled = HookPoint(  # [batch, pos, d_model]; its input is set by the model
                f"final hidden state × {self.scale:.4g}{what}, before the unembedding", ("batch", "pos", "d_model"))

    def forward(self, x: torch.Tensor, tied_weight: torch.Tensor | None = None, packs=None) -> torch.Tensor:
        """packs: a generation's pre-packed weights (engine/models/weight_packs.py; the same bits)."""
        if self.hook_in_scaled is not None:
            x = self.hook_in_scaled(x * self.scale)
        w = tied_weight if self.tied else self.W_U
        if packs is not None:
            return packs.linear(x, w, self.b_U)  # [batch, pos, vocab]
        return linear(x, w, self.b_U)  # [batch, pos, vocab]


def logits_hook(bias: bool = False) -> HookPoint:
    plus = " + b_U (one bias per token: final_logits_bias)" if bias else ""
    return HookPoint(
        f"logits = final hidden state · W_Uᵀ{plus}: one score per vocabulary token",
        ("batch", "pos", "vocab"),
    )


class TransformerModel(nn.Module):
    """Base class: call finalize() at the end of __init__ to name hooks.

    Each family declares what it can do as class attributes; the rest is derived from the
    stacks handed to finalize(), so callers never compare family names or hook prefixes.
    """

    cfg: ModelConfig
    hook_points: dict[str, HookPoint]
    generates: bool = False  # can continue a text token by token (engine.decoding)
    has_encoder: bool = False  # a separate encoder read by cross-attention
    output_stack: str = ""  # prefix of the stack whose last layer feeds the logits
    label_names: tuple[str, ...] = ()  # a sequence classifier's labels (id2label order); its output is per label
    shared_weights: dict[str, str] = {}  # layer key -> the layer whose weights it runs (ALBERT: 'blocks.3' -> 'blocks.0')

    def finalize(self, stacks: dict[str, nn.Module]) -> None:
        self.hook_points = name_hooks(self)
        self.stack_layers = {prefix: len(stack.blocks) for prefix, stack in stacks.items()}
        self.head_stacks = tuple(
            HeadStack(prefix, module, len(stack.blocks))
            for prefix, stack in stacks.items()
            for module in (SELF_MODULE, CROSS_MODULE)
            if len(stack.blocks) and hasattr(stack.blocks[0], module)
        )
        for prefix, stack in stacks.items():
            stack.link_inputs(prefix)

    @property
    def total_layers(self) -> int:
        """Layers over every stack (encoder + decoder for a translation model)."""
        return sum(self.stack_layers.values())

    @property
    def output_layers(self) -> int:
        """Layers of the stack that feeds the logits (what the logit lens walks)."""
        return self.stack_layers[self.output_stack]

    @property
    def fills_masks(self) -> bool:
        """Predicts tokens at [MASK] positions (an encoder with a masked-LM head)."""
        return False

    @property
    def has_logits(self) -> bool:
        return hasattr(self, "hook_logits")

    def decoder_start_ids(self) -> list[int]:
        """The ids a decoder fed by an encoder starts from (empty for other models)."""
        return []

    def forced_bos_id(self) -> int | None:
        """The token generation must produce first (a target language, BART's <s>), or None."""
        return self.cfg.forced_bos_token_id

    def forced_eos_ids(self) -> list[int]:
        """The token(s) generation must produce at the length limit (empty: none forced)."""
        eos = self.cfg.forced_eos_token_id
        return [] if eos is None else [eos] if isinstance(eos, int) else list(eos)

    def target_stack(self) -> str | None:
        """Prefix of the stack that reads the target tokens, when they differ from the prompt's."""
        return self.output_stack if self.has_encoder else None

    def tie_weights(self) -> None:
        """Re-share parameters that the checkpoint stores once (after loading or moving)."""

    def init_buffers(self) -> None:
        """Recompute derived tables (RoPE, sinusoidal) after building on the meta device."""
        for m in self.modules():
            if m is not self and hasattr(m, "init_buffers"):
                m.init_buffers()

    def kv_head_of_head(self) -> list[int]:
        rep = self.cfg.n_heads // self.cfg.n_kv_heads
        return [h // rep for h in range(self.cfg.n_heads)]

    def n_params(self) -> int:
        seen, total = set(), 0
        for p in self.parameters():
            if id(p) not in seen:
                seen.add(id(p))
                total += p.numel()
        return total

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def dtype(self) -> torch.dtype:
        return next(self.parameters()).dtype
