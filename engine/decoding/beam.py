"""Beam search with transformers' semantics (generation/utils.py `_beam_search`), step by step.

Lettered as there: (a) forward the running beams, (b) log-softmax + processors + running
scores, (c) top-K continuations over all beams (K = max(2, 1 + #eos) × beams), (d) which hit
end-of-sequence or the length limit, (e) the best unfinished `beams` run on, (f) finished ones
enter the kept set (score = sum log p / generated_length ** length_penalty) if good enough,
(g) the cache follows the chosen parents; stop when no running beam can improve the kept set.
"""
from __future__ import annotations

from typing import Iterator

import torch

from .events import Candidate, Hypothesis, Sequence, Stage, StepEvent

NEG = -1.0e9  # transformers' "impossible" score


def _early_stop_unsatisfied(unsat, running, kept, kept_done, cur_len, max_len, prompt_len, es, lp):
    """transformers' _check_early_stop_heuristic, for one batch item (tensors [1, beams])."""
    if es == "never" and lp > 0.0:
        best_len = max_len - prompt_len
    else:
        best_len = cur_len - prompt_len
    best_running = running[:, :1] / (best_len**lp)
    worst_kept = torch.where(kept_done, torch.min(kept, dim=1, keepdim=True)[0], NEG)
    return unsat & torch.any(best_running > worst_kept, dim=-1, keepdim=True)


def beam_search(gen) -> Iterator[StepEvent]:
    dec, opts, chain = gen.decoder, gen.opts, gen.chain
    dev = dec.device
    B, lp, es = opts.num_beams, float(opts.length_penalty), opts.early_stopping
    K = max(2, 1 + len(gen.eos)) * B
    prompt_len = len(dec.context)
    max_len = prompt_len + opts.max_new_tokens
    eos = torch.tensor(gen.eos, dtype=torch.long, device=dev)
    top_b = torch.arange(K, device=dev) < B  # [K] only the top `beams` candidates may finish

    running = torch.tensor([dec.context] * B, dtype=torch.long, device=dev)  # [B, cur_len]
    running_scores = torch.zeros(1, B, device=dev)
    running_scores[:, 1:] = NEG  # only beam 0 is real at first (all beams hold the same prompt)
    kept = torch.full((1, B), NEG, device=dev)  # finished beams' scores, best first
    kept_seqs: list[list[int]] = [[] for _ in range(B)]
    kept_done = torch.zeros(1, B, dtype=torch.bool, device=dev)
    unsat = torch.ones(1, 1, dtype=torch.bool, device=dev)
    cur_len = prompt_len

    logits = dec.start(B, opts.capture)  # (a) prefill
    step = 0
    while True:
        # (b) log-probs, processors, accumulated scores
        logp = torch.log_softmax(logits.float(), dim=-1)  # [B, V]
        stages = chain.stages(running, logp) if opts.keep_stages else [("raw", logp)]
        logp = stages[-1][1] if opts.keep_stages else chain(running, logp)
        V = logp.shape[-1]
        acc = (logp[None] + running_scores[:, :, None]).reshape(1, -1)  # [1, B*V]
        # (c) top-K continuations
        topk_lp, topk_idx = torch.topk(acc, k=K)  # [1, K]
        parent = topk_idx // V
        tok = topk_idx % V
        cand_seqs = torch.cat((running[parent[0]], tok[0][:, None]), dim=1)  # [K, cur_len+1]
        # (d) stopping: end-of-sequence, or the sequence reached max length
        hit_eos = torch.isin(tok, eos) if len(eos) else torch.zeros_like(tok, dtype=torch.bool)
        hits = hit_eos | (cur_len + 1 >= max_len)  # [1, K]
        # (e) the best unfinished beams run on
        run_lp = topk_lp + hits.to(torch.float32) * NEG
        nxt = torch.topk(run_lp, k=B)[1]  # [1, B]
        new_running = cand_seqs[nxt[0]]
        new_running_scores = run_lp.gather(1, nxt)
        # (f) finished candidates among the top B join the kept set if good enough
        just_done = hits & top_b[None]
        fin = topk_lp / ((cur_len + 1 - prompt_len) ** lp)
        full = bool(kept_done.all()) and es is True
        fin = fin + float(full) * NEG
        fin = fin + (~unsat).to(torch.float32) * NEG
        fin = fin + (~just_done) * NEG
        merged = torch.cat((kept, fin), dim=1)  # [1, B + K]
        order = torch.topk(merged, k=B)[1][0]
        all_seqs = kept_seqs + [cand_seqs[j, prompt_len:].tolist() for j in range(K)]
        merged_done = torch.cat((kept_done, just_done), dim=1)
        kept_seqs = [all_seqs[i] for i in order.tolist()]
        kept = merged[:, order]
        kept_done = merged_done[:, order]

        ev = _event(step=step, running=running, running_scores=running_scores, stages=stages, topk_lp=topk_lp,
                    parent=parent, tok=tok, hit_eos=hit_eos, hits=hits, nxt=nxt, order=order, fin=fin,
                    just_done=just_done, B=B, K=K, prompt_len=prompt_len, trace=dec.trace)
        # (g) the cache follows the running beams' parents
        cur_len += 1
        unsat = _early_stop_unsatisfied(unsat, new_running_scores, kept, kept_done, cur_len,
                                        max_len, prompt_len, es, lp)
        improvable = bool(unsat.any())
        open_beam = not (bool(kept_done.all()) and es is True)
        can_continue = not bool(hits.all())
        stop = None
        if not can_continue:
            stop = "max-new-tokens" if cur_len >= max_len else "every candidate finished"
        elif not open_beam:
            stop = "all beams finished (early stopping)"
        elif not improvable:
            stop = "no running beam can beat the finished ones"
        elif gen.cancelled():
            stop = "cancelled"
        if stop:
            ev.done, ev.stop_reason = True, stop
            scores = kept[0].tolist()
            ev.sequences = [Sequence(kept_seqs[i], scores[i]) for i in range(opts.num_return)]
            yield ev
            return
        yield ev
        running, running_scores = new_running, new_running_scores
        dec.reorder(parent[0, nxt[0]])
        logits = dec.step(running[:, -1], opts.capture)
        step += 1


def _event(*, step, running, running_scores, stages, topk_lp, parent, tok, hit_eos, hits,
           nxt, order, fin, just_done, B, K, prompt_len, trace) -> StepEvent:
    """Describe the step: live beams with their stages, every candidate with its fate.

    Keyword-only (17 values of one step, easy to swap by position); the tensors are [1, B] for
    beams and [1, K] for candidates, as beam_search builds them.
    """
    rs = running_scores[0].tolist()
    live = [b for b in range(B) if rs[b] > NEG / 2]
    hyps = [
        Hypothesis(b, running[b, prompt_len:].tolist(), rs[b], [Stage(n, s[b]) for n, s in stages])
        for b in live
    ]
    kept_next = {int(j): r for r, j in enumerate(nxt[0].tolist())}
    done = just_done[0].tolist()
    in_kept = {int(i) - B for i in order.tolist() if int(i) >= B and done[int(i) - B]}
    lps, par, toks = topk_lp[0].tolist(), parent[0].tolist(), tok[0].tolist()
    eos_hit, any_hit, fins = hit_eos[0].tolist(), hits[0].tolist(), fin[0].tolist()
    cands = []
    for j in range(K):
        if lps[j] <= NEG / 2:
            continue  # a placeholder continuation of a not-yet-real beam
        why = "end-of-sequence" if eos_hit[j] else "max length"
        if j in in_kept:
            c = Candidate(par[j], toks[j], lps[j], j, "finished", why, fins[j])
        elif j in kept_next:
            c = Candidate(par[j], toks[j], lps[j], j, "kept", f"beam {kept_next[j]}")
        elif any_hit[j]:
            reason = (f"finished ({why}) outside the top {B}" if j >= B
                      else f"finished ({why}) but scored below the {B} kept")
            c = Candidate(par[j], toks[j], lps[j], j, "pruned", reason, fins[j] if j < B else None)
        else:
            c = Candidate(par[j], toks[j], lps[j], j, "pruned", f"not among the {B} best running")
        cands.append(c)
    return StepEvent(step, "beam", hyps, cands, trace)
