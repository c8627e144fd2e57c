"""The step loop greedy decoding and sampling share: independent lines, one token each per step
(transformers' semantics: the sequence stops at end-of-sequence or max length)."""
from __future__ import annotations

from typing import Callable, Iterator

import torch

from .events import Candidate, Hypothesis, Sequence, Stage, StepEvent

Chooser = Callable[[torch.Tensor], torch.Tensor]  # probs [rows, vocab] -> token ids [rows]


def stepwise(gen, rows: int, choose: Chooser, name: str) -> Iterator[StepEvent]:
    """The shared loop of greedy and sampling: `rows` independent lines, one token each per step.

    Score of a line = the sum of its tokens' log-probs under the final processed distribution.
    """
    dec, opts, chain = gen.decoder, gen.opts, gen.chain
    dev = dec.device
    eos = torch.tensor(gen.eos, dtype=torch.long, device=dev)
    ctx = torch.tensor([dec.context] * rows, dtype=torch.long, device=dev)  # [rows, context]
    seqs = torch.empty(rows, opts.max_new_tokens, dtype=torch.long, device=dev)  # [rows, max_new]
    logprob = torch.zeros(rows, dtype=torch.float32, device=dev)
    alive = torch.ones(rows, dtype=torch.bool, device=dev)
    lengths = [0] * rows
    logits = dec.start(rows, opts.capture)
    for step in range(opts.max_new_tokens):
        # the tokens so far, for processors that look at them (repetition penalty, min-new-tokens)
        ids = torch.cat((ctx, seqs[:, :step]), dim=1) if chain else ctx  # [rows, context + step]
        scores = logits.float()
        if opts.keep_stages:
            stages = chain.stages(ids, scores)
            final = stages[-1][1]
        else:
            stages, final = None, chain(ids, scores)
        logp = torch.log_softmax(final, dim=-1)  # [rows, vocab]
        tok = choose(logp)  # [rows]
        tok = torch.where(alive, tok, eos[0] if len(eos) else tok)  # finished lines only pad
        tok_lp = logp.gather(1, tok[:, None])[:, 0]
        hyps = [
            Hypothesis(r, seqs[r, : lengths[r]].tolist(), float(logprob[r]),
                       [Stage(n, s[r]) for n, s in stages] if stages else [])
            for r in range(rows) if alive[r]
        ]
        logprob = torch.where(alive, logprob + tok_lp, logprob)
        seqs[:, step] = tok
        finished_now = alive & torch.isin(tok, eos) if len(eos) else torch.zeros_like(alive)
        tl, lp, fin = tok.tolist(), logprob.tolist(), finished_now.tolist()
        cands = []
        for h in hyps:
            r = h.index
            lengths[r] += 1
            cands.append(Candidate(r, tl[r], lp[r], 0, "finished" if fin[r] else "kept",
                                   "end-of-sequence" if fin[r] else "", None, float(tok_lp[r])))
        alive = alive & ~finished_now
        last = step + 1 == opts.max_new_tokens
        stop = None
        if not bool(alive.any()):
            stop = "end-of-sequence"
        elif last:
            stop = "max-new-tokens"
        elif gen.cancelled():
            stop = "cancelled"
        ev = StepEvent(step, name, hyps, cands, dec.trace)
        if stop:
            ev.done, ev.stop_reason = True, stop
            ev.sequences = [Sequence(seqs[r, : lengths[r]].tolist(), lp[r]) for r in range(rows)]
            if rows > 1:
                ev.sequences.sort(key=lambda s: -s.score)
            yield ev
            return
        yield ev
        logits = dec.step(tok, opts.capture)

