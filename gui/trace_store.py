"""TraceStore: the steps of one run in computation order, filled in layer by layer on demand.

For a small model every step is captured at once. For a long prompt the first run keeps
only cheap steps (outside the layers, and each layer's residual stream) plus each layer's
input (`replay`, an engine Trace with kept inputs); a layer's other steps are recomputed from
that input when the cursor reaches it (engine.recompute: the same bits as a full capture), and
at most `layer_bytes` of recomputed layers are held (the least recently merged go first).
No Qt and no torch here: it only holds what the engine returned.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from engine.hook_names import is_cross_attention, layer_key

TOKENS = "tokens"  # pseudo-step before the first hook: the tokenizer's output


@dataclass
class TraceStore:
    order: list[str]  # TOKENS first, then every hook name in computation order
    steps: dict = field(default_factory=dict)  # name -> engine.Step
    tokens: list[str] = field(default_factory=list)  # prompt (source) tokens for display
    target_tokens: list[str] | None = None  # decoder-side tokens (encoder-decoder)
    ids: list[int] = field(default_factory=list)
    target_ids: list[int] | None = None
    offsets: list[tuple[int, int]] = field(default_factory=list)
    prompt: str = ""
    meta: dict = field(default_factory=dict)
    target_stack: str | None = None  # prefix of the stack fed the target tokens (model.target_stack())
    output: object = None  # logits tensor from the run
    elapsed: float = 0.0
    nbytes: int = 0
    replay: object = None  # engine Trace whose kept layer inputs recompute any layer (long prompts)
    cheap: frozenset = frozenset()  # names the first run kept (never evicted)
    layer_bytes: int = 1536 * 2**20  # recomputed layers held at once (at least the latest)
    partial: dict = field(default_factory=dict)  # extras filling in on the worker ("lens", "thumbs")
    _layers: OrderedDict = field(default_factory=OrderedDict, repr=False)  # key -> bytes, oldest first

    # --- lookup (the engine.Trace mapping protocol, so engine.lens can read a store) ---------
    def __getitem__(self, name: str):
        return self.steps[name].tensor

    def __contains__(self, name: str) -> bool:
        return name in self.steps

    def __len__(self) -> int:
        return len(self.order)

    def step(self, name: str):
        return self.steps.get(name)

    def index(self, name: str) -> int | None:
        try:
            return self.order.index(name)
        except ValueError:
            return None

    def has(self, name: str) -> bool:
        return name == TOKENS or name in self.steps

    def missing_layer(self, name: str) -> str | None:
        """The layer to capture before `name` can be shown, or None when it is here."""
        return None if self.has(name) else layer_key(name)

    def merge(self, trace) -> None:
        """Add the steps of a later, narrower capture of the same prompt (a recomputed layer
        counts towards layer_bytes; older recomputed layers are dropped beyond it)."""
        added: dict[str, int] = {}
        for s in trace.steps:
            if s.name in self.steps:
                old = self.steps[s.name].tensor
                self.nbytes -= old.numel() * old.element_size()
            self.steps[s.name] = s
            size = s.tensor.numel() * s.tensor.element_size()
            self.nbytes += size
            key = layer_key(s.name)
            if self.replay is not None and key is not None and s.name not in self.cheap:
                added[key] = added.get(key, 0) + size
        for key, size in added.items():
            self._layers.pop(key, None)
            self._layers[key] = size
        while len(self._layers) > 1 and sum(self._layers.values()) > self.layer_bytes:
            self.drop_layer(next(iter(self._layers)))

    def drop_layer(self, key: str) -> None:
        """Forget a recomputed layer's steps (its cheap ones stay); it recomputes when asked again."""
        self._layers.pop(key, None)
        for name in self.layer_names(key):
            if name not in self.cheap and name in self.steps:
                t = self.steps.pop(name).tensor
                self.nbytes -= t.numel() * t.element_size()

    @property
    def held_layers(self) -> list[str]:
        return list(self._layers)

    def layer_names(self, key: str) -> list[str]:
        return [n for n in self.order if layer_key(n) == key]

    @property
    def n_heads(self) -> int:
        """Query heads per attention layer (1 when the run did not say)."""
        return len(self.meta.get("kv_head_of_head") or [1])

    @property
    def complete(self) -> bool:
        return all(self.has(n) for n in self.order)

    # --- token labels per axis ------------------------------------------------------------
    def tokens_for(self, name: str) -> list[str]:
        """Tokens along the position axis of a step: decoder-side ones for the decoder."""
        on_target = self.target_stack is not None and name.startswith(self.target_stack)
        if self.target_tokens is not None and (on_target or name == "hook_logits"):
            return self.target_tokens
        return self.tokens

    def key_tokens_for(self, name: str) -> list[str]:
        """Tokens along the key axis of an attention matrix (source tokens for cross-attention)."""
        if is_cross_attention(name):
            return self.tokens
        return self.tokens_for(name)
