"""What the lab's charts show, computed from real scores (no Qt): per-stage top-N, mass removed,
entropy, and re-processing cached raw scores with new settings (no forward pass).

Runs in the worker for live events (so the UI thread only copies arrays into chart items) and
on the UI thread when a slider moves (a softmax and a sort over one vocabulary row).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

TOP_N = 12  # bars per chart


@dataclass
class StageView:
    name: str
    ids: list[int]  # top-N token ids, most likely first
    probs: np.ndarray  # [N] their probabilities after this stage
    kept: int  # tokens with non-zero probability
    removed: float  # probability mass (under the previous stage) this stage filtered out
    entropy: float  # nats


@dataclass
class StepView:
    """One step as the charts see it (one hypothesis: the single line, or the best beam)."""

    step: int
    strategy: str
    stages: list[StageView]
    chosen: int | None  # token taken this step (None when unknown, e.g. a beam that was pruned)
    chosen_prob: float  # its probability under the final stage
    labels: dict[int, str] = field(default_factory=dict)  # token id -> display text
    raw: object = None  # torch [vocab] raw scores, kept for re-processing
    context: object = None  # torch [1, len] ids the processors see


def entropy(probs) -> float:
    import torch

    p = probs[probs > 0]
    return float(-(p * torch.log(p)).sum())


def stage_views(stages, n: int = TOP_N) -> list[StageView]:
    """[(name, scores [vocab])] -> StageViews with top-N, kept count and removed mass."""
    import torch

    out: list[StageView] = []
    prev = None
    for name, scores in stages:
        p = torch.softmax(scores.float(), dim=-1)  # [vocab]
        finite = torch.isfinite(scores)
        vals, idx = torch.topk(p, min(n, int(finite.sum()) or 1))  # only tokens the stage still allows
        removed = float(prev[~finite].sum()) if prev is not None else 0.0
        out.append(StageView(name, idx.tolist(), vals.numpy().astype(np.float64), int(finite.sum()),
                             removed, entropy(p)))
        prev = p
    return out


def best_hypothesis(ev):
    """The hypothesis the charts follow: the single line, or the beam with the best score."""
    return max(ev.hypotheses, key=lambda h: h.logprob) if ev.hypotheses else None


def step_view(ev, tokenizer, n: int = TOP_N, prompt_ids: list[int] | None = None) -> StepView:
    """Summarise a StepEvent (worker thread): the followed hypothesis's stages and choice."""
    import torch

    h = best_hypothesis(ev)
    stages = [(s.name, s.scores) for s in h.stages] if h else []
    views = stage_views(stages, n)
    chosen = next((c.token for c in ev.candidates if c.parent == h.index and c.status != "pruned"), None) if h else None
    chosen_prob = 0.0
    if chosen is not None and stages:
        chosen_prob = float(torch.softmax(stages[-1][1].float(), dim=-1)[chosen])
    ids = {i for v in views for i in v.ids} | ({chosen} if chosen is not None else set())
    labels = dict(zip(sorted(ids), tokenizer.token_strings(sorted(ids)))) if tokenizer else {}
    ctx = torch.tensor([list(prompt_ids or []) + (h.tokens if h else [])], dtype=torch.long)  # [1, len]
    raw = stages[0][1].detach().float().cpu() if stages else None
    return StepView(ev.step, ev.strategy, views, chosen, chosen_prob, labels, raw, ctx)


def reprocess(view: StepView, values: dict, tokenizer, n: int = TOP_N) -> StepView:
    """The same step's raw scores through a chain built from `values` (sampling warpers on)."""
    import torch

    from engine.decoding import build_chain

    chain = build_chain(values, sampling=True)
    stages = chain.stages(view.context, view.raw[None])  # [(name, [1, vocab])]
    stages = [(name, s[0]) for name, s in stages]
    views = stage_views(stages, n)
    chosen = view.chosen
    prob = float(torch.softmax(stages[-1][1], dim=-1)[chosen]) if chosen is not None else 0.0
    labels = dict(view.labels)
    missing = sorted({i for v in views for i in v.ids} - set(labels))
    if missing and tokenizer:
        labels.update(zip(missing, tokenizer.token_strings(missing)))
    return StepView(view.step, view.strategy, views, chosen, prob, labels, view.raw, view.context)


def bits(nats: float) -> float:
    return nats / math.log(2)
