"""Unigram (SentencePiece's unigram language model): the best-scoring segmentation, shown as the
Viterbi search it is. Done by us, mirroring `tokenizers`' `Unigram::encode_optimized`
(SentencePiece's algorithm): every vocabulary piece that matches at a position is a candidate
edge of the lattice with its log-probability; walking left to right, each end position keeps the
best total (best up to the piece's start + the piece's own log-probability); the best path is read
back from the end. Unknown characters score min_score - 10 and consecutive unknowns are fused."""
from __future__ import annotations

from dataclasses import dataclass

from .explain_steps import ExplainError, StepLog, model_explainer, show

UNK_PENALTY = 10.0
MAX_LATTICE = 400  # candidate edges listed in a word's lattice step (the count is always whole)
PREVIEW = 12  # candidates / rivals named in a description (data holds them all)
MAX_POSITIONS = 64  # words longer than this get no per-position Viterbi steps (the result still)


@dataclass
class Edge:
    start: int
    end: int
    piece: str
    id: int  # the unknown id for an unknown character
    score: float  # the piece's log-probability
    unknown: bool = False


@model_explainer("Unigram")
class UnigramExplainer:
    def __init__(self, model: dict):
        vocab = model["vocab"]
        self.ids: dict[str, int] = {}
        for i, (piece, _) in enumerate(vocab):
            self.ids[piece] = i  # a later duplicate wins, as upstream
        self.piece_score = [float(s) for _, s in vocab]
        self.min_score = min(self.piece_score, default=float("inf"))
        self.max_len = max((len(p) for p, _ in vocab), default=0)
        self.unk_id = model.get("unk_id")
        self.byte_fallback = bool(model.get("byte_fallback", False))

    def _lattice(self, word: str) -> list[list[Edge]]:
        """Edges by start position, shortest first (the order the library's trie yields them)."""
        n = len(word)
        unk_score = self.min_score - UNK_PENALTY
        starts: list[list[Edge]] = [[] for _ in range(n)]
        for s in range(n):
            single = False
            for length in range(1, min(self.max_len, n - s) + 1):
                i = self.ids.get(word[s:s + length])
                if i is None:
                    continue
                starts[s].append(Edge(s, s + length, word[s:s + length], i, self.piece_score[i]))
                single = single or length == 1
            if not single:
                if self.unk_id is None:
                    raise ExplainError("this Unigram tokenizer has no unknown token but met an unknown "
                                       "character")
                starts[s].append(Edge(s, s + 1, word[s], self.unk_id, unk_score, unknown=True))
        return starts

    def _viterbi(self, word: str, wi: int, log: StepLog) -> tuple[list[tuple[str, int, float]], float, int]:
        n = len(word)
        starts = self._lattice(word)
        edges = [e for es in starts for e in es]
        listed = edges[:MAX_LATTICE]
        shown = ", ".join(f"{show(e.piece)}@{e.start} {'unknown ' if e.unknown else ''}{e.score:.2f}"
                          for e in edges[:PREVIEW])
        log.emit("unigram_lattice",
                 f"word {wi} {show(word)}: the lattice has {len(edges)} candidate piece(s) — every vocabulary "
                 "piece that matches somewhere, with its log-probability"
                 + ("; characters no piece covers are unknown (score min - 10)" if any(e.unknown for e in edges) else "")
                 + f": {shown}" + (" …" if len(edges) > PREVIEW else ""),
                 word_index=wi, word=word, n_candidates=len(edges), truncated=len(edges) - len(listed),
                 candidates=[{"piece": e.piece, "start": e.start, "end": e.end, "score": e.score,
                              "unknown": e.unknown} for e in listed])
        best = [0.0] * (n + 1)
        back: list[Edge | None] = [None] * (n + 1)
        for s in range(n):  # forward pass: relax every edge leaving s (positions < s are final)
            for e in starts[s]:
                cand = best[s] + e.score
                if back[e.end] is None or cand > best[e.end]:
                    best[e.end], back[e.end] = cand, e
            done = back[s + 1]
            if n <= MAX_POSITIONS and done is not None:
                ending = [e for es in starts[:s + 1] for e in es if e.end == s + 1]
                rivals = sorted((e for e in ending if e is not done), key=lambda e: -(best[e.start] + e.score))
                beaten = "; it beats " + ", ".join(
                    f"{show(e.piece)} ({best[e.start] + e.score:.4f})" for e in rivals[:3]) if rivals else ""
                log.emit("unigram_viterbi",
                         f"word {wi}, position {s + 1}/{n}: of {len(ending)} piece(s) ending here the best is "
                         f"{'the unknown ' if done.unknown else ''}{show(done.piece)} "
                         f"({'score min - 10 = ' if done.unknown else 'log p '}{done.score:.4f}) after best[{done.start}] = "
                         f"{best[done.start]:.4f} -> best[{s + 1}] = {best[s + 1]:.4f}{beaten}",
                         word_index=wi, position=s + 1, best=best[s + 1], piece=done.piece, start=done.start,
                         candidates=[{"piece": e.piece, "start": e.start, "score": e.score,
                                      "total": best[e.start] + e.score} for e in ending])
        # walk back, fusing consecutive unknowns
        pieces: list[tuple[str, int, float]] = []  # (text, id or -1 for unknown, score)
        fused: list[str] = []
        unk_score = self.min_score - UNK_PENALTY
        e_pos = n
        while e_pos > 0:
            e = back[e_pos]
            if self.unk_id is not None and e.id == self.unk_id:
                fused.append(word[e.start:e.end])
            else:
                if fused:  # one token for the run; its score is the run's (each character's counted)
                    pieces.append(("".join(reversed(fused)), -1, unk_score * len(fused)))
                    fused = []
                pieces.append((e.piece, e.id, e.score))
            e_pos = e.start
        if fused:
            pieces.append(("".join(reversed(fused)), -1, unk_score * len(fused)))
        pieces.reverse()
        return pieces, best[n], len(edges)

    def tokenize(self, word: str, wi: int, log: StepLog) -> list[tuple[int, str]]:
        if not word:
            return []
        pieces, total, n_cand = self._viterbi(word, wi, log)
        path = " + ".join(f"{show(p)} ({sc:.2f})" for p, _, sc in pieces[:12]) + (" …" if len(pieces) > 12 else "")
        log.emit("unigram_best_path",
                 f"word {wi} {show(word)}: reading the best path back from the end: {path} = total "
                 f"log-probability {total:.4f} (of {n_cand} candidate piece(s))",
                 word_index=wi, word=word, total_score=total, n_candidates=n_cand,
                 pieces=[{"piece": p, "score": sc, "unknown": i < 0} for p, i, sc in pieces])
        out: list[tuple[int, str]] = []
        for text, _, _ in pieces:
            i = self.ids.get(text)
            if i is not None:
                out.append((i, text))
                continue
            if self.byte_fallback:
                codes = [f"<0x{b:02X}>" for b in text.encode("utf-8")]
                if all(c in self.ids for c in codes):
                    out.extend((self.ids[c], c) for c in codes)
                    log.emit("byte_fallback", f"word {wi}: unknown {show(text)} -> its UTF-8 bytes "
                             + " ".join(codes), word_index=wi, text=text, tokens=codes,
                             ids=[self.ids[c] for c in codes])
                    continue
            if self.unk_id is None:
                raise ExplainError("this Unigram tokenizer has no unknown token but met an unknown piece")
            out.append((self.unk_id, text))  # the library keeps the text as the token's string
            log.emit("unigram_unk", f"word {wi}: {show(text)} is unknown -> id {self.unk_id}",
                     word_index=wi, text=text, id=self.unk_id)
        log.emit("unigram_done", f"word {wi} {show(word)} -> {len(out)} token(s)", word_index=wi,
                 word=word, ids=[i for i, _ in out], tokens=[t for _, t in out])
        return out
