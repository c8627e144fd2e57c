"""Unigram: the best-scoring segmentation (Viterbi over every vocabulary piece that matches),
done by us, mirroring `tokenizers`' `Unigram::encode_optimized` (sentencepiece's algorithm):
unknown characters score min_score - 10 and consecutive unknowns are fused."""
from __future__ import annotations

from .explain_steps import ExplainError, StepLog, model_explainer, show

UNK_PENALTY = 10.0


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

    def _viterbi(self, word: str) -> tuple[list[tuple[str, int, float]], float, int]:
        n = len(word)
        unk_score = self.min_score - UNK_PENALTY
        best = [0.0] * (n + 1)
        start_at: list[int | None] = [None] * (n + 1)
        node_id = [0] * (n + 1)
        n_candidates = 0
        for s in range(n):
            here = best[s]
            single = False
            for length in range(1, min(self.max_len, n - s) + 1):  # shortest first, like the trie
                piece = word[s:s + length]
                i = self.ids.get(piece)
                if i is None:
                    continue
                n_candidates += 1
                cand = self.piece_score[i] + here
                e = s + length
                if start_at[e] is None or cand > best[e]:
                    best[e], start_at[e], node_id[e] = cand, s, i
                if length == 1:
                    single = True
            if not single:
                if self.unk_id is None:
                    raise ExplainError("this Unigram tokenizer has no unknown token but met an unknown "
                                       "character")
                cand = unk_score + here
                if start_at[s + 1] is None or cand > best[s + 1]:
                    best[s + 1], start_at[s + 1], node_id[s + 1] = cand, s, self.unk_id
        # walk back, fusing consecutive unknowns
        pieces: list[tuple[str, int, float]] = []  # (text, id or -1 for unknown, score)
        fused: list[str] = []
        e = n
        while e > 0:
            s = start_at[e]
            if self.unk_id is not None and node_id[e] == self.unk_id:
                fused.append(word[s:e])
            else:
                if fused:
                    pieces.append(("".join(reversed(fused)), -1, unk_score))
                    fused = []
                pieces.append((word[s:e], node_id[e], self.piece_score[node_id[e]]))
            e = s
        if fused:
            pieces.append(("".join(reversed(fused)), -1, unk_score))
        pieces.reverse()
        return pieces, best[n], n_candidates

    def tokenize(self, word: str, wi: int, log: StepLog) -> list[tuple[int, str]]:
        if not word:
            return []
        pieces, total, n_cand = self._viterbi(word)
        log.emit("unigram_best_path",
                 f"word {wi} {show(word)}: of {n_cand} matching vocabulary piece(s), the best-scoring "
                 f"segmentation is {len(pieces)} piece(s), total log-probability {total:.4f}",
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
