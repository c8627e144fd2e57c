"""StepEvent: everything one decoding step decided, as data (tensors stay tensors).

A strategy yields one StepEvent per step. Per live hypothesis: the tokens so far, the
distribution after each processor stage, the chosen token(s) and the cumulative log-prob; for
beams every candidate with its parent, rank and fate (kept / finished / pruned, with the reason).
`trace` holds the step's recorded tensors when a Capture was asked for.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ..trace import Trace


@dataclass
class Stage:
    """A distribution after one processor stage ("raw", "temperature", "top_k", ...)."""

    name: str
    scores: torch.Tensor  # [vocab] processed scores (logits, or log-probs in beam search)

    @property
    def probs(self) -> torch.Tensor:
        return torch.softmax(self.scores.float(), dim=-1)  # [vocab]

    def top(self, n: int) -> list[tuple[int, float]]:
        p = self.probs
        vals, idx = torch.topk(p, min(n, p.shape[-1]))
        return [(int(i), float(v)) for i, v in zip(idx, vals)]

    def kept(self) -> int:
        """How many tokens still have non-zero probability."""
        return int(torch.isfinite(self.scores).sum())


@dataclass
class Hypothesis:
    """One live sequence entering the step (a beam, or the single greedy/sampled line)."""

    index: int  # its row in this step's batch (and in the step trace)
    tokens: list[int]  # generated so far (prompt excluded)
    logprob: float  # cumulative log-prob before this step
    stages: list[Stage] = field(default_factory=list)


@dataclass
class Candidate:
    """A continuation considered this step."""

    parent: int  # Hypothesis.index it extends
    token: int
    logprob: float  # cumulative log-prob including this token
    rank: int  # 0 = best among this step's candidates
    status: str  # "kept" | "finished" | "pruned"
    reason: str = ""  # why finished / pruned ("eos", "max length", "not in the top N", ...)
    score: float | None = None  # length-penalised score (finished beams)
    token_logprob: float | None = None  # this token's own log-prob


@dataclass
class Sequence:
    """A returned sequence: generated ids only, and its score (see the strategy for its meaning)."""

    ids: list[int]
    score: float


@dataclass
class StepEvent:
    step: int  # 0-based index of the generated position
    strategy: str
    hypotheses: list[Hypothesis]
    candidates: list[Candidate]
    trace: Trace | None = None
    done: bool = False
    stop_reason: str | None = None  # set on the last event
    sequences: list[Sequence] | None = None  # set on the last event, best first
    elapsed_s: float = 0.0  # wall time of this step's forward pass(es)

    def chosen(self) -> list[int]:
        return [c.token for c in self.candidates if c.status != "pruned"]

    def to_json(self, tokens=None, top: int = 5) -> dict:
        """A JSON-able summary (top-n per stage); `tokens(id) -> str` labels ids."""
        lab = (lambda i: tokens(i)) if tokens else (lambda i: None)
        def tok(i):
            t = lab(i)
            return {"id": i, "text": t} if t is not None else {"id": i}
        out = {
            "step": self.step,
            "strategy": self.strategy,
            "hypotheses": [
                {
                    "index": h.index,
                    "tokens": h.tokens,
                    "logprob": h.logprob,
                    "stages": [
                        {"name": s.name, "kept": s.kept(), "top": [{**tok(i), "p": p} for i, p in s.top(top)]}
                        for s in h.stages
                    ],
                }
                for h in self.hypotheses
            ],
            "candidates": [
                {k: v for k, v in {**c.__dict__, **tok(c.token)}.items() if v is not None and v != ""}
                for c in self.candidates
            ],
            "elapsed_s": self.elapsed_s,
        }
        if self.trace is not None:
            out["trace"] = {s.name: list(s.tensor.shape) for s in self.trace}
        if self.done:
            out["done"] = True
            out["stop_reason"] = self.stop_reason
        return out
