"""TraceStore: the steps of one run in computation order, filled in layer by layer on demand.

For a small model every step is captured at once. For a long prompt the first run keeps
only cheap steps (outside the layers, and each layer's residual stream) plus each layer's
input (`replay`, an engine Trace with kept inputs); a layer's other steps are recomputed from
that input when the cursor reaches it (engine.recompute: the same bits as a full capture), and
at most `layer_bytes` of recomputed layers are held (the least recently merged go first).
A recomputation may give some heads' attention matrices only (engine Step.heads): those are held
per (name, head) and answer `step(name, head)` for that head; a full step always wins.
`progress` says how far whole-model work over the layers has got ({"thumbs": (done, total)}),
for views that show it (the attention grid). No Qt and no torch here: it only holds what the
engine returned.
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
    progress: dict = field(default_factory=dict)  # extra -> (layers done, layers) while it fills in
    head_steps: dict = field(default_factory=dict)  # (name, head) -> engine.Step of that head only
    _layers: OrderedDict = field(default_factory=OrderedDict, repr=False)  # recomputed layer keys, oldest first

    # --- lookup (the engine.Trace mapping protocol, so engine.lens can read a store) ---------
    def __getitem__(self, name: str):
        return self.steps[name].tensor

    def __contains__(self, name: str) -> bool:
        return name in self.steps

    def __len__(self) -> int:
        return len(self.order)

    def step(self, name: str, head: int | None = None):
        """The step's full record; else, with `head`, a record of that head only (Step.heads)."""
        got = self.steps.get(name)
        if got is None and head is not None:
            got = self.head_steps.get((name, head))
        return got

    def index(self, name: str) -> int | None:
        try:
            return self.order.index(name)
        except ValueError:
            return None

    def has(self, name: str, head: int | None = None) -> bool:
        return name == TOKENS or name in self.steps or (head is not None and (name, head) in self.head_steps)

    def missing_layer(self, name: str, head: int | None = None) -> str | None:
        """The layer to capture before `name` (for `head`) can be shown, or None when it is here."""
        return None if self.has(name, head) else layer_key(name)

    def merge(self, trace) -> None:
        """Add the steps of a later, narrower capture of the same prompt (a recomputed layer
        counts towards layer_bytes; older recomputed layers are dropped beyond it)."""
        added: dict[str, int] = {}
        for s in trace.steps:
            if getattr(s, "heads", None) is not None:
                size = self._merge_heads(s)
            else:
                if s.name in self.steps:
                    old = self.steps[s.name].tensor
                    self.nbytes -= old.numel() * old.element_size()
                self.steps[s.name] = s
                self._drop_heads(s.name)  # the full record replaces any single heads
                size = s.tensor.numel() * s.tensor.element_size()
            self.nbytes += size
            key = layer_key(s.name)
            if self.replay is not None and key is not None and s.name not in self.cheap:
                added[key] = added.get(key, 0) + size
        for key in added:
            self._layers.pop(key, None)
            self._layers[key] = None  # the most recently merged last
        while len(self._layers) > 1 and sum(map(self.layer_size, self._layers)) > self.layer_bytes:
            self.drop_layer(next(iter(self._layers)))

    def layer_size(self, key: str) -> int:
        """Bytes of a layer's recomputed steps held now (its cheap ones not counted)."""
        full = [self.steps[n].tensor for n in self.layer_names(key) if n in self.steps and n not in self.cheap]
        heads = [s.tensor for (n, _), s in self.head_steps.items() if layer_key(n) == key]
        return sum(t.numel() * t.element_size() for t in full + heads)

    def _merge_heads(self, s) -> int:
        """Hold each head of a some-heads step apart (unless the full step is here); returns bytes added."""
        from dataclasses import replace

        if s.name in self.steps:
            return 0
        added = 0
        for i, h in enumerate(s.heads):
            self._drop_heads(s.name, (h,))
            one = replace(s, tensor=s.tensor[:, i:i + 1], heads=(h,))  # [batch, 1, query_pos, key_pos]
            self.head_steps[(s.name, h)] = one
            added += one.tensor.numel() * one.tensor.element_size()
        return added

    def _drop_heads(self, name: str, heads=None) -> None:
        for key in [k for k in self.head_steps if k[0] == name and (heads is None or k[1] in heads)]:
            t = self.head_steps.pop(key).tensor
            self.nbytes -= t.numel() * t.element_size()

    def drop_layer(self, key: str) -> None:
        """Forget a recomputed layer's steps (its cheap ones stay); it recomputes when asked again."""
        self._layers.pop(key, None)
        for name in self.layer_names(key):
            self._drop_heads(name)
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
