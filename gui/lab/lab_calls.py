"""The lab's work for the worker thread: plain functions and objects, no Qt.

LiveGeneration keeps one engine Generation open between button presses, so "Next token"
continues the same run (KV cache, beams) instead of starting again; each pulled StepEvent is
summarised here (top-N per stage, beam nodes, cross-attention rows) so the UI thread only
copies small arrays into chart items.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Callable

import numpy as np

from engine.hook_names import CROSS_MODULE

from .stats import StepView, step_view
from .tree_model import Node, nodes_of
from .. import i18n  # i18n.tr: a function below has a local named tr

CROSS = f"*{CROSS_MODULE}.hook_pattern"


@dataclass
class LabEvent:
    view: StepView
    nodes: list[Node]
    tokens: list[int]  # the followed line's generated ids after this step
    done: bool = False
    stop_reason: str | None = None
    sequences: list[tuple[list[int], float]] | None = None
    cross: np.ndarray | None = None  # [layer, head, src] the followed line's new row, when translating
    elapsed_s: float = 0.0
    notes: list[str] = field(default_factory=list)  # the engine's notes so far (e.g. an empty prompt began at BOS)


def _processor_defaults() -> dict:
    from engine.decoding.processors import off_values

    return off_values()


@dataclass
class GenerationSettings:
    """The generation panel's values (what a session file and the remembered settings store, flat:
    one key per field and per registered processor option, see `flat()`)."""

    strategy: str = "greedy"
    processors: dict = field(default_factory=_processor_defaults)  # option name -> value (every registered one)
    num_beams: int = 3
    length_penalty: float = 1.0
    max_new_tokens: int = 20
    seed: int = 0

    def flat(self) -> dict:
        """{"strategy": …, "temperature": …, "top_k": …, …, "seed": …}: settings keys, session JSON."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "processors"}
        return {**d, **self.processors}

    @classmethod
    def from_flat(cls, d: dict) -> "GenerationSettings":
        """The inverse of flat(); a missing key keeps its default, an unknown key is a TypeError."""
        from engine.decoding.processors import split_values

        procs, rest = split_values(d)
        return cls(processors={**_processor_defaults(), **procs}, **rest)

    @classmethod
    def kinds(cls) -> dict:
        """Flat key -> the type of its default (str, int or float)."""
        from engine.decoding.processors import PROCESSORS

        d = {f.name: type(f.default) for f in fields(cls) if f.name != "processors"}
        return {**d, **{n: c.option.kind for n, c in PROCESSORS.items()}}

    def processor_values(self) -> dict:
        return dict(self.processors)

    def options(self, capture=None):
        """GenerationOptions for a run: warpers only when sampling (their knobs are off otherwise)."""
        from engine.decoding import GenerationOptions
        from engine.decoding.processors import PROCESSORS

        beam = self.strategy == "beam"
        sampling = self.strategy == "sample"
        procs = {n: v for n, v in self.processors.items()
                 if n in PROCESSORS and (sampling or not PROCESSORS[n].warper)}
        return GenerationOptions(
            strategy=self.strategy, max_new_tokens=self.max_new_tokens, processors=procs, seed=self.seed,
            num_beams=self.num_beams if beam else 4, num_return=self.num_beams if beam else 1,
            length_penalty=self.length_penalty, capture=capture, keep_stages=True,
        )


@dataclass
class LiveGeneration:
    lm: object
    prompt_ids: list[int]
    settings: GenerationSettings
    gen: object = None
    it: object = None
    done: bool = False
    src_tokens: list[str] = field(default_factory=list)
    prompt_text: str = ""
    opts: object = None  # GenerationOptions to use instead of settings.options() (tplay render)
    requested_max: int = 0  # max new tokens asked for (the engine may clamp its options' value)

    def start(self) -> None:
        from engine import Capture
        from engine.decoding import Generation

        capture = None
        if self.lm.model.has_encoder:
            capture = Capture(names=[CROSS], to_cpu=True)
            self.src_tokens = self.lm.tokenizer.token_strings(self.prompt_ids)
        opts = self.opts or self.settings.options(capture)
        if self.opts is not None:
            opts.capture, opts.keep_stages = capture, True
        self.requested_max = opts.max_new_tokens
        self.gen = Generation(self.lm.model, self.prompt_ids, opts)
        self.it = iter(self.gen)

    @property
    def notes(self) -> list[str]:
        """What the engine adjusted, in its words (e.g. max new tokens clamped to the context window)."""
        return list(self.gen.notes) if self.gen is not None else []

    def stop_text(self, reason: str | None) -> str | None:
        """The engine's stop reason, except that reaching a max-new-tokens the engine clamped to
        the room left in the context window is the context window."""
        gen = self.gen
        if reason == "max-new-tokens" and gen is not None and gen.opts.max_new_tokens < self.requested_max:
            return i18n.tr("context window full ({n} tokens)").format(n=self.lm.cfg.n_ctx)
        return reason

    def pull(self, n: int, emit: Callable[[LabEvent], None], cancel: Callable[[], bool]) -> int:
        """Pull up to n steps, emitting each; stops early on cancel (resumable) or when done."""
        if self.gen is None:
            self.start()
        pulled = 0
        while pulled < n and not self.done and not cancel():
            ev = next(self.it, None)
            if ev is None:
                self.done = True
                break
            emit(self.summarise(ev))
            pulled += 1
            self.done = ev.done
        return pulled

    def summarise(self, ev) -> LabEvent:
        tok = self.lm.tokenizer
        label = lambda i: tok.token_strings([i])[0]  # noqa: E731
        ctx = self.gen.decoder.context
        view = step_view(ev, tok, prompt_ids=ctx)
        h = max(ev.hypotheses, key=lambda x: x.logprob)
        tokens = list(h.tokens) + ([view.chosen] if view.chosen is not None else [])
        seqs = [(list(s.ids), float(s.score)) for s in ev.sequences] if ev.sequences else None
        if ev.done and seqs and ev.strategy == "beam":
            tokens = seqs[0][0]
        cross = None
        if ev.trace is not None:
            rows = [ev.trace[s.name][h.index, :, -1].float().numpy() for s in ev.trace]  # [head, src] each
            cross = np.stack(rows) if rows else None  # [layer, head, src]
        return LabEvent(view, nodes_of(ev, label), tokens, ev.done, ev.stop_reason, seqs, cross, ev.elapsed_s,
                        self.notes)


def next_token_top(lm, ids: list[int], target: list[int] | None, edits, cancel, n: int = 12) -> dict:
    """Before/after next-token top-N for a set of head edits (two full forward passes)."""
    import torch

    from engine import run
    from engine.interventions import head_interventions

    fns = head_interventions(lm.model, list(edits))
    out = {}
    for key, iv in (("before", None), ("after", fns)):
        logits = run(lm.model, ids, target_ids=target, interventions=iv, cancel=cancel).output[0, -1]
        p = torch.softmax(logits.float(), dim=-1)  # [vocab]
        vals, idx = torch.topk(p, min(n, p.shape[-1]))
        out[key] = {"ids": idx.tolist(), "probs": vals.numpy().astype(np.float64),
                    "tokens": lm.tokenizer.token_strings(idx.tolist()), "full": p.numpy()}
    return out


def mask_fill(lm, text: str, cancel, top: int = 5) -> dict:
    """Candidates per [MASK], or why fill is unavailable plus attention and embeddings."""
    from engine import Capture, run
    from engine.decoding import fill_masks
    from engine.errors import InputError

    ids = lm.tokenizer.encode(text).ids
    tokens = lm.tokenizer.token_strings(ids)
    result: dict = {"ids": ids, "tokens": tokens, "fill": None, "why": ""}
    try:
        ev = next(fill_masks(lm.model, ids, top_k=top))
        result["fill"] = {p: [(lm.tokenizer.token_strings([i])[0], pr) for i, pr in cands]
                          for p, cands in ev.top.items()}
    except InputError as e:
        result["why"] = str(e)
    tr = run(lm.model, ids, capture=Capture(names=["*hook_pattern", "hook_embed"], to_cpu=True), cancel=cancel)
    result["patterns"] = {s.name: s.tensor[0].float().numpy() for s in tr if s.name.endswith("hook_pattern")}
    result["embed"] = tr["hook_embed"][0].float().numpy() if "hook_embed" in [s.name for s in tr] else None
    return result
